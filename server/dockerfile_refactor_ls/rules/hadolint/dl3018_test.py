from ._testing import flagged


def test_unpinned() -> None:
    assert flagged("DL3018", "FROM alpine:3.20\nRUN apk add --no-cache curl bash=5.2.26-r0\n") == ["apk add"]


def test_pinned_virtual_and_files_pass() -> None:
    for cmd in (
        "apk add --no-cache curl=8.11.0-r2 'bash~5.2'",
        "apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0",
        "apk add -t .deps musl-dev=1.2.5-r0",
        "apk add --allow-untrusted /tmp/pkg.apk",
        "apk add $PACKAGES",
        "apk update",
    ):
        assert flagged("DL3018", f"FROM alpine:3.20\nRUN {cmd}\n") == [], cmd
