from ._testing import flagged


def test_multiple_cmd() -> None:
    text = 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nFROM alpine:3.20\nCMD ["c"]\n'
    assert flagged("DL4003", text) == ["CMD"]
