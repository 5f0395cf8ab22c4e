from ._testing import flagged


def test_unpinned() -> None:
    assert flagged("DL3041", "FROM fedora:41\nRUN dnf install -y httpd python3-pip\n") == ["dnf install"]
    assert flagged("DL3041", "FROM fedora:41\nRUN dnf module install -y nodejs\n") == ["dnf module install"]


def test_pinned_passes() -> None:
    for cmd in (
        "dnf install -y httpd-2.4.46 python3-pip-23.2",
        "dnf install -y /tmp/x.rpm @development-tools",
        "dnf module install -y nodejs:20",
        "dnf install -y $PKGS",
    ):
        assert flagged("DL3041", f"FROM fedora:41\nRUN {cmd}\n") == [], cmd
