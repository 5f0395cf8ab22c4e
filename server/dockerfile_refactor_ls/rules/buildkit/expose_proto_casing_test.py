from ._testing import fixed, flagged


def test_upper_case_protocols() -> None:
    assert flagged("ExposeProtoCasing", "FROM alpine\nEXPOSE 80/TcP 8080/TCP 8080/udp 53\n") == ["80/TcP", "8080/TCP"]


def test_fix_lowercases() -> None:
    assert fixed("ExposeProtoCasing", "FROM alpine\nEXPOSE 80/TCP\n") == "FROM alpine\nEXPOSE 80/tcp\n"


def test_variables_and_invalid_protocols_are_left_alone() -> None:
    assert flagged("ExposeProtoCasing", "FROM alpine\nEXPOSE $PORT/TCP 80/HTTP\n") == []
