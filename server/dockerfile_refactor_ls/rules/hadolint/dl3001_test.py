from ._testing import flagged


def test_pointless_commands() -> None:
    text = "FROM debian:12\nRUN service nginx start && ps aux && vim /etc/hosts\n"
    assert flagged("DL3001", text) == ["service", "ps", "vim"]


def test_as_arguments_pass() -> None:
    assert flagged("DL3001", "FROM debian:12\nRUN apt-get install -y vim procps openssh-client\n") == []
