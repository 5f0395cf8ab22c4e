from ._testing import fixed, flagged


def test_missing_clean() -> None:
    assert flagged("DL3036", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd\n") == ["zypper install"]


def test_passes() -> None:
    for run in ("zypper install -y httpd && zypper clean", "zypper in -y httpd && zypper cc -a"):
        assert flagged("DL3036", f"FROM opensuse/leap:15.6\nRUN {run}\n") == [], run


def test_fix() -> None:
    assert fixed("DL3036", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd\n").endswith("&& zypper clean\n")
