from ._testing import fixed, flagged


def test_missing_yes() -> None:
    assert flagged("DL3030", "FROM centos:7\nRUN yum install httpd-2.4\n") == ["yum install"]


def test_passes() -> None:
    for cmd in ("yum install -y httpd", "yum -y install httpd", "yum install --assumeyes httpd", "yum update -y"):
        assert flagged("DL3030", f"FROM centos:7\nRUN {cmd}\n") == [], cmd


def test_fix() -> None:
    assert fixed("DL3030", "FROM centos:7\nRUN yum install httpd\n") == "FROM centos:7\nRUN yum install -y httpd\n"
