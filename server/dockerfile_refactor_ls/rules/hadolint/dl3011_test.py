from ._testing import flagged


def test_out_of_range() -> None:
    assert flagged("DL3011", "FROM alpine:3.20\nEXPOSE 80 80800 1000-70000/udp\n") == ["80800", "1000-70000/udp"]


def test_valid_and_variables_pass() -> None:
    assert flagged("DL3011", "FROM alpine:3.20\nEXPOSE 80/tcp 443 8000-8100 $PORT\n") == []
