from ._testing import flagged


def test_multiple_entrypoint() -> None:
    text = 'FROM alpine:3.20\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\nFROM alpine:3.20\nENTRYPOINT ["c"]\n'
    assert flagged("DL4004", text) == ["ENTRYPOINT"]
