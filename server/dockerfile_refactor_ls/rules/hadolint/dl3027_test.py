from ._testing import findings, fixed, flagged


def test_apt() -> None:
    assert flagged("DL3027", "FROM debian:12\nRUN apt update && apt install -y curl\n") == ["apt", "apt"]


def test_apt_get_and_apt_cache_pass() -> None:
    assert flagged("DL3027", "FROM debian:12\nRUN apt-get install -y curl && apt-cache policy curl\n") == []


def test_fix_only_for_apt_get_subcommands() -> None:
    assert fixed("DL3027", "FROM debian:12\nRUN apt install -y curl\n") == "FROM debian:12\nRUN apt-get install -y curl\n"
    [f] = findings("DL3027", "FROM debian:12\nRUN apt list --installed\n")
    assert f.fixes == []
