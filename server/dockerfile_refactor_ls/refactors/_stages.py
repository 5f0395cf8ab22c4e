"""Adding a stage built FROM an existing one (testStage, debugStage), the default target unchanged.

``docker build`` without ``--target`` builds the last stage, so a new stage goes before the final
one; when the stage it builds on *is* the final one, it goes at the end and is followed by
``FROM <that stage> AS <name>``, which keeps the default image what it was.
"""

from __future__ import annotations

from ..engine.ecosystems import comment_block_start, ends_in_continuation, keyword_case
from ..engine.findings import Edit
from ..engine.model import Dockerfile, Stage
from ..engine.text import Span
from .base import NotApplicable

CONTINUATION = "the file ends with a line continuation: an added stage would become part of it"


NO_STAGE = "the file has no FROM instruction"
SYNTAX = "the Dockerfile has syntax errors"
HAS_STAGE = "the file already has a stage named {name}: build it with docker build --target {name}"


def final_stage_for(doc: Dockerfile, name: str) -> Stage:
    """The final stage of a file that can take a new stage called ``name`` (the debug and test
    stages): it parses without errors and has no stage of that name yet, else NotApplicable."""
    final = doc.final_stage
    if final is None:
        raise NotApplicable(NO_STAGE)
    if doc.parsed.errors or any(ins.error for ins in doc.instructions) or final.error:
        raise NotApplicable(SYNTAX)
    existing = next((s for s in doc.stages if s.key == name), None)
    if existing is not None:
        raise NotApplicable(HAS_STAGE.format(name=existing.name))
    return final


def unique_stage_name(doc: Dockerfile, name: str) -> str:
    """``name``, or ``name-2``, ``name-3``... where a stage or global ARG already has it."""
    taken = {s.key for s in doc.stages if s.key} | {a.name.lower() for a in doc.global_args}
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def add_stage_from(
    doc: Dockerfile, base: Stage, base_name: str, new_name: str, body: list[str], last_name: str
) -> list[Edit]:
    """The edits adding ``FROM <base> AS <new_name>`` with ``body`` (instruction lines, keywords
    cased as the file's already).

    ``base`` gets ``AS <base_name>`` (made unique) if it has no name. ``last_name``: the name of the
    stage re-created at the end when ``base`` is the final stage. Raises NotApplicable when the file
    ends inside a line continuation (the added text would join it)."""
    final = doc.final_stage
    assert final is not None  # base is one of the stages
    kw = keyword_case(doc)
    nl = doc.line_ending
    edits: list[Edit] = []
    name = base.name
    if name is None:
        name = unique_stage_name(doc, base_name)
        # After the image (and before a trailing comment): "FROM golang:1.22 AS builder".
        last = base.from_instruction.args[-1] if base.from_instruction.args else None
        at = last.span.end if last is not None else base.from_instruction.span.end
        edits.append(Edit(Span(at, at), f" {kw('AS')} {name}"))
    stage = nl.join([f"{kw('FROM')} {name} {kw('AS')} {new_name}", *body]) + nl
    if base is not final:
        at = comment_block_start(doc, final.from_instruction)
        edits.append(Edit(Span(at, at), stage + nl))
        return edits
    if doc.instructions and ends_in_continuation(doc, doc.instructions[-1]):
        raise NotApplicable(CONTINUATION)
    end = len(doc.text)
    lead = "" if doc.text.endswith(("\n", "\r")) else nl
    again = unique_stage_name(doc, last_name)
    edits.append(Edit(Span(end, end), f"{lead}{nl}{stage}{nl}{kw('FROM')} {name} {kw('AS')} {again}{nl}"))
    return edits
