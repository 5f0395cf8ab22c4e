from ._testing import fixed, flagged, messages


def test_ip_and_host_port() -> None:
    text = "FROM alpine\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000 9000/udp\n"
    assert flagged("ExposeInvalidFormat", text) == ["127.0.0.1:80:80", "[::1]:8080:8080", "5000:5000"]
    assert messages("ExposeInvalidFormat", "FROM alpine\nEXPOSE 80:80\n") == [
        "EXPOSE instruction should not define an IP address or host-port mapping, found '80:80'"
    ]


def test_fix_keeps_container_port_and_protocol() -> None:
    assert fixed("ExposeInvalidFormat", "FROM alpine\nEXPOSE 127.0.0.1:8080:80/udp\n") == "FROM alpine\nEXPOSE 80/udp\n"
