"""debugStage: goldens, the guarantees (BuildKit parses the result, the default target is the image it
was, the debug stage builds on the runtime, nothing new is reported, not offered twice) and where it
is not offered."""

from __future__ import annotations

from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.images import stage_chain
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.refactors import add_debug_stage as ds
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import refactoring_named
from dockerfile_refactor_ls.rules.analysis import diagnose

from ._golden import Goldens, assert_line_endings_kept, read

GOLDENS = Goldens("debug_stage", ds.REFACTORING)
GOLDEN, CASES = GOLDENS.folder, GOLDENS.cases
outcome, run = GOLDENS.outcome, GOLDENS.run
DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "test-stage.md"


def codes(text: str) -> set[str]:
    return {f.code for f in diagnose(Dockerfile(text), Settings())}


def test_registered() -> None:
    assert refactoring_named("debugStage") is ds.REFACTORING
    assert ds.REFACTORING.kind == "refactor.extract.debugStage"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    assert run(read(GOLDEN / f"{case}.in.Dockerfile")) == read(GOLDEN / f"{case}.out.Dockerfile")


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    result = outcome(text)
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    dockerfile.parse_string(out)  # BuildKit's parser accepts it
    old, new = Dockerfile(text), Dockerfile(out)
    assert old.final_stage is not None and new.final_stage is not None
    # The default target is the image it was: an empty last stage FROM the stage holding the old
    # final stage's instructions, word for word.
    assert not new.final_stage.instructions and new.final_stage.base_stage is not None
    kept = new.final_stage.base_stage
    old_runtime = old.final_stage.base_stage if not old.final_stage.instructions else old.final_stage
    assert old_runtime is not None
    assert [i.original for i in kept.instructions] == [i.original for i in old_runtime.instructions]
    # The debug stage builds on that same stage and is not the default target.
    debug = next(s for s in new.stages if s.key == "debug")
    assert debug is not new.final_stage and kept in stage_chain(debug, new)
    # Only insertions; line endings kept; nothing new reported (the pinning rules are told why).
    assert all(len(e.span) == 0 for e in result.edits)
    assert_line_endings_kept(text, out)
    assert codes(out) <= codes(text), codes(out) - codes(text)
    again = outcome(out)
    assert isinstance(again, NotApplicable) and again.reason == ds.HAS_DEBUG.format(name="debug")


def test_shell_less_images_get_busybox_from_their_debug_tag() -> None:
    out = run(read(GOLDEN / "distroless_nonroot.in.Dockerfile"))
    assert "COPY --from=gcr.io/distroless/static-debian12:debug /busybox /busybox" in out
    assert "RUN" not in out.split("AS debug", 1)[1]  # no shell to RUN with: files and ENV only
    scratch = run(read(GOLDEN / "scratch.in.Dockerfile"))
    # scratch has no PATH of its own to extend
    assert "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox" in scratch


def test_user_is_restored_only_when_not_root() -> None:
    out = run(read(GOLDEN / "debian_slim_user_crlf.in.Dockerfile"))
    debug = out.split("AS debug", 1)[1]
    assert debug.index("USER root") < debug.index("apt-get") < debug.index("USER app")
    root = run("FROM debian:bookworm-slim\nCMD [\"bash\"]\n")
    assert "USER" not in root
    # an image whose default user is not root: its own user comes back after the install
    unprivileged = run("FROM nginxinc/nginx-unprivileged:1.27\nCOPY site /usr/share/nginx/html\n")
    debug = unprivileged.split("AS debug", 1)[1]
    assert debug.index("USER root") < debug.index("apt-get") < debug.index("USER 101")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("# nothing\n", ds.NO_STAGE),
        ("FROM debian:bookworm\nFROM debian:bookworm AS debug\nRUN x\n", ds.HAS_DEBUG.format(name="debug")),
        ("ARG BASE\nFROM ${BASE}\nRUN x\n", ds.VARIABLE),
        ("FROM example.com/team/base:1\nRUN x\n",
         ds.UNKNOWN.format(image="example.com/team/base:1")),
        ("FROM gcr.io/distroless/static-debian12:debug\nCOPY a /a\n",
         ds.DEBUG_ALREADY.format(image="gcr.io/distroless/static-debian12:debug", shell="/busybox/sh")),
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n", ds.WINDOWS),
        ("FROM debian:bookworm AS base\nONBUILD RUN echo\nFROM base\nRUN x\n", ds.ONBUILD),
        ("FROM debian:bookworm\nRUN echo \\", ds.CONTINUATION),
    ],
)
def test_not_offered(text: str, reason: str) -> None:
    result = outcome(text)
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_doc_lists_every_reason() -> None:
    doc = DOC.read_text()
    for reason in ds.REASONS:
        assert reason.split("{")[0].strip() in doc or reason.split("}")[-1].strip() in doc, reason
