from ._testing import flagged


def test_multiple_cmd() -> None:
    text = 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nFROM alpine:3.20\nCMD ["c"]\n'
    assert flagged("DL4003", text) == ["CMD"]


def test_fragment_without_from() -> None:
    assert flagged("DL4003", 'CMD ["a"]\nCMD ["b"]\nCMD ["c"]\n') == ["CMD", "CMD"]


def test_one_cmd_per_stage_passes() -> None:
    assert flagged("DL4003", 'CMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\n') == []
