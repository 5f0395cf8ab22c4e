from ._testing import diagnosed, findings, fixed, flagged


def test_empty_line_in_continuation() -> None:
    text = "FROM alpine:3.20\nRUN apk add \\\n\n    curl\n"
    found = findings("NoEmptyContinuation", text)
    assert [f.message for f in found] == ["Empty continuation line"]
    assert text[: found[0].span.start].count("\n") == 2  # on the empty line itself


def test_whitespace_only_line_counts_as_empty() -> None:
    assert len(findings("NoEmptyContinuation", "FROM alpine\nEXPOSE \\\n   \t\n80\n")) == 1


def test_once_per_instruction_and_fix_removes_all() -> None:
    text = "FROM alpine\nRUN apk add \\\n\n    gnupg \\\n\n    curl\n"
    assert len(findings("NoEmptyContinuation", text)) == 1
    assert fixed("NoEmptyContinuation", text) == "FROM alpine\nRUN apk add \\\n    gnupg \\\n    curl\n"


def test_comment_lines_are_not_empty() -> None:
    assert flagged("NoEmptyContinuation", "FROM alpine\nEXPOSE \\\n# Port\n80\n") == []


def test_blank_lines_between_instructions_are_fine() -> None:
    assert flagged("NoEmptyContinuation", "FROM alpine\n\nRUN a \\\n    b\n\nRUN c\n") == []


def test_check_comment_above_does_not_silence_it() -> None:
    # BuildKit reports it while parsing, before per-instruction comments apply.
    text = "FROM alpine\n# check=skip=NoEmptyContinuation\nRUN a \\\n\n b\n"
    assert len(diagnosed("NoEmptyContinuation", text)) == 1
    assert diagnosed("NoEmptyContinuation", "# check=skip=NoEmptyContinuation\n" + text) == []
