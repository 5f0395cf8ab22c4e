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


def test_dnf_subcommands_and_short_forms() -> None:
    for run in ("dnf in -y mariadb-10.4", "dnf -y upgrade", "dnf -y up", "dnf -y upgrade-minimal", "dnf -y up-min",
                "dnf -y reinstall x", "dnf -y rei x", "dnf5 install -y x"):
        assert len(flagged("DL3040", f"FROM fedora:41\nRUN {run}\n")) == 1, run


def test_clean_must_follow_and_be_done_by_the_same_tool() -> None:
    for run in (
        "dnf install -y mariadb-10.4 && microdnf clean all",
        "microdnf clean all && dnf in -y mariadb-10.4",
        "rm -rf /var/cache/libdnf5 && dnf in -y mariadb-10.4",
    ):
        assert flagged("DL3040", f"FROM fedora:41\nRUN {run}\n") != [], run
    assert flagged("DL3040", "FROM fedora:41\nRUN dnf in -y x && rm -rf /var/cache/libdnf5*\n") == []


def test_libdnf5_cache_and_tmpfs_mounts() -> None:
    for mount in ("type=cache,target=/var/cache/libdnf5", "type=tmpfs,target=/var/cache/libdnf5", "type=cache,target=/root/.cache/libdnf5"):
        for tool in ("dnf", "microdnf"):
            assert flagged("DL3040", f"FROM fedora:41\nRUN --mount={mount} {tool} install -y mariadb-10.4\n") == [], (mount, tool)
    assert flagged("DL3040", "FROM fedora:41\nRUN --mount=type=bind,target=/var/cache/libdnf5 dnf install -y x\n") != []
