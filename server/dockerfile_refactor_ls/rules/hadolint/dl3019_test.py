from ._testing import fixed, flagged


def test_missing_no_cache() -> None:
    assert flagged("DL3019", "FROM alpine:3.20\nRUN apk add --update curl\n") == ["apk add"]


def test_passes() -> None:
    for run in (
        "apk add --no-cache curl",
        "apk --no-cache add curl",
        "apk add curl && rm -rf /var/cache/apk/*",
        "--mount=type=cache,target=/var/cache/apk apk add curl",
    ):
        assert flagged("DL3019", f"FROM alpine:3.20\nRUN {run}\n") == [], run


def test_fix() -> None:
    assert fixed("DL3019", "FROM alpine:3.20\nRUN apk add curl\n") == "FROM alpine:3.20\nRUN apk add --no-cache curl\n"
