from ._testing import assert_version_variable_pins_only_in_the_runs_environment, flagged


def test_unpinned() -> None:
    assert flagged("DL3041", "FROM fedora:41\nRUN dnf install -y httpd python3-pip\n") == ["dnf install"]
    assert flagged("DL3041", "FROM fedora:41\nRUN dnf module install -y nodejs\n") == ["dnf module install"]


def test_pinned_passes() -> None:
    for cmd in (
        "dnf install -y httpd-2.4.46 python3-pip-23.2",
        "dnf install -y /tmp/x.rpm @development-tools",
        "dnf module install -y nodejs:20",
    ):
        assert flagged("DL3041", f"FROM fedora:41\nRUN {cmd}\n") == [], cmd


def test_a_name_without_version_part_is_unpinned() -> None:
    # hadolint 2.15: what follows a `-` must look like a version.
    assert flagged("DL3041", "FROM fedora:41\nRUN dnf install -y git-core\n") == ["dnf install"]
    for pkg in ("tomcat-9.2", "openssl-1:1.1.1k", "rpm-sign-4.16.1.3", "gcc-c++-1.1.1"):
        assert flagged("DL3041", f"FROM fedora:41\nRUN dnf install -y {pkg}\n") == [], pkg


def test_a_variable_pins_only_where_the_run_has_it() -> None:
    assert_version_variable_pins_only_in_the_runs_environment("DL3041", "fedora:41", "dnf")
