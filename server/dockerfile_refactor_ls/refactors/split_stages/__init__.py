"""Split into builder/runtime stages: the last stage's toolchain build becomes a named ``builder``
stage, and a new final stage on a runtime image receives only the artifact through
``COPY --from=builder`` and keeps the runtime configuration (CMD, ENTRYPOINT, EXPOSE, ENV, LABEL,
USER, HEALTHCHECK, VOLUME, WORKDIR, STOPSIGNAL and the ARGs they use).

The package: :mod:`.analysis` walks the stage (directory, user and variables before every
instruction, the commands of every RUN); :mod:`.toolchains` holds one module per toolchain (how to
recognise its build, the artifact, the runtime image, the files the program needs); :mod:`.plan`
decides the split point and what the runtime stage repeats; :mod:`.emit` writes the edits;
:mod:`.context` reads the build context beside the Dockerfile; :mod:`.runtimes` derives the runtime
image from the builder's tag. What base images provide (the builder's real WORKDIR, users, sizes)
comes from the one image table, ``engine/data/images.toml``.

The edits are small: `` AS builder`` after the FROM image, the runtime stage inserted after the last
build step, runtime-only instructions that sat between build steps moved below it (with their
comments), and the few rewrites the new layout needs (a jar or binary path in CMD). Everything after
the last build step stays where it is and simply belongs to the runtime stage. The runtime stage
keeps the builder's user: adding an unprivileged one is the nonRootUser action's job.
"""

from __future__ import annotations

from ...engine.image_facts import facts_for
from ...engine.images import is_windows, root_image
from ...engine.model import Dockerfile
from ...engine.text import Span
from ..base import NotApplicable, Refactoring, RefactorResult
from .analysis import NotOffered
from .plan import TITLE, Plan
from .toolchains import BUILD_WORDS, toolchain_of

__all__ = ["KIND", "REFACTORING", "TITLE", "NotOffered", "Plan", "analyse", "explain", "plan"]

KIND = "refactor.rewrite.splitStages"
# Beyond this a stage is generated, not written: the walk is not worth it on every keystroke.
MAX_INSTRUCTIONS = 2000


def _prepare(doc: Dockerfile, span: Span | None) -> Plan:
    stage = doc.final_stage
    if stage is None:
        raise NotOffered("no FROM")
    if span is not None and len(doc.stages) > 1:
        # The cursor (or any part of the selection) must be in the last stage.
        line_start = doc.text.rfind("\n", 0, stage.from_instruction.span.start) + 1
        if span.end < line_start:
            raise NotOffered("the cursor is not in the last stage")
    if stage.error or stage.image is None:
        raise NotOffered("the FROM line is not valid")
    if doc.parsed.errors or any(ins.error for ins in doc.instructions):
        raise NotOffered("the Dockerfile has syntax errors")
    if stage.base_stage is not None:
        raise NotOffered("the last stage builds on another stage of this file")
    image = root_image(doc, stage)
    if image is None:
        raise NotOffered("the base image is set by a build argument without a default")
    if image.repository != stage.image.repository and doc.stage_named(image.text, before=stage.index):
        raise NotOffered("the last stage builds on another stage of this file")
    if image.is_scratch:
        raise NotOffered("FROM scratch has no toolchain")
    if is_windows(doc, stage) or image.tag_info.windows:
        raise NotOffered("Windows images are not supported")
    tag = image.tag_info
    if any(c.stage is not None for c in stage.copies_from) and (tag.slim or tag.alpine is not None):
        raise NotOffered("the stage already copies from a builder into a slim runtime")
    facts = facts_for(image)
    toolchain = toolchain_of(image, facts)
    if toolchain is None:
        raise NotOffered(f"{image.key or 'the base image'} is not a toolchain image we know")
    if len(stage.instructions) > MAX_INSTRUCTIONS:
        raise NotOffered(f"the last stage has more than {MAX_INSTRUCTIONS} instructions")
    words = BUILD_WORDS.get(toolchain)
    if words is not None and not any(
        ins.cmd == "run" and words.search(doc.text, ins.span.start, ins.span.end) for ins in stage.instructions
    ):
        # The cheap test before the stage walk: no RUN names a build command of the toolchain.
        raise NotOffered(f"no build step of a known toolchain in the {image.key} stage")
    plan = Plan(doc, stage, image, facts)
    plan.decide()
    return plan


def explain(doc: Dockerfile, span: Span | None = None) -> str | None:
    """Why the refactoring is not offered (None when it is)."""
    try:
        p = _prepare(doc, span)
        p.edits()
    except NotApplicable as exc:
        return exc.reason
    return None


def analyse(doc: Dockerfile, span: Span | None = None) -> Plan:
    """The decided plan (raises :class:`NotOffered`); tests use it to see what was moved or changed."""
    return _prepare(doc, span)


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult:
    """The edits, or ``NotApplicable(reason)`` raised with why the split does not apply."""
    p = _prepare(doc, span)
    edits = p.edits()
    return RefactorResult(p.title(), edits)


REFACTORING = Refactoring(kind=KIND, title=TITLE, plan=plan)
