from __future__ import annotations

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ...refactors.name_stages import KIND
from ...refactors.registry import resolving
from ..base import RuleContext
from .stage_referenced_by_index import RULE


def flagged(text: str) -> list[tuple[str, bool]]:
    out = []
    for f in RULE.check(RuleContext(Dockerfile(text))):
        assert f.severity is Severity.INFORMATION
        out.append((text[f.span.start : f.span.end], f.refactorable))
    return out


def test_index_references_are_reported_with_the_quick_fix() -> None:
    text = "FROM golang:1.23\nRUN go build -o /a\nFROM alpine:3.20\nCOPY --from=0 /a /a\nADD --from=0 /a /b\n"
    assert flagged(text) == [("0", True), ("0", True)]
    assert [r.kind for r in resolving(RULE.code)] == [KIND]


def test_named_stages_are_fixable_too() -> None:
    assert flagged("FROM golang:1.23 AS build\nFROM alpine\nCOPY --from=0 /a /a\n") == [("0", True)]


def test_names_images_mounts_and_unknown_indexes_are_not_reported() -> None:
    assert flagged("FROM golang AS b\nFROM alpine\nCOPY --from=b /a /a\nCOPY --from=nginx /x /x\n") == []
    # BuildKit reads a number in --mount from= and in FROM as an image name.
    assert flagged("FROM golang\nFROM alpine\nRUN --mount=from=0,target=/m ls /m\n") == []
    assert flagged("FROM alpine\nCOPY --from=3 /a /a\n") == []
