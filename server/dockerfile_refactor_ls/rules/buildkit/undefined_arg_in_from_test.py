from ...engine.findings import apply_edits
from ._testing import findings, flagged, messages


def test_typo_with_suggestion_and_fix() -> None:
    text = "FROM --platform=$BULIDPLATFORM golang:1.22\n"
    (f,) = findings("UndefinedArgInFrom", text)
    assert f.message == "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"
    assert apply_edits(text, f.fixes[0].edits) == "FROM --platform=$BUILDPLATFORM golang:1.22\n"


def test_undeclared_without_close_match() -> None:
    assert messages("UndefinedArgInFrom", "ARG tag=latest\nFROM busybox:${tag}${version}\n") == [
        "FROM argument 'version' is not declared"
    ]


def test_declared_or_automatic() -> None:
    assert flagged("UndefinedArgInFrom", "ARG DEBUG\nFROM scra${DEBUG:-tch}\n") == []
    assert flagged("UndefinedArgInFrom", "FROM --platform=$BUILDPLATFORM alpine\n") == []


def test_stage_args_are_not_visible_to_from() -> None:
    assert flagged("UndefinedArgInFrom", "FROM alpine\nARG TAG=1\nFROM busybox:$TAG\n") == ["TAG"]
