from ._testing import flagged


def test_relative_workdir() -> None:
    assert flagged("DL3000", "FROM alpine:3.20\nWORKDIR app\n") == ["app"]


def test_absolute_forms_pass() -> None:
    for path in ("/app", '"/app"', "$HOME/app", "${APP_DIR}", "C:\\app", "c:/app"):
        assert flagged("DL3000", f"FROM alpine:3.20\nWORKDIR {path}\n") == [], path
