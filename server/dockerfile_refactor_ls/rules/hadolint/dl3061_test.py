from ._testing import flagged


def test_instruction_before_from() -> None:
    assert flagged("DL3061", "LABEL a=b\nFROM alpine:3.20\n") == ["LABEL"]


def test_arg_and_comments_pass() -> None:
    assert flagged("DL3061", "# syntax=docker/dockerfile:1\n# hi\nARG V=3.20\nFROM alpine:$V\nRUN true\n") == []
