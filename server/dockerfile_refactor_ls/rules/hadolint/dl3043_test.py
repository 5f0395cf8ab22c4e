from ._testing import flagged


def test_forbidden_triggers() -> None:
    text = "FROM alpine:3.20\nONBUILD FROM alpine\nONBUILD MAINTAINER me\nONBUILD RUN true\n"
    assert flagged("DL3043", text) == ["FROM", "MAINTAINER"]
