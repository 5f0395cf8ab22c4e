from ...engine.settings import Settings
from ._testing import diagnosed, findings, fixed

EXP = "# check=experimental=InvalidDefinitionDescription\n"


def test_off_unless_enabled() -> None:
    text = "# not a description\nFROM alpine AS base\n"
    assert len(findings("InvalidDefinitionDescription", text)) == 1  # the check itself
    assert diagnosed("InvalidDefinitionDescription", text) == []  # experimental: off by default
    assert len(diagnosed("InvalidDefinitionDescription", EXP + text)) == 1
    assert len(diagnosed("InvalidDefinitionDescription", "# check=experimental=all\n" + text)) == 1
    on = Settings.from_client({"rules": {"severity": {"InvalidDefinitionDescription": "warning"}}})
    assert len(diagnosed("InvalidDefinitionDescription", text, settings=on)) == 1


def test_skip_all_does_not_turn_it_off() -> None:
    text = "# check=skip=all;experimental=InvalidDefinitionDescription\n# nope\nARG V=1\nFROM alpine\n"
    assert len(diagnosed("InvalidDefinitionDescription", text)) == 1


def test_enabled_by_a_comment_above_the_instruction() -> None:
    text = "FROM alpine\n# check=experimental=InvalidDefinitionDescription\n# the version\nARG VERSION=1\n"
    assert [f.message for f in diagnosed("InvalidDefinitionDescription", text)] == [
        "Comment for ARG should follow the format: `# VERSION <description>`"
    ]


def test_descriptions_pass() -> None:
    text = EXP + "# base is the base\nFROM alpine AS base\n# VERSION the version\nARG VERSION=1\n#\nARG X\n"
    assert diagnosed("InvalidDefinitionDescription", text) == []


def test_fixes() -> None:
    text = "# the version\nARG VERSION=1\nFROM alpine\n"
    assert fixed("InvalidDefinitionDescription", text) == "# VERSION the version\nARG VERSION=1\nFROM alpine\n"
    assert fixed("InvalidDefinitionDescription", text, fix=1) == "# the version\n#\nARG VERSION=1\nFROM alpine\n"


def test_blank_line_does_not_separate() -> None:
    # BuildKit's parser keeps the comment block across blank lines.
    assert len(findings("InvalidDefinitionDescription", "# unrelated\n\nARG V=1\nFROM alpine\n")) == 1
