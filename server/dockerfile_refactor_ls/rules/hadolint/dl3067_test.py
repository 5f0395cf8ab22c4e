from ._testing import flagged


def test_whole_filesystem() -> None:
    assert flagged("DL3067", "FROM a:1 AS build\nFROM b:1\nCOPY --from=build / /\n") == ["/"]
    assert flagged("DL3067", 'FROM b:1\nCOPY --from=build "/" "/"\n') == ['"/"']
    assert flagged("DL3067", 'FROM b:1\nCOPY --from=build ["/", "/"]\n') == ['"/"']


def test_not_reported() -> None:
    for text in (
        "FROM b:1\nCOPY / /\n",
        "FROM b:1\nCOPY --from=build /app /\n",
        "FROM b:1\nCOPY --from=build / /app\n",
    ):
        assert flagged("DL3067", text) == [], text
