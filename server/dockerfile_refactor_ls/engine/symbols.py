"""Document symbols (the outline): stages with their instructions, and variables.

- each stage is a ``module`` symbol named after the stage (``stage N`` when unnamed), detailed with
  its base image; its children are its instructions;
- ``ARG`` and ``ENV`` give one ``variable`` symbol per declared name (global ARGs sit at the top
  level, before the stages), ``LABEL`` one ``property`` per key;
- every other instruction is a ``function`` symbol named by its keyword (``ONBUILD RUN`` for a
  trigger) and detailed with the start of its arguments.

Kinds are plain strings here; the LSP layer maps them to ``SymbolKind``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Dockerfile, Stage
from .parser import Instruction
from .text import Span


@dataclass(slots=True)
class Symbol:
    name: str
    kind: str  # module | variable | property | function
    span: Span  # the whole extent
    selection: Span  # the name (inside ``span``)
    detail: str | None = None
    children: list[Symbol] = field(default_factory=list)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text[: limit * 4].split())  # a long RUN: only its start matters
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _instruction_symbols(ins: Instruction) -> list[Symbol]:
    target = ins.sub if ins.sub is not None else ins
    span = ins.span
    if target.cmd in ("arg", "env", "label") and target.pairs and ins.sub is None:
        out = []
        kind = "property" if target.cmd == "label" else "variable"
        label = target.cmd.upper()
        for kv in target.pairs:
            if not kv.key.value:
                continue
            if len(target.pairs) == 1:
                whole = span
            else:
                end = kv.value.span.end if kv.value is not None else kv.key.span.end
                whole = Span(kv.key.span.start, end)
            value = kv.value.value if kv.value is not None else None
            detail = label if value is None else f"{label} = {_short(value, 40)}"
            out.append(Symbol(kv.key.value, kind, whole, kv.key.span, detail))
        return out
    name = ins.keyword.upper() if ins.keyword else "?"
    if ins.sub is not None and ins.sub.keyword:
        name += " " + ins.sub.keyword.upper()
    summary = _short(target.args_text) or None
    return [Symbol(name, "function", span, ins.keyword_span, summary)]


def _stage_symbol(stage: Stage) -> Symbol:
    ins = stage.from_instruction
    image = stage.image.text if stage.image is not None else None
    if stage.name:
        name = stage.name
        selection = stage.name_span or ins.keyword_span
    else:
        name = f"stage {stage.index}"
        selection = stage.image.span if stage.image is not None else ins.keyword_span
    detail = f"FROM {image}" if image is not None else "FROM"
    children: list[Symbol] = []
    for child in stage.instructions:
        children += _instruction_symbols(child)
    return Symbol(name, "module", stage.span, selection, detail, children)


def document_symbols(doc: Dockerfile) -> list[Symbol]:
    out: list[Symbol] = []
    for ins in doc.preamble:
        out += _instruction_symbols(ins)
    for stage in doc.stages:
        out.append(_stage_symbol(stage))
    return out


def flatten(symbols: list[Symbol], container: str | None = None) -> list[tuple[Symbol, str | None]]:
    """``(symbol, container name)`` pairs, for clients without hierarchical symbols."""
    out: list[tuple[Symbol, str | None]] = []
    for s in symbols:
        out.append((s, container))
        out += flatten(s.children, s.name)
    return out
