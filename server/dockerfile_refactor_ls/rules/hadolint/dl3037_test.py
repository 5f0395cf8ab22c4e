from ._testing import flagged


def test_unpinned() -> None:
    assert flagged("DL3037", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd\n") == ["zypper install"]


def test_pinned_passes() -> None:
    for cmd in ("zypper install -y httpd=2.4.46", "zypper install -y 'httpd>=2.4'", "zypper in -y /tmp/x.rpm"):
        assert flagged("DL3037", f"FROM opensuse/leap:15.6\nRUN {cmd}\n") == [], cmd
