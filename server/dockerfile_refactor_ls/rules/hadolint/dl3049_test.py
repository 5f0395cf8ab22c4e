from ._testing import findings, flagged

SCHEMA = {"foo": "text"}


def count(text: str, schema: dict[str, str] | None = None) -> int:
    return len(findings("DL3049", text, label_schema=SCHEMA if schema is None else schema))


def test_single_stage_without_the_label() -> None:
    assert flagged("DL3049", "FROM baseimage\n", label_schema=SCHEMA) == ["FROM"]
    assert count('FROM baseimage\nLABEL bar="baz"\n') == 1
    assert count('FROM baseimage\nLABEL foo="bar"\n') == 0


def test_message_names_the_label_and_one_finding_per_missing_label() -> None:
    found = findings("DL3049", "FROM alpine:3.20\n", label_schema={"a": "text", "b": "url"})
    assert sorted(f.message for f in found) == ["Label `a` is missing.", "Label `b` is missing."]


def test_every_unrelated_stage_needs_the_label() -> None:
    assert count("FROM stage1\nFROM stage2\n") == 2
    assert count('FROM stage1\nLABEL bar="baz"\nFROM stage2\nLABEL buzz="fuzz"\n') == 2
    assert count('FROM baseimage\nLABEL foo="bar"\nFROM newimage\n') == 1
    assert count('FROM baseimage\nFROM newimage\nLABEL foo="bar"\n') == 1


def test_inherited_from_a_labelled_stage() -> None:
    assert count('FROM baseimage AS base\nLABEL foo="bar"\nFROM base\n') == 0
    assert count("FROM baseimage AS base\nFROM base\n") == 2
    # Stage names match without regard to case, as BuildKit resolves them.
    assert count('FROM baseimage AS Base\nLABEL foo="bar"\nFROM base\n') == 0


def test_a_stage_labelled_through_its_child_is_not_reported() -> None:
    assert count('FROM baseimage AS base\nFROM base\nLABEL foo="bar"\n') == 0
    assert count('FROM baseimage AS base\nFROM base\nLABEL foo="bar"\n\nFROM base\n') == 1
    assert count('FROM baseimage AS base\nFROM base\n\nFROM base\nLABEL foo="bar"\n') == 1


def test_stages_copied_from_are_helpers() -> None:
    assert count('FROM baseimage AS base\nFROM anotherimage\nLABEL foo="bar"\nCOPY --from=base /bar /baz\n') == 0
    assert count('FROM baseimage AS base\nFROM anotherimage\nLABEL foo="bar"\n') == 1
    text = 'FROM baseimage AS base\nFROM newimage\nLABEL foo="bar"\nCOPY --from=base /a /b\n\nFROM newimage\nCOPY --from=base /a /b\n'
    assert count(text) == 1


def test_no_schema_no_findings() -> None:
    assert count("FROM alpine:3.20\n", {}) == 0
    assert findings("DL3049", "FROM alpine:3.20\n") == []
