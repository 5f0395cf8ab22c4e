"""versionArg: goldens, the images stay the same, where it is (not) offered and why."""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.images import resolve_image_text
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.refactors import version_arg as va
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import refactoring_named

from ._golden import Goldens, assert_line_endings_kept, read

GOLDENS = Goldens("version_arg", va.REFACTORING)
GOLDEN, CASES = GOLDENS.folder, GOLDENS.cases
outcome, run = GOLDENS.outcome, GOLDENS.run
DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "version-arg.md"



def test_registered() -> None:
    ref = refactoring_named("versionArg")
    assert ref is va.REFACTORING
    assert ref.kind == "refactor.extract.versionArg"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    assert run(read(GOLDEN / f"{case}.in.Dockerfile")) == read(GOLDEN / f"{case}.out.Dockerfile")


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    result = outcome(text)
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    dockerfile.parse_string(out)  # BuildKit's parser accepts it (raises otherwise)
    before, after = Dockerfile(text), Dockerfile(out)
    # the same images are built: every FROM resolves to what it said before
    assert [resolve_image_text(before, s) for s in before.stages] == [resolve_image_text(after, s) for s in after.stages]
    # minimal: only the version characters change, plus one inserted ARG line
    assert all(len(e.span) <= 8 for e in result.edits)
    # not offered again for the same family (another image of the file may still be offered)
    again = outcome(out)
    assert not (isinstance(again, RefactorResult) and again.title == result.title)
    assert_line_endings_kept(text, out)


def test_a_different_version_of_the_family_is_left_alone() -> None:
    out = run(read(GOLDEN / "lowercase_other_version.in.Dockerfile"))
    assert "from node:18-alpine\n" in out


def test_cursor_picks_the_image_of_its_stage() -> None:
    text = "FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /x /x\n"
    doc = Dockerfile(text)
    at = text.index("COPY")
    result = outcome(text, Span(at, at))
    assert isinstance(result, RefactorResult) and result.title == "Extract the alpine version into ARG ALPINE_VERSION"
    assert apply_edits(text, result.edits).startswith("ARG ALPINE_VERSION=3.20\n\nFROM golang:1.22 AS build")
    assert len(doc.stages) == 2


def test_existing_global_arg_with_the_same_value_is_reused() -> None:
    text = "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION} AS a\nFROM golang:1.22-alpine\nCOPY --from=a /x /x\n"
    assert run(text) == "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION} AS a\nFROM golang:${GO_VERSION}-alpine\nCOPY --from=a /x /x\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("FROM golang\n", "golang has no version tag (use pinBaseImage first)"),
        ("FROM golang:latest\n", "golang:latest has no version tag (use pinBaseImage first)"),
        ("FROM golang:${V}\n", "the image of stage 0 is given by a variable already"),
        ("FROM golang:1.22@sha256:" + "a" * 64 + "\n",
         "golang:1.22@sha256:" + "a" * 64 + " is pinned by a digest: a version ARG would not change the image"),
        ("FROM node:lts-alpine\n", "the tag of node:lts-alpine does not start with a version"),
        ("# just a comment\n", "no FROM names an image with a version tag"),
    ],
)
def test_not_offered(text: str, reason: str) -> None:
    result = outcome(text)
    assert isinstance(result, NotApplicable)
    assert result.reason == reason


def test_doc_lists_every_reason() -> None:
    doc = DOC.read_text()
    for reason in va.REASONS:
        assert re.sub(r"\{\w+\}", "", reason.split("{")[0]).strip() in doc, reason
