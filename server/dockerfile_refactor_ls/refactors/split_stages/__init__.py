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

import posixpath

from ...engine.image_facts import facts_for
from ...engine.images import ImageName, is_windows, root_image
from ...engine.model import Dockerfile, Stage
from ...engine.shell import command_words, run_script
from ...engine.text import Span
from ..base import NotApplicable, Refactoring, RefactorResult
from .analysis import NotOffered
from .plan import TITLE, Plan
from .runtimes import java_major, java_runtime
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
        base = stage.base_stage.name or str(stage.base_stage.index)
        raise NotOffered(
            f"the last stage builds on stage {base} of this file, not on a toolchain image: it extends that "
            "stage (a development environment keeps its tools on purpose)"
        )
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
        raise NotOffered(_no_build_step(doc, stage, image, toolchain))
    plan = Plan(doc, stage, image, facts)
    plan.decide()
    return plan


# What the build command of a toolchain looks like, for a reason that asks for one.
_BUILD_EXAMPLES = {
    "go": "go build -o /out/app .",
    "rust": "cargo build --release",
    "java": "mvn package or gradle build",
    "dotnet": "dotnet publish -o /out",
    "node": "npm ci && npm run build",
    "python": "pip install -r requirements.txt",
}


def _indirect_build(doc: Dockerfile, stage: Stage) -> str | None:
    """The make target or script a RUN builds with (``make build``, ``./build.sh``), if one does."""
    for ins in stage.instructions:
        if ins.cmd != "run":
            continue
        script = run_script(doc, ins)
        for c in script.commands if script is not None else []:
            if c.name in ("make", "gmake"):
                return " ".join(["make", *c.values[:1]])
            if c.name.endswith(".sh") or (c.name in ("sh", "bash") and c.values[:1] and c.values[0].endswith(".sh")):
                return " ".join([c.name, *c.values[:1]]) if c.name in ("sh", "bash") else c.name
    return None


def _no_build_step(doc: Dockerfile, stage: Stage, image: ImageName, toolchain: str) -> str:
    """Why a toolchain stage without a build step is not split, and what would make it smaller: a jar
    built outside Docker runs on a JRE, which is the smaller image the split would have chosen."""
    reason = f"no build step of a known toolchain in the {image.key} stage"
    indirect = _indirect_build(doc, stage)
    if indirect is not None and toolchain in _BUILD_EXAMPLES:
        return (
            f"{reason}: the build runs through `{indirect}`, whose steps are not read; name the build command "
            f"in a RUN ({_BUILD_EXAMPLES[toolchain]}) to split it"
        )
    runs_java = any(
        ins.cmd in ("cmd", "entrypoint") and posixpath.basename(next(iter(command_words(ins)), "")) == "java"
        for ins in stage.instructions
    )
    if toolchain != "java" or not runs_java:
        return reason
    major = java_major(image.repository, image.tag)
    jre = java_runtime(major, image.tag_info.alpine is not None or "alpine" in image.tag_lower) if major else None
    if jre is None:
        return reason
    return (
        f"{reason}: the program is built outside Docker and copied in, so there is nothing to split; "
        f"it runs on a JRE, FROM {image.official_image(jre.ref)}, smaller than the JDK image"
    )


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
