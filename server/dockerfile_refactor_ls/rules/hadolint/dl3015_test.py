from ._testing import findings, fixed, flagged


def test_missing_no_install_recommends() -> None:
    assert flagged("DL3015", "FROM debian:12\nRUN apt-get install -y curl\n") == ["apt-get install"]


def test_passes() -> None:
    for cmd in (
        "apt-get install -y --no-install-recommends curl",
        "apt-get -o APT::Install-Recommends=false install -y curl",
        "apt-get update",
    ):
        assert flagged("DL3015", f"FROM debian:12\nRUN {cmd}\n") == [], cmd


def test_configured_in_earlier_run_passes() -> None:
    text = (
        "FROM debian:12\n"
        "RUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norecommend\n"
        "RUN apt-get install -y curl\n"
    )
    assert flagged("DL3015", text) == []


def test_fix_is_offered_but_not_safe() -> None:
    text = "FROM debian:12\nRUN apt-get install -y curl\n"
    assert not findings("DL3015", text)[0].fixes[0].safe
    assert fixed("DL3015", text) == "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl\n"
