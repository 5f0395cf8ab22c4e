from ._testing import flagged


def test_sudo() -> None:
    assert flagged("DL3004", "FROM debian:12\nRUN sudo apt-get install -y curl\n") == ["sudo apt-get"]
    assert flagged("DL3004", "FROM debian:12\nRUN sudo\n") == ["sudo"]


def test_sudo_as_package_or_text_passes() -> None:
    assert flagged("DL3004", "FROM debian:12\nRUN apt-get install -y sudo && echo 'app ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers\n") == []
