from ._testing import flagged


def test_invalid_keys() -> None:
    text = 'FROM alpine:3.20\nLABEL Version_Number="1" com.docker.x=1 "a..b"=1 ok.key-1=1\n'
    assert flagged("DL3048", text) == ["Version_Number", "com.docker.x", '"a..b"']


def test_valid_keys_pass() -> None:
    text = 'FROM alpine:3.20\nLABEL org.opencontainers.image.title="x" maintainer="me" ${KEY}=1\n'
    assert flagged("DL3048", text) == []
