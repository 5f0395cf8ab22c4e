from ._testing import findings, fixed, flagged, messages


def test_env_and_label_legacy_form() -> None:
    text = "FROM alpine\nENV testkey value\nlabel key value\n"
    assert messages("LegacyKeyValueFormat", text) == [
        '"ENV key=value" should be used instead of legacy "ENV key value" format',
        '"label key=value" should be used instead of legacy "label key value" format',
    ]
    assert flagged("LegacyKeyValueFormat", text) == ["testkey value", "key value"]


def test_fix_quotes_values_with_spaces() -> None:
    assert fixed("LegacyKeyValueFormat", "FROM alpine\nENV GREETING hello world\n") == (
        'FROM alpine\nENV GREETING="hello world"\n'
    )
    assert fixed("LegacyKeyValueFormat", "FROM alpine\nENV PATH /opt/bin:$PATH\n") == "FROM alpine\nENV PATH=/opt/bin:$PATH\n"


def test_no_fix_when_quotes_would_change_the_value() -> None:
    found = findings("LegacyKeyValueFormat", 'FROM alpine\nENV A "b c" d\n')
    assert len(found) == 1 and found[0].fixes == []


def test_modern_form_and_arg_pass() -> None:
    assert flagged("LegacyKeyValueFormat", 'FROM alpine\nENV a=1 b="2 3"\nLABEL k=v\nARG x y\n') == []


def test_onbuild_env() -> None:
    assert flagged("LegacyKeyValueFormat", "FROM alpine\nONBUILD ENV key value\n") == ["key value"]
