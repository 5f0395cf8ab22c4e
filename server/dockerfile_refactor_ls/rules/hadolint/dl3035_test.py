from ._testing import flagged


def test_dist_upgrade() -> None:
    assert flagged("DL3035", "FROM opensuse/leap:15.6\nRUN zypper dup -y && zypper -n dist-upgrade\n") == ["zypper dup", "zypper -n dist-upgrade"]


def test_update_passes() -> None:
    assert flagged("DL3035", "FROM opensuse/leap:15.6\nRUN zypper update -y\n") == []
