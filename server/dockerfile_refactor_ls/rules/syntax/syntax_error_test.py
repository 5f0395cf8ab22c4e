"""syntax-error: what BuildKit cannot build, one error at a time where the user is typing."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.rules.base import RuleContext
from dockerfile_refactor_ls.rules.syntax.syntax_error import RULE


def errors(text: str) -> list[tuple[str, str]]:
    doc = Dockerfile(text)
    return [(f.message, text[f.span.start : f.span.end]) for f in RULE.check(RuleContext(doc))]


@pytest.mark.parametrize("typed", ["COPY --from=", "COPY --from= ", "COPY --chown= --from=a"])
def test_half_typed_flag_is_the_only_error(typed: str) -> None:
    got = errors(f"FROM alpine AS a\nFROM alpine\n{typed}\n")
    assert len(got) == 1
    assert got[0][0].startswith("missing a value on flag: --")


def test_unknown_flag_alone() -> None:
    assert errors("FROM alpine\nCOPY --form=a\n") == [("unknown flag: --form", "--form=a")]


def test_missing_arguments_once_the_flags_are_fine() -> None:
    assert errors("FROM alpine AS a\nFROM alpine\nCOPY --from=a\n") == [("COPY requires at least one argument", "COPY")]
    assert errors("FROM alpine\nCOPY src\n")[0][0].startswith("COPY requires at least two arguments")
