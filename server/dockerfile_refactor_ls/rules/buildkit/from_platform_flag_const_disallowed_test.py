from ...engine.platforms import parse_platform
from ._testing import findings, flagged, messages


def test_constant_platform() -> None:
    assert messages("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 alpine AS base\n") == [
        'FROM --platform flag should not use constant value "linux/amd64"'
    ]


def test_stage_named_after_its_platform() -> None:
    for name in ("build_amd64", "linux", "amd64-tools", "x-linux"):
        assert flagged("FromPlatformFlagConstDisallowed", f"FROM --platform=linux/amd64 alpine AS {name}\n") == [], name
    # Architecture aliases are normalised first, as containerd does.
    assert flagged("FromPlatformFlagConstDisallowed", "FROM --platform=linux/aarch64 alpine AS build-arm64\n") == []


def test_variables_and_invalid_platforms_pass() -> None:
    for value in ("$BUILDPLATFORM", "linux/${TARGETARCH}", "nonsense/xyz"):
        assert flagged("FromPlatformFlagConstDisallowed", f"FROM --platform={value} alpine\n") == [], value


def test_fix_is_not_safe() -> None:
    (f,) = findings("FromPlatformFlagConstDisallowed", "FROM --platform=linux/arm64 alpine\n")
    assert [fx.safe for fx in f.fixes] == [False]


def test_parse_platform() -> None:
    assert parse_platform("linux/amd64") == ("linux", "amd64")
    assert parse_platform("linux/x86_64") == ("linux", "amd64")
    assert parse_platform("arm64") == ("linux", "arm64")
    assert parse_platform("windows") == ("windows", "amd64")
    assert parse_platform("linux/arm/v7") == ("linux", "arm")
    assert parse_platform("linux/") is None
