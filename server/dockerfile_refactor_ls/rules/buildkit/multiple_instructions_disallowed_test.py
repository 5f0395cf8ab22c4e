from ._testing import fixed, flagged, messages


def test_overridden_instructions() -> None:
    text = 'FROM alpine\nCMD ["a"]\ncmd ["b"]\nHEALTHCHECK NONE\nHEALTHCHECK CMD ["c"]\n'
    assert flagged("MultipleInstructionsDisallowed", text) == ["CMD", "HEALTHCHECK"]
    # BuildKit names the instruction that overrides, as written.
    assert messages("MultipleInstructionsDisallowed", text)[0] == (
        "Multiple cmd instructions should not be used in the same stage because only the last one will be used"
    )


def test_fix_removes_the_overridden_line() -> None:
    assert fixed("MultipleInstructionsDisallowed", 'FROM alpine\nCMD ["a"]\nCMD ["b"]\n') == 'FROM alpine\nCMD ["b"]\n'


def test_other_stages_are_separate() -> None:
    assert flagged("MultipleInstructionsDisallowed", 'FROM alpine AS a\nCMD ["a"]\nFROM a\nCMD ["b"]\n') == []
