from ._testing import flagged


def test_fixed_platform() -> None:
    assert flagged("DL3029", "FROM --platform=linux/amd64 debian:12\n") == ["--platform=linux/amd64"]


def test_variable_platform_passes() -> None:
    assert flagged("DL3029", "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM debian:12\n") == []
