"""pinBaseImage: goldens, the stable-tag table, the DL3006/DL3007 quick fix, where it is (not) offered."""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.image_facts import stable_checked, stable_tag, table
from dockerfile_refactor_ls.engine.images import parse_image, parse_tag
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.refactors import pin_base_image as pb
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import refactoring_named
from dockerfile_refactor_ls.rules.analysis import diagnose

from ._golden import Goldens, assert_line_endings_kept, read

GOLDENS = Goldens("pin_base_image", pb.REFACTORING)
GOLDEN, CASES = GOLDENS.folder, GOLDENS.cases
outcome, run = GOLDENS.outcome, GOLDENS.run
DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "pin-base-image.md"
TABLE = Path(pb.__file__).resolve().parents[1] / "engine" / "data" / "images.toml"



def codes(text: str) -> list[str]:
    return [f.code for f in diagnose(Dockerfile(text), Settings())]


def test_registered() -> None:
    ref = refactoring_named("pinBaseImage")
    assert ref is pb.REFACTORING and ref.kind == "refactor.rewrite.pinBaseImage"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    assert run(read(GOLDEN / f"{case}.in.Dockerfile")) == read(GOLDEN / f"{case}.out.Dockerfile")


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    result = outcome(text)
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    dockerfile.parse_string(out)
    assert not {"DL3006", "DL3007"} & set(codes(out))  # what it promises, by our own rules
    assert isinstance(outcome(out), NotApplicable)  # not offered again on its own result
    assert all(len(e.span) <= len("stable-alpine") for e in result.edits)  # only the tag changes
    assert_line_endings_kept(text, out)


def test_the_stable_table_keeps_the_variant_and_says_where_from() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stable_checked())
    stable = table()["stable"]
    raw = TABLE.read_text()
    for key, tags in stable.items():
        if key == "checked":
            continue
        # each repository's table cites the official image's source in the comment above it
        assert re.search(r"# https://\S+.*\n\[stable\.(\"" + re.escape(key) + r"\"|" + re.escape(key) + r")\]", raw), key
        for written, pinned in tags.items():
            info = parse_tag(pinned)
            assert info.version is not None or pinned in ("trixie", "trixie-slim"), (key, pinned)
            variant = written.removeprefix("lts").removeprefix("stable").strip("-")
            if written != "latest" and variant and variant not in ("lts", "stable"):
                assert pinned.endswith(variant), (key, written, pinned)


@pytest.mark.parametrize(
    ("ref", "tag"),
    [("golang", "1.27-trixie"), ("node:alpine", "24-alpine"), ("python:slim", "3.14-slim"), ("node:latest", "24-trixie"),
     ("docker.io/library/rust:slim", "1.98-slim"), ("golang:1.22", None), ("node:latest@sha256:" + "a" * 64, None),
     ("eclipse-temurin", None)],
)
def test_stable_tag(ref: str, tag: str | None) -> None:
    assert stable_tag(parse_image(ref)) == tag


def test_quick_fix_on_dl3006_and_dl3007() -> None:
    for text in ("FROM golang\n", "FROM golang:latest\n"):
        found = [f for f in diagnose(Dockerfile(text), Settings()) if f.code in ("DL3006", "DL3007")]
        assert [f.refactorable for f in found] == [True] and "DL3006" in pb.REFACTORING.resolves
    # no quick fix where the table knows no stable tag: the action would not apply
    found = [f for f in diagnose(Dockerfile("FROM eclipse-temurin\n"), Settings()) if f.code == "DL3006"]
    assert [f.refactorable for f in found] == [False]


def test_cursor_pins_only_its_from() -> None:
    text = "FROM golang AS build\nRUN go build\nFROM alpine\nCOPY --from=build /x /x\n"
    at = text.index("alpine")
    assert run(text, Span(at, at)) == "FROM golang AS build\nRUN go build\nFROM alpine:3.24\nCOPY --from=build /x /x\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("FROM golang:1.22\n", "no FROM uses latest or an untagged image the base-image table knows"),
        ("FROM eclipse-temurin\n", "no stable tag of eclipse-temurin is known (the base-image table lists none for it)"),
        ("FROM golang:${V}\n", "the image of stage 0 is given by a variable"),
        ("FROM node:latest@sha256:" + "a" * 64 + "\n", "node:latest@sha256:" + "a" * 64 + " is pinned by a digest already"),
        ("# nothing\n", "no FROM names an image"),
    ],
)
def test_not_offered(text: str, reason: str) -> None:
    result = outcome(text)
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_doc_lists_every_reason() -> None:
    doc = DOC.read_text()
    for reason in pb.REASONS:
        assert reason.split("{")[0].strip() in doc or reason.split("}")[-1].strip() in doc, reason
