from ._testing import findings, fixed, flagged


def test_update_without_cleanup() -> None:
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
    assert flagged("DL3009", text) == ["apt-get update"]


def test_cleanup_dist_clean_and_cache_mount_pass() -> None:
    for run in (
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
        "apt-get update && apt-get install -y curl && apt-get dist-clean",
        "--mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl",
    ):
        assert flagged("DL3009", f"FROM debian:12\nRUN {run}\n") == [], run


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
