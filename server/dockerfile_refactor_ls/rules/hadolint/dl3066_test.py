from ._testing import flagged


def test_numeric_ids_pass() -> None:
    assert flagged("DL3066", "FROM a:1\nUSER 12345\n") == []
    assert flagged("DL3066", "FROM a:1\nUSER 1234:5678\n") == []
    assert flagged("DL3066", "FROM a:1\nUSER 1234:staff\n") == []


def test_names() -> None:
    assert flagged("DL3066", "FROM a:1\nUSER foobar\n") == ["foobar"]
    assert flagged("DL3066", "FROM a:1\nUSER foobar:barfoo\n") == ["foobar:barfoo"]
    assert flagged("DL3066", "USER foobar\n") == ["foobar"]


def test_id_from_a_declared_arg() -> None:
    assert flagged("DL3066", "ARG APP_UID\nFROM foobar:barfoo\nUSER ${APP_UID}\n") == []
    assert flagged("DL3066", "FROM foobar:barfoo\nARG APP_UID=10001\nUSER $APP_UID:0\n") == []
    # A variable that no ARG declares is not a build-time id.
    assert flagged("DL3066", "FROM foobar:barfoo\nUSER ${APP_UID}\n") == ["${APP_UID}"]
