from ._testing import fixed, flagged


def test_missing_yes() -> None:
    assert flagged("DL3014", "FROM debian:12\nRUN apt-get install curl\n") == ["apt-get install"]


def test_yes_forms_pass() -> None:
    for flags in ("-y", "--yes", "-qq", "-yq", "--assume-yes", "-o APT::Get::Assume-Yes=true"):
        assert flagged("DL3014", f"FROM debian:12\nRUN apt-get {flags} install curl\n") == [], flags


def test_configured_earlier_passes() -> None:
    text = (
        "FROM debian:12\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\n"
        "RUN apt-get install curl\n"
    )
    assert flagged("DL3014", text) == []


def test_fix() -> None:
    assert fixed("DL3014", "FROM debian:12\nRUN apt-get install curl\n") == "FROM debian:12\nRUN apt-get install -y curl\n"


def test_quiet_level_two_implies_yes_but_one_does_not() -> None:
    for cmd in ("apt-get install -q python", "apt-get install --quiet python"):
        assert flagged("DL3014", f"FROM debian:12\nRUN {cmd}\n") == ["apt-get install"], cmd
    for cmd in ("apt-get install -qq python", "apt-get -q -q install python", "apt-get install -q=2 python",
                "apt-get install --quiet --quiet python", "apt-get install --yes python"):
        assert flagged("DL3014", f"FROM debian:12\nRUN {cmd}\n") == [], cmd
