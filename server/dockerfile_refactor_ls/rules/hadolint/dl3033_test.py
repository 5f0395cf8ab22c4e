from ._testing import flagged


def test_unpinned() -> None:
    assert flagged("DL3033", "FROM centos:7\nRUN yum install -y httpd\n") == ["yum install"]
    assert flagged("DL3033", "FROM centos:8\nRUN yum module install -y nodejs\n") == ["yum module install"]


def test_pinned_passes() -> None:
    for cmd in ("yum install -y httpd-2.4.6", "yum install -y /tmp/x.rpm", "yum module install -y nodejs:20", "yum install -y $PKGS"):
        assert flagged("DL3033", f"FROM centos:7\nRUN {cmd}\n") == [], cmd
