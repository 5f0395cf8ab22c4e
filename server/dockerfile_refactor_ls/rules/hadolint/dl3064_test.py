from ._testing import flagged


def test_sensitive_names() -> None:
    assert flagged("DL3064", "ARG AWS_ACCESS_KEY_ID\nFROM debian:bullseye\nRUN foobar\n") == ["AWS_ACCESS_KEY_ID"]
    assert flagged("DL3064", "ARG openai_api_key\nFROM debian:bullseye\n") == ["openai_api_key"]
    assert flagged("DL3064", "FROM debian:bullseye\nENV AWS_ACCESS_KEY_ID=abc\n") == ["AWS_ACCESS_KEY_ID"]
    assert flagged("DL3064", "FROM debian:bullseye\nENV my_password=abc OTHER=1\n") == ["my_password"]
    assert flagged("DL3064", "FROM debian:bullseye\nENV DB_TOKEN abc\n") == ["DB_TOKEN"]
    assert flagged("DL3064", "FROM debian:bullseye\nONBUILD ARG GITHUB_TOKEN\n") == ["GITHUB_TOKEN"]


def test_ordinary_names_pass() -> None:
    assert flagged("DL3064", "FROM debian:bullseye\nRUN foobar\n") == []
    assert flagged("DL3064", "ARG foobar\nFROM debian:bullseye\nENV foobar=barfoo PATH=/x\n") == []
