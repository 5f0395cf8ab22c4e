from ._testing import fixed, flagged


def test_missing_yes() -> None:
    assert flagged("DL3038", "FROM fedora:41\nRUN dnf install httpd\n") == ["dnf install"]


def test_passes() -> None:
    for cmd in ("dnf install -y httpd", "dnf --assumeyes install httpd", "microdnf install httpd"):
        assert flagged("DL3038", f"FROM fedora:41\nRUN {cmd}\n") == [], cmd


def test_fix() -> None:
    assert fixed("DL3038", "FROM fedora:41\nRUN dnf install httpd\n") == "FROM fedora:41\nRUN dnf install -y httpd\n"
