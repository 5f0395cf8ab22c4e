from ._testing import fixed, flagged, messages


def test_target_platform_forms() -> None:
    for value in ("$TARGETPLATFORM", "${TARGETPLATFORM}", "${TARGETPLATFORM:-linux/amd64}"):
        text = f"FROM --platform={value} alpine AS build\n"
        assert messages("RedundantTargetPlatform", text) == [
            f"Setting platform to predefined {value} in FROM is redundant as this is the default behavior"
        ]


def test_fix_removes_the_flag() -> None:
    assert fixed("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM alpine AS b\n") == "FROM alpine AS b\n"


def test_other_platforms_pass() -> None:
    for value in ("$BUILDPLATFORM", "linux/$TARGETARCH", "${TARGETPLATFORM:+linux/arm64}", "$TARGETPLATFORM-x"):
        assert flagged("RedundantTargetPlatform", f"FROM --platform={value} alpine\n") == [], value
