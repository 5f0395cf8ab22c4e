from ._testing import flagged


def test_second_healthcheck() -> None:
    text = "FROM alpine:3.20\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\nFROM alpine:3.20\nHEALTHCHECK CMD true\n"
    assert flagged("DL3012", text) == ["HEALTHCHECK"]
