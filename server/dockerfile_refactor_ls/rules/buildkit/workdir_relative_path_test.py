from ._testing import findings, flagged, messages


def test_first_relative_workdir() -> None:
    assert messages("WorkdirRelativePath", "FROM alpine\nWORKDIR app/\n") == [
        'Relative workdir "app/" can have unexpected results if the base image changes'
    ]


def test_only_the_first_workdir_of_the_lineage() -> None:
    assert flagged("WorkdirRelativePath", "FROM alpine\nWORKDIR a\nWORKDIR b\n") == ["a"]
    assert flagged("WorkdirRelativePath", "FROM alpine\nWORKDIR /app\nWORKDIR sub\n") == []
    # Any WORKDIR in the parent stage is the first one; BuildKit does not look further.
    assert flagged("WorkdirRelativePath", "FROM alpine AS a\nWORKDIR /app\nFROM a\nWORKDIR sub\n") == []
    assert flagged("WorkdirRelativePath", "FROM alpine AS a\nWORKDIR rel\nFROM a\nWORKDIR sub\n") == ["rel"]


def test_quotes_are_removed_in_the_message() -> None:
    assert messages("WorkdirRelativePath", 'FROM alpine\nWORKDIR "my dir"\n') == [
        'Relative workdir "my dir" can have unexpected results if the base image changes'
    ]


def test_absolute_forms_pass() -> None:
    for path in ("/app", '"/app"', "$HOME/app", "${APP_DIR}", "C:\\app", "c:/app"):
        assert flagged("WorkdirRelativePath", f"FROM alpine\nWORKDIR {path}\n") == [], path


def test_fix_is_unsafe() -> None:
    (f,) = findings("WorkdirRelativePath", "FROM alpine\nWORKDIR app\n")
    assert [x.safe for x in f.fixes] == [False]
