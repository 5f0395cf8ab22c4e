from ._testing import findings, flagged

OPTS: dict[str, object] = {"label_schema": {"required": "text"}, "strict_labels": True}


def test_labels_outside_the_schema() -> None:
    assert flagged("DL3050", 'FROM a:1\nLABEL other="bar"\n', **OPTS) == ["other"]
    found = findings("DL3050", 'FROM a:1\nLABEL required="foo" other="bar" third=x\n', **OPTS)
    assert [f.message for f in found] == ["Superfluous label(s) present: `other`, `third`."]


def test_schema_labels_pass() -> None:
    assert flagged("DL3050", 'FROM a:1\nLABEL required="foo"\n', **OPTS) == []
    assert flagged("DL3050", "FROM a:1\n", **OPTS) == []


def test_fragment_and_onbuild() -> None:
    assert flagged("DL3050", 'LABEL other="bar"\n', **OPTS) == ["other"]
    assert flagged("DL3050", 'FROM a:1\nONBUILD LABEL other="bar"\n', **OPTS) == ["other"]


def test_off_without_strict_labels() -> None:
    assert flagged("DL3050", 'FROM a:1\nLABEL other="bar"\n', label_schema={"required": "text"}) == []
    assert flagged("DL3050", 'FROM a:1\nLABEL other="bar"\n', label_schema={"required": "text"}, strict_labels=False) == []
