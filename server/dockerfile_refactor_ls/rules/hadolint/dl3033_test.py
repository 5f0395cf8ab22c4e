from ._testing import flagged


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
    run = "RUN yum -y install git-core-${version}\n"
    for pre in ("ENV version=2.51.0-2.fc42\n", "ARG version=2.51.0-2.fc42\n",
                "FROM centos:7 AS build\nENV version=2.51.0-2.fc42\nFROM build\n",
                "FROM centos:7\nARG version\n"):
        text = pre + run if pre.startswith("FROM") else "FROM centos:7\n" + pre + run
        assert flagged("DL3033", text) == [], text
    # An ENV or ARG of another stage is not in this RUN's environment (BuildKit), nor a global
    # ARG the stage does not declare again.
    for pre in ("FROM centos:7 AS build\nENV version=2.51.0-2.fc42\nFROM centos:7\n",
                "FROM centos:7 AS build\nARG version=2.51.0-2.fc42\nFROM centos:7\n",
                "ARG version=1\nFROM centos:7\n", "FROM centos:7\n"):
        assert flagged("DL3033", pre + run) == ["yum -y install"], pre
    assert flagged("DL3033", "FROM centos:7\nARG PKGS\nRUN yum install -y $PKGS\n") == []
    assert flagged("DL3033", "FROM centos:7\nRUN yum install -y $(cat /pkgs)\n") == []
