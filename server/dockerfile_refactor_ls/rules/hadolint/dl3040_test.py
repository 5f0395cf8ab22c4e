from ._testing import fixed, flagged


def test_missing_clean() -> None:
    assert flagged("DL3040", "FROM fedora:41\nRUN dnf install -y httpd\n") == ["dnf install"]


def test_passes() -> None:
    for run in (
        "dnf install -y httpd && dnf clean all",
        "microdnf install httpd && microdnf clean all",
        "dnf install -y httpd && rm -rf /var/cache/dnf",
        "--mount=type=cache,target=/var/cache/dnf dnf install -y httpd",
    ):
        assert flagged("DL3040", f"FROM fedora:41\nRUN {run}\n") == [], run


def test_fix_uses_the_same_tool() -> None:
    assert fixed("DL3040", "FROM ubi9:9.4\nRUN microdnf install httpd\n").endswith("&& microdnf clean all\n")
