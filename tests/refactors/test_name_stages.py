"""nameStages: goldens, the guarantees (BuildKit parses the result and resolves every reference to the
same stage, only insertions and index rewrites, not offered twice) and where it is not offered."""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import STAGE_NAME_RE, Dockerfile
from dockerfile_refactor_ls.refactors import name_stages as ns
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import refactoring_named

from ._golden import Goldens, read

GOLDENS = Goldens("name_stages", ns.REFACTORING)
GOLDEN, CASES = GOLDENS.folder, GOLDENS.cases
outcome, run = GOLDENS.outcome, GOLDENS.run
DOCS = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "name-stages.md"


def test_registered() -> None:
    ref = refactoring_named("nameStages")
    assert ref is ns.REFACTORING and ref.kind == "refactor.rewrite.nameStages"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    assert run(read(GOLDEN / f"{case}.in.Dockerfile")) == read(GOLDEN / f"{case}.out.Dockerfile")


def _copy_targets(doc: Dockerfile) -> list[int | None]:
    return [cf.stage.index if cf.stage else None for s in doc.stages for cf in s.copies_from]


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    result = outcome(text)
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    dockerfile.parse_string(out)  # BuildKit's parser accepts it
    before, after = Dockerfile(text), Dockerfile(out)
    assert len(after.stages) == len(before.stages)
    # Every stage has a valid, lower-case, unique name; the named ones kept theirs.
    keys = [s.key for s in after.stages]
    assert None not in keys and len(set(keys)) == len(keys)
    for old, new in zip(before.stages, after.stages, strict=True):
        assert new.name == old.name or (old.name is None and new.name and STAGE_NAME_RE.match(new.name))
        assert new.name == new.key
        # FROM <stage> and FROM <image> are what they were (a new name never captures an image).
        assert (new.base_stage.index if new.base_stage else None) == (old.base_stage.index if old.base_stage else None)
        assert [i.original for i in new.instructions if i.cmd not in ("copy", "add")] == [
            i.original for i in old.instructions if i.cmd not in ("copy", "add")
        ]
    # Every COPY --from resolves to the stage it did, now by name.
    assert _copy_targets(after) == _copy_targets(before)
    assert not any((cf.flag.value or "").strip("\"'").isdigit() for s in after.stages for cf in s.copies_from)
    # Line endings kept; the edits are insertions after a FROM or a --from value.
    assert ("\r\n" in out) == ("\r\n" in text) and out.count("\n") == text.count("\n")
    assert all(len(e.span) == 0 or text[e.span.start : e.span.end].isdigit() for e in result.edits)
    again = outcome(out)
    assert isinstance(again, NotApplicable) and again.reason == ns.ALL_NAMED


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("FROM golang:1.22\nRUN go test ./...\nFROM alpine\nCOPY --from=0 /x /x\n", ["test", "runtime"]),
        ("FROM node:20\nRUN npm ci\nFROM node:20\nCOPY --from=0 /n /n\nRUN npm run build\nFROM nginx\n", ["deps", "builder", "runtime"]),
        ("FROM debian:12\nFROM 0\nRUN true\nFROM debian:12\n", ["debian-stage", "stage-1", "runtime"]),
        ("FROM alpine:3 AS b\nFROM b\nRUN apk add curl\nFROM b\n", ["b", "deps", "runtime"]),
        ("ARG IMG=busybox\nFROM ${IMG}\nFROM scratch\nCOPY --from=0 / /\n", ["stage-0", "runtime"]),
        # An image called "builder" that a later FROM pulls: the stage must not take its name.
        ("FROM golang\nRUN go build -o /a\nFROM builder\nCOPY --from=0 /a /a\n", ["builder-2", "runtime"]),
        ("FROM python:3.12\nRUN python -m pytest\nRUN python -m build\nFROM python:3.12-slim\n", ["builder", "runtime"]),
    ],
)
def test_names_say_what_the_stage_does(text: str, names: list[str]) -> None:
    out = Dockerfile(run(text))
    assert [s.name for s in out.stages] == names
    dockerfile.parse_string(out.text)


def test_mount_from_and_from_index_are_not_stage_references() -> None:
    # BuildKit reads a number in FROM and in --mount from= as an image name: rewriting it would
    # change what the build pulls (checked on BuildKit 0.8: "resolve docker.io/library/0:latest").
    text = "FROM golang:1.22\nRUN go build -o /a\nFROM alpine\nRUN --mount=from=0,target=/m ls /m\nCOPY --from=0 /a /a\n"
    out = run(text)
    assert "RUN --mount=from=0,target=/m ls /m\n" in out and "COPY --from=builder /a /a\n" in out


def test_keyword_case_follows_each_from() -> None:
    out = run("from golang:1.22\nrun go build\nFROM alpine\n")
    assert out.startswith("from golang:1.22 as builder\n") and "FROM alpine AS runtime\n" in out


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", ns.NO_STAGE),
        ("# just a comment\n", ns.NO_STAGE),
        ("FROM golang:1.22\nRUN go build\n", ns.SINGLE),
        ("FROM golang:1.22 AS build\nFROM alpine AS run\n", ns.ALL_NAMED),
        ("FROM golang:1.22 AS 1build\nFROM alpine\n", ns.SYNTAX),
        ("FROM golang:1.22 AS\nFROM alpine\n", ns.SYNTAX),
    ],
)
def test_not_offered(text: str, reason: str) -> None:
    result = outcome(text)
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_every_reason_is_documented() -> None:
    page = " ".join(DOCS.read_text().replace("`", "").split())
    for reason in ns.REASONS:
        assert reason.split("{")[0].strip() in page, reason


def test_the_pages_example_is_real_output() -> None:
    before, after = re.findall(r"```dockerfile\n(.*?)```", DOCS.read_text(), re.S)[:2]
    assert run(before) == after
