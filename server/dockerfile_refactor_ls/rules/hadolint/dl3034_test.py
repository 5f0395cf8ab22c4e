from ._testing import fixed, flagged


def test_missing_non_interactive() -> None:
    assert flagged("DL3034", "FROM opensuse/leap:15.6\nRUN zypper install httpd\n") == ["zypper install"]


def test_passes() -> None:
    for cmd in ("zypper install -y httpd", "zypper -n install httpd", "zypper --non-interactive in httpd", "zypper refresh"):
        assert flagged("DL3034", f"FROM opensuse/leap:15.6\nRUN {cmd}\n") == [], cmd


def test_fix() -> None:
    assert fixed("DL3034", "FROM opensuse/leap:15.6\nRUN zypper in httpd\n") == "FROM opensuse/leap:15.6\nRUN zypper in -y httpd\n"
