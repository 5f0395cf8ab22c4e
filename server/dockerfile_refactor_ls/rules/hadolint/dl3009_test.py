from ._testing import findings, fixed, flagged


def test_update_without_cleanup() -> None:
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
    assert flagged("DL3009", text) == ["apt-get update"]


def test_cleanup_dist_clean_and_cache_mount_pass() -> None:
    for run in (
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
        "apt-get update && apt-get install -y curl && apt-get dist-clean",
        "--mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl",
        "--mount=type=tmpfs,target=/var/lib/apt/lists apt-get update",
        "--mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=cache,target=/var/cache/apt apt-get update",
        "--mount=type=tmpfs,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update",
    ):
        assert flagged("DL3009", f"FROM debian:12\nRUN {run}\n") == [], run


def test_mounts_that_do_not_cover_the_lists() -> None:
    # As hadolint: /var/lib/apt alone (without /var/cache/apt) or a bind mount does not count.
    for run in (
        "--mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl",
        "--mount=type=bind,target=/var/lib/apt/lists apt-get update",
    ):
        assert flagged("DL3009", f"FROM debian:12\nRUN {run}\n") == ["apt-get update"], run


def test_apt_and_aptitude_and_onbuild() -> None:
    assert flagged("DL3009", "FROM scratch\nRUN apt update && apt install python\n") == ["apt update"]
    assert flagged("DL3009", "FROM debian:12\nRUN aptitude update && aptitude install python\n") == ["aptitude update"]
    # An ONBUILD RUN runs in the images built on this one, whatever this stage is.
    text = "FROM ubuntu AS foo\nONBUILD RUN apt-get update && apt-get install python\nFROM scratch\nRUN echo hey!\n"
    assert flagged("DL3009", text) == ["apt-get update"]
    assert findings("DL3009", text)[0].message == "Delete the apt lists (/var/lib/apt/lists) after installing something"


def test_only_shipped_stages() -> None:
    text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /x /x\n"
    assert flagged("DL3009", text) == []
    text = "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN true\n"
    assert flagged("DL3009", text) == ["apt-get update"]


def test_fix_appends_cleanup_and_is_not_safe() -> None:
    text = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\n"
    f = findings("DL3009", text)[0]
    assert not f.fixes[0].safe
    assert fixed("DL3009", text) == (
        "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    )


def test_no_fix_after_trailing_comment_or_background() -> None:
    for run in ("apt-get update # refresh", "apt-get update &", "apt-get update;"):
        [f] = findings("DL3009", f"FROM debian:12\nRUN {run}\n")
        assert f.fixes == [], run
