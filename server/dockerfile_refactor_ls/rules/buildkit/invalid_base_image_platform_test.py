from ._testing import flagged, messages


def test_linux_image_for_windows() -> None:
    assert messages("InvalidBaseImagePlatform", "FROM --platform=windows/amd64 node:20-alpine\n") == [
        'Base image node:20-alpine is published for platform "linux", expected "windows/amd64" for current build'
    ]


def test_windows_images_for_linux() -> None:
    for image in ("mcr.microsoft.com/windows/nanoserver:ltsc2022", "golang:1.22-windowsservercore-ltsc2022"):
        assert flagged("InvalidBaseImagePlatform", f"FROM --platform=linux/amd64 {image}\n") == [image], image


def test_matching_or_unknown_platforms_pass() -> None:
    for line in (
        "FROM --platform=linux/arm64 alpine:3.20",
        "FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022",
        "FROM --platform=windows/amd64 myorg/tool:1",  # not in the table
        "FROM --platform=$BUILDPLATFORM alpine:3.20",
        "FROM --platform=windows/amd64 scratch",
        "FROM alpine:3.20",
    ):
        assert flagged("InvalidBaseImagePlatform", line + "\n") == [], line
