"""Extract the Go version into ARG GO_VERSION: one place to bump a base image's version.

``FROM golang:1.22-bookworm AS build`` becomes ``FROM golang:${GO_VERSION}-bookworm AS build`` with
``ARG GO_VERSION=1.22`` before the first FROM (after the parser directives, next to the global ARGs
already there). Every FROM of the same image family with the same version is rewritten too (builder
and runtime alike: ``eclipse-temurin:21-jdk`` and ``eclipse-temurin:21-jre``,
``mcr.microsoft.com/dotnet/sdk:8.0`` and ``.../aspnet:8.0``), so they cannot drift apart; the variant
after the version (``-bookworm``, ``-alpine3.20``) stays written out. The default is the version that
was there, so the build is unchanged until someone passes ``--build-arg``.

Not offered where the tag is a variable already, where there is no version tag (``latest`` or no tag:
``pinBaseImage`` first), where a digest pins the image (a new version would not change it), or where
the tag does not start with a version (``lts-alpine``). A name already declared or used in the file
is not reused (a stage's ``ARG GO_VERSION`` without a default would inherit it); the next free name
is taken instead. See docs/refactorings/version-arg.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.ecosystems import same_case
from ..engine.findings import Edit
from ..engine.images import ImageName, parse_tag
from ..engine.literal_image import SPLIT, STAGE_BASE, literal_rewrite, partition, rewrite_at_cursor
from ..engine.model import Dockerfile, ImageRef, Stage
from ..engine.text import Span
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.extract.versionArg"

# Why the action is not offered; docs/refactorings/version-arg.md lists them (a test checks).
NO_IMAGE = "no FROM names an image with a version tag"
VARIABLE = "the image of {stage} is given by a variable already"
UNPINNED = "{image} has no version tag (use pinBaseImage first)"
DIGEST = "{image} is pinned by a digest: a version ARG would not change the image"
NO_VERSION = "the tag of {image} does not start with a version"
REASONS = (NO_IMAGE, VARIABLE, UNPINNED, DIGEST, NO_VERSION, STAGE_BASE, SPLIT)

# Image repositories that share one version: a builder and its runtime images (keyed as the facts
# table keys them, see engine/images.py ImageName.key).
_FAMILIES: dict[str, tuple[str, str]] = {
    # key: (family, ARG stem)
    "golang": ("golang", "GO"),
    "node": ("node", "NODE"),
    "python": ("python", "PYTHON"),
    "rust": ("rust", "RUST"),
    "ruby": ("ruby", "RUBY"),
    "php": ("php", "PHP"),
    "eclipse-temurin": ("eclipse-temurin", "JAVA"),
    "amazoncorretto": ("amazoncorretto", "JAVA"),
    "openjdk": ("openjdk", "JAVA"),
    "mcr.microsoft.com/dotnet/sdk": ("dotnet", "DOTNET"),
    "mcr.microsoft.com/dotnet/aspnet": ("dotnet", "DOTNET"),
    "mcr.microsoft.com/dotnet/runtime": ("dotnet", "DOTNET"),
    "mcr.microsoft.com/dotnet/runtime-deps": ("dotnet", "DOTNET"),
}
# How the title names a family ("Extract the Go version ...").
_DISPLAY = {"golang": "Go", "node": "Node.js", "python": "Python", "rust": "Rust", "ruby": "Ruby", "php": "PHP",
            "eclipse-temurin": "Java", "amazoncorretto": "Java", "openjdk": "Java", "dotnet": ".NET"}


@dataclass(frozen=True, slots=True)
class Target:
    """A FROM whose tag starts with a version: where the version is written and what it is."""

    stage: Stage
    family: str
    stem: str
    version: str
    span: Span  # the version's characters in the document


def _family(key: str) -> tuple[str, str]:
    if key in _FAMILIES:
        return _FAMILIES[key]
    last = key.rsplit("/", 1)[-1]
    return key, re.sub(r"[^A-Z0-9]+", "_", last.upper()).strip("_") or "IMAGE"


@literal_rewrite(variable=VARIABLE, scratch=NO_VERSION, digest=DIGEST)
def _target(stage: Stage, image: ImageName, ref: ImageRef) -> Target | str:
    """The stage's version target, or why it has none."""
    if image.tag is None or image.tag.lower() == "latest":
        return UNPINNED.format(image=ref.text)
    info = parse_tag(image.tag)
    if info.version is None:
        return NO_VERSION.format(image=ref.text)
    if ref.tag_span is None or len(ref.tag_span) != len(image.tag):
        return SPLIT.format(stage=stage.label)
    version = image.tag.split("-", 1)[0]
    family, stem = _family(image.key)
    start = ref.tag_span.start
    return Target(stage, family, stem, version, Span(start, start + len(version)))


def _free_name(doc: Dockerfile, stem: str, version: str) -> tuple[str, bool]:
    """The ARG's name and whether a global ARG of that name with this default exists already."""
    for n in range(1, 100):
        name = f"{stem}_VERSION" if n == 1 else f"{stem}_VERSION_{n}"
        decls = doc.declarations(name)
        if len(decls) == 1 and decls[0].stage is None and decls[0].value == version:
            return name, True
        if not decls and not doc.refs_to(name):
            return name, False
    raise NotApplicable(f"no free ARG name for {stem}_VERSION")


def _insertion(doc: Dockerfile, name: str, version: str) -> Edit:
    """``ARG NAME=version`` after the global ARGs, else above the first FROM (below the directives)."""
    eol = doc.line_ending
    first = doc.stages[0].from_instruction
    keyword = same_case(first.keyword, "ARG")
    line = f"{keyword} {name}={version}"
    args = [ins for ins in doc.preamble if ins.cmd == "arg"]
    if args:
        end = args[-1].span.end
        return Edit(Span(end, end), eol + line)
    at = doc.lines.line_start(doc.lines.line_of(first.keyword_span.start))
    # Comments right above the FROM describe it: the ARG goes above them. Parser directives stay first.
    directives_end = max((d.span.end for d in doc.parsed.directives), default=-1)
    comment_lines = {doc.lines.line_of(c.start) for c in doc.parsed.comments}
    k = doc.lines.line_of(at)
    while k > 0 and (k - 1) in comment_lines and doc.lines.line_start(k - 1) > directives_end:
        k -= 1
    at = doc.lines.line_start(k)
    return Edit(Span(at, at), line + eol + eol)


def targets(doc: Dockerfile) -> tuple[list[Target], list[str]]:
    return partition(doc.stages, _target)


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    if not doc.stages:
        raise NotApplicable(NO_IMAGE)
    found, why = targets(doc)
    chosen = rewrite_at_cursor(doc, span, _target)
    if chosen is None:
        if not found:
            raise NotApplicable(why[0] if why else NO_IMAGE)
        if span is not None:
            # Elsewhere in a stage: that stage's image, if it has a version.
            stage = doc.stage_at(span.start)
            chosen = next((t for t in found if stage is not None and t.stage is stage), found[0])
        else:
            chosen = found[0]
    group = [t for t in found if t.family == chosen.family and t.version == chosen.version]
    name, exists = _free_name(doc, chosen.stem, chosen.version)
    edits = [Edit(t.span, "${" + name + "}") for t in group]
    if not exists:
        edits.insert(0, _insertion(doc, name, chosen.version))
    label = _DISPLAY.get(chosen.family, chosen.family)
    return RefactorResult(f"Extract the {label} version into ARG {name}", edits)


REFACTORING = Refactoring(
    kind=KIND,
    title="Extract the base image version into an ARG",
    plan=plan,
)
