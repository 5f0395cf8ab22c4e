from ._testing import diagnosed, fixed, messages


def test_mixed_case_keyword() -> None:
    assert messages("ConsistentInstructionCasing", "From alpine\nRUN a\n") == [
        "Command 'From' should match the case of the command majority (uppercase)"
    ]


def test_minority_case() -> None:
    text = "from alpine\nrun a\nrun b\nCOPY x /x\n"
    assert messages("ConsistentInstructionCasing", text) == [
        "Command 'COPY' should match the case of the command majority (lowercase)"
    ]
    assert fixed("ConsistentInstructionCasing", text) == "from alpine\nrun a\nrun b\ncopy x /x\n"


def test_tie_counts_as_upper_case() -> None:
    assert messages("ConsistentInstructionCasing", "from alpine\nRUN a\n") == [
        "Command 'from' should match the case of the command majority (uppercase)"
    ]


def test_consistent_files_pass() -> None:
    assert messages("ConsistentInstructionCasing", "FROM a\nRUN b\nCMD c\n") == []
    assert messages("ConsistentInstructionCasing", "from a\nrun b\ncmd c\n") == []


def test_global_args_are_not_counted() -> None:
    # BuildKit counts the instructions of the stages only.
    assert messages("ConsistentInstructionCasing", "arg V=1\nFROM alpine:$V\nRUN a\n") == []


def test_heredoc_bodies_are_not_instructions() -> None:
    assert messages("ConsistentInstructionCasing", "FROM alpine\nRUN <<'EOT'\nenv\nrun x\nEOT\n") == []


def test_check_comment_above_does_not_silence_it() -> None:
    text = "FROM alpine\n# check=skip=ConsistentInstructionCasing\nrun a\n"
    assert len(diagnosed("ConsistentInstructionCasing", text)) == 1
