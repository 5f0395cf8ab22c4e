from ._testing import fixed, flagged


def test_missing_slash() -> None:
    assert flagged("DL3021", "FROM node:22\nCOPY package.json package-lock.json /app\n") == ["/app"]


def test_passes() -> None:
    for args in ("a b /app/", "a /app", "a b $DEST", '["a", "b", "/app/"]'):
        assert flagged("DL3021", f"FROM node:22\nCOPY {args}\n") == [], args
    assert flagged("DL3021", "# escape=`\nFROM windows/servercore\nCOPY a b C:\\app\\\n") == []


def test_fix() -> None:
    assert fixed("DL3021", "FROM node:22\nCOPY a b /app\n") == "FROM node:22\nCOPY a b /app/\n"
    assert fixed("DL3021", 'FROM node:22\nCOPY ["a", "b", "/app"]\n') == 'FROM node:22\nCOPY ["a", "b", "/app/"]\n'
