"""Code lenses on each stage: how to build it, and which stages use it.

- ``build --target <name>`` on every named stage (``--target`` takes a name; unnamed stages get
  none). The final stage is what a plain ``docker build`` builds, which its lens says.
- ``N stages copy from this`` / ``N stages build on this`` on a stage that later stages use through
  ``COPY --from``/``ADD --from``/``RUN --mount=from=`` or ``FROM <stage>``; the lens carries every
  place that does, so the client can list them.

The lens sits on the stage's ``FROM`` line. Commands are attached by the LSP layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Dockerfile, Stage
from .navigation import stage_refs, stage_uses
from .text import Span


@dataclass(frozen=True, slots=True)
class CodeLens:
    span: Span
    kind: str  # "build" or "uses"
    title: str
    stage: int
    target: str | None = None  # for "build": the stage name
    uses: tuple[Span, ...] = ()  # for "uses": where it is used


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def code_lenses(doc: Dockerfile) -> list[CodeLens]:
    copies: dict[int, dict[int, list[Span]]] = {}
    bases: dict[int, dict[int, list[Span]]] = {}
    for ref in stage_refs(doc):
        if ref.kind == "definition":
            continue
        user = doc.stage_of(ref.instruction)
        if user is None or user is ref.stage:
            continue
        table = bases if ref.kind == "from" else copies
        table.setdefault(ref.stage.index, {}).setdefault(user.index, []).append(ref.span)
    out: list[CodeLens] = []
    last = len(doc.stages) - 1
    for stage in doc.stages:
        ins = stage.from_instruction
        span = ins.keyword_span
        if stage.name:
            title = f"build --target {stage.name}"
            if stage.index == last:
                title += " (the default target)"
            out.append(CodeLens(span, "build", title, stage.index, target=stage.name))
        for table, verb in ((copies, "copy from this"), (bases, "build on this")):
            users = table.get(stage.index)
            if not users:
                continue
            spans = tuple(s for index in sorted(users) for s in users[index])
            n = len(users)
            title = f"{_plural(n, 'stage')} {verb if n != 1 else verb.replace('copy', 'copies').replace('build', 'builds')}"
            out.append(CodeLens(span, "uses", title, stage.index, uses=spans))
    return out


def use_spans(doc: Dockerfile, stage: Stage) -> list[Span]:
    """Where later stages use ``stage``, as its "uses" lenses list them (the copies, then the
    stages built on it, each by user stage): from the stage's own references, not the document's."""
    copies: dict[int, list[Span]] = {}
    bases: dict[int, list[Span]] = {}
    for ref in stage_uses(doc, stage):
        if ref.kind == "definition":
            continue
        user = doc.stage_of(ref.instruction)
        if user is None or user is stage:
            continue
        (bases if ref.kind == "from" else copies).setdefault(user.index, []).append(ref.span)
    return [s for table in (copies, bases) for index in sorted(table) for s in table[index]]
