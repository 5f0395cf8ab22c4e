from ._testing import findings, fixed, flagged


def test_wget_without_progress() -> None:
    assert flagged("DL3047", "FROM debian:12\nRUN wget https://example.com/a.tgz\n") == ["wget"]


def test_passes() -> None:
    for flags in ("--progress=dot:giga", "-q", "-qO-", "--quiet", "-nv", "--no-verbose", "-o /tmp/log"):
        assert flagged("DL3047", f"FROM debian:12\nRUN wget {flags} https://example.com/a\n") == [], flags


def test_fix_progress_or_quiet_for_busybox() -> None:
    assert fixed("DL3047", "FROM debian:12\nRUN wget https://x/a\n") == "FROM debian:12\nRUN wget --progress=dot:giga https://x/a\n"
    [f] = findings("DL3047", "FROM alpine:3.20\nRUN wget https://x/a\n")
    assert [fx.title for fx in f.fixes] == ["Add -q"]
