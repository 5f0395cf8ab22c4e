from ._testing import assert_version_variable_pins_only_in_the_runs_environment, flagged


def test_unpinned() -> None:
    assert flagged("DL3033", "FROM centos:7\nRUN yum install -y httpd\n") == ["yum install"]
    assert flagged("DL3033", "FROM centos:8\nRUN yum module install -y nodejs\n") == ["yum module install"]


def test_pinned_passes() -> None:
    for cmd in ("yum install -y httpd-2.4.6", "yum install -y /tmp/x.rpm", "yum module install -y nodejs:20"):
        assert flagged("DL3033", f"FROM centos:7\nRUN {cmd}\n") == [], cmd


def test_a_name_without_version_part_is_unpinned() -> None:
    # hadolint 2.15: what follows a `-` must look like a version.
    assert flagged("DL3033", "FROM centos:7\nRUN yum install -y git-core\n") == ["yum install"]
    for pkg in ("tomcat-9.2", "openssl-1:1.1.1k", "rpm-sign-4.16.1.3", "gcc-c++-1.1.1"):
        assert flagged("DL3033", f"FROM centos:7\nRUN yum install -y {pkg}\n") == [], pkg


def test_a_variable_pins_only_where_the_run_has_it() -> None:
    assert_version_variable_pins_only_in_the_runs_environment("DL3033", "centos:7", "yum")
