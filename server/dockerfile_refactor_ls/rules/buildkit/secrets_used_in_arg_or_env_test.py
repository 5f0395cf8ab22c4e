from ._testing import diagnosed, flagged, messages
from .secrets_used_in_arg_or_env import is_secret_name


def test_message() -> None:
    assert messages("SecretsUsedInArgOrEnv", "FROM alpine\nARG GITHUB_TOKEN\n") == [
        'Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")'
    ]


def test_secret_words() -> None:
    for name in ("api_key", "AWS_SECRET_ACCESS_KEY", "password", "DB_PASSWD", "auth", "NPM_TOKEN", "apikey",
                 "my_credentials", "credential", "x_pword"):
        assert is_secret_name(name), name


def test_containing_a_token_is_not_enough() -> None:
    for name in ("MONKEY", "AUTHOR", "KEYBOARD_LAYOUT", "TOKENIZER", "passwords", "PASSWORDLESS"):
        assert not is_secret_name(name), name


def test_allow_list() -> None:
    for name in ("PUBLIC_KEY", "SECRET_PASSPHRASE_FILE", "AUTH_MODULE_VERSION", "public_token", "key_file"):
        assert not is_secret_name(name), name


def test_every_pair_of_an_instruction() -> None:
    assert flagged("SecretsUsedInArgOrEnv", "FROM alpine\nENV password=bar secret=baz sunflower=1\n") == [
        "password",
        "secret",
    ]


def test_global_args_are_not_checked() -> None:
    assert flagged("SecretsUsedInArgOrEnv", "ARG NPM_TOKEN\nFROM alpine\n") == []
    assert flagged("SecretsUsedInArgOrEnv", "ARG NPM_TOKEN\nFROM alpine\nARG NPM_TOKEN\n") == ["NPM_TOKEN"]


def test_check_comment_applies_to_the_next_instruction_only() -> None:
    text = (
        "FROM alpine\n# check=skip=SecretsUsedInArgOrEnv // allowed here\nARG password\n"
        "ARG api_key\n"
    )
    assert [text[f.span.start : f.span.end] for f in diagnosed("SecretsUsedInArgOrEnv", text)] == ["api_key"]
