from ._testing import fixed, flagged


def test_missing_clean() -> None:
    assert flagged("DL3032", "FROM centos:7\nRUN yum install -y httpd\n") == ["yum install"]


def test_passes() -> None:
    for run in (
        "yum install -y httpd && yum clean all",
        "yum install -y httpd && rm -rf /var/cache/yum",
        "--mount=type=cache,target=/var/cache/yum yum install -y httpd",
    ):
        assert flagged("DL3032", f"FROM centos:7\nRUN {run}\n") == [], run


def test_clean_before_install_does_not_count() -> None:
    assert flagged("DL3032", "FROM centos:7\nRUN yum clean all && yum install -y httpd\n") == ["yum install"]


def test_fix() -> None:
    assert fixed("DL3032", "FROM centos:7\nRUN yum install -y httpd\n") == "FROM centos:7\nRUN yum install -y httpd && yum clean all\n"
