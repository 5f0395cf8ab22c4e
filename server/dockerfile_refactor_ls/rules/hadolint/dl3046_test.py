from ._testing import fixed, flagged


def test_high_uid_without_l() -> None:
    assert flagged("DL3046", "FROM debian:12\nRUN useradd -u 123456 app\n") == ["useradd"]
    assert flagged("DL3046", "FROM debian:12\nRUN useradd --uid=1234567 app\n") == ["useradd"]


def test_passes() -> None:
    for cmd in ("useradd -l -u 123456 app", "useradd --no-log-init -u 123456 app", "useradd -u 1000 app", "useradd -u $UID app"):
        assert flagged("DL3046", f"FROM debian:12\nRUN {cmd}\n") == [], cmd


def test_fix() -> None:
    assert fixed("DL3046", "FROM debian:12\nRUN useradd -u 123456 app\n") == "FROM debian:12\nRUN useradd -l -u 123456 app\n"
