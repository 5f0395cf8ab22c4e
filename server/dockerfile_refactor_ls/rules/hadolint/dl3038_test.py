import pytest

from ._testing import fixed, flagged


def test_missing_yes() -> None:
    assert flagged("DL3038", "FROM fedora:41\nRUN dnf install httpd\n") == ["dnf install"]


def test_passes() -> None:
    for cmd in ("dnf install -y httpd", "dnf --assumeyes install httpd", "microdnf install -y httpd",
                "microdnf --assumeyes install httpd", "dnf5 install -y httpd", "microdnf clean all", "notdnf install httpd"):
        assert flagged("DL3038", f"FROM fedora:41\nRUN {cmd}\n") == [], cmd


def test_fix() -> None:
    assert fixed("DL3038", "FROM fedora:41\nRUN dnf install httpd\n") == "FROM fedora:41\nRUN dnf install -y httpd\n"


@pytest.mark.parametrize("tool", ["microdnf", "dnf5"])
def test_microdnf_and_dnf5_ask_too(tool: str) -> None:
    text = f"FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN {tool} install httpd && {tool} clean all\n"
    assert flagged("DL3038", text) == [f"{tool} install"]
    assert fixed("DL3038", text) == text.replace(f"{tool} install", f"{tool} install -y")
