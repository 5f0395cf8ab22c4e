from ._testing import fixed, flagged


def test_redundant_platform() -> None:
    assert flagged("DL3065", "FROM --platform=$TARGETPLATFORM alpine:3.24\n") == ["--platform=$TARGETPLATFORM"]
    assert flagged("DL3065", "FROM --platform=${TARGETPLATFORM} alpine:3.24 AS x\n") == ["--platform=${TARGETPLATFORM}"]


def test_other_platforms_pass() -> None:
    for text in (
        "FROM alpine:3.24\n",
        "FROM --platform=$FOOBAR alpine:3.24\n",
        "FROM --platform=$BUILDPLATFORM alpine:3.24\n",
        "FROM --platform=linux/arm64 alpine:3.24\n",
    ):
        assert flagged("DL3065", text) == [], text


def test_fix_removes_the_flag() -> None:
    assert fixed("DL3065", "FROM --platform=$TARGETPLATFORM alpine:3.24 AS a\n") == "FROM alpine:3.24 AS a\n"
