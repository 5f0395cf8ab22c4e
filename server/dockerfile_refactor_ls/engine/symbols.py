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


def _stage_symbol(stage: Stage, budget: int | None = None) -> tuple[Symbol, bool]:
    """The stage's symbol with at most ``budget`` children (None: all), and whether some were cut."""
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
    cut = False
    for child in stage.instructions:
        if budget is not None and len(children) >= budget:
            cut = True
            break
        children += _instruction_symbols(child)
    if budget is not None and len(children) > budget:
        del children[budget:]
        cut = True
    return Symbol(name, "module", stage.span, selection, detail, children), cut


def document_symbols(doc: Dockerfile) -> list[Symbol]:
    return limited_document_symbols(doc, None)[0]


def limited_document_symbols(doc: Dockerfile, limit: int | None) -> tuple[list[Symbol], bool]:
    """The symbols, at most ``limit`` of them (None: all) taken breadth first, as VS Code's JSON
    server does: every top-level symbol (global ARGs, stages) before any instruction inside a
    stage, then the stages' children in document order. Whether some were left out."""
    out: list[Symbol] = []
    for ins in doc.preamble:
        out += _instruction_symbols(ins)
    if limit is not None and len(out) + len(doc.stages) > limit:
        out = out[:limit]
        out += [_stage_symbol(stage, 0)[0] for stage in doc.stages[: limit - len(out)]]
        return out, True
    budget = None if limit is None else limit - len(out) - len(doc.stages)
    cut = False
    for stage in doc.stages:
        symbol, stage_cut = _stage_symbol(stage, budget)
        cut = cut or stage_cut
        if budget is not None:
            budget -= len(symbol.children)
        out.append(symbol)
    return out, cut


def flatten(symbols: list[Symbol], container: str | None = None) -> list[tuple[Symbol, str | None]]:
    """``(symbol, container name)`` pairs, for clients without hierarchical symbols."""
    out: list[tuple[Symbol, str | None]] = []
    for s in symbols:
        out.append((s, container))
        out += flatten(s.children, s.name)
    return out
