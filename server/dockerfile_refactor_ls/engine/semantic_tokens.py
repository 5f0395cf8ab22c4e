"""Semantic tokens: what an editor's grammar cannot know.

A TextMate grammar colours keywords and strings well enough; it cannot tell a stage name from an
image, a declared variable from an undeclared one, or see the payload keyword of ``ONBUILD``. We
emit tokens for:

- ``keyword``: instruction keywords (including the ``ONBUILD`` payload's) and ``AS`` in ``FROM``;
- ``parameter``: ``--flag`` names;
- ``namespace``: stage names, where defined (``declaration``) and where referred to;
- ``type``: the image of a ``FROM`` that is not a stage;
- ``variable``: ``ARG``/``ENV`` names (``declaration``) and ``$NAME`` uses, ``defaultLibrary`` for
  the build arguments BuildKit defines itself;
- ``property``: ``LABEL`` keys.

Tokens never span lines and never overlap; they come sorted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS, Dockerfile
from .navigation import instructions_stage_refs, instructions_var_refs, stage_refs, variable_index
from .text import Span

TOKEN_TYPES = ("keyword", "parameter", "namespace", "type", "variable", "property")
TOKEN_MODIFIERS = ("declaration", "defaultLibrary")


@dataclass(frozen=True, slots=True)
class Token:
    span: Span
    type: str
    modifiers: tuple[str, ...] = ()


def semantic_tokens(doc: Dockerfile, within: Span | None = None) -> list[Token]:
    """The tokens of the document, or of the whole lines ``within`` touches: for a range, only the
    instructions on those lines are looked at (a screenful of a 10 MB file costs a screenful)."""
    text = doc.text
    if within is not None:
        # Whole lines: a client asking for the visible range wants every token on those lines.
        start = max(text.rfind("\n", 0, within.start), text.rfind("\r", 0, within.start)) + 1
        ends = [i for i in (text.find("\n", within.end), text.find("\r", within.end)) if i >= 0]
        within = Span(start, min(ends) if ends else len(text))
    return _tokens(doc, within, exhaustive=within is None)


def _tokens(doc: Dockerfile, within: Span | None, exhaustive: bool) -> list[Token]:
    """The tokens inside ``within`` (everything when None). ``exhaustive`` looks at every
    instruction, stage, reference and declaration of the document and keeps those in range;
    otherwise only those of the instructions ``within`` meets (every token lies inside the span
    of the instruction it belongs to), which gives the same list."""
    out: list[Token] = []
    text = doc.text

    def add(span: Span, kind: str, *mods: str) -> None:
        if span.end <= span.start:
            return
        if within is not None and (span.end < within.start or span.start > within.end):
            return
        if "\n" in text[span.start : span.end] or "\r" in text[span.start : span.end]:
            return
        out.append(Token(span, kind, mods))

    if exhaustive or within is None:
        instructions = doc.instructions
        stages = doc.stages
        refs = stage_refs(doc)
        decls = doc.global_args + [d for s in doc.stages for d in s.args + s.envs]
        var_refs = variable_index(doc).refs
    else:
        # Read from the instructions themselves, not the document's indexes: a screenful is
        # coloured at once even while those are being built (a second after a keystroke at
        # 50,000 stages).
        instructions = doc.instructions_between(within.start, within.end)
        stages = [st for ins in instructions if ins.cmd == "from" for st in (doc.stage_of(ins),) if st is not None and st.from_instruction is ins]
        refs = instructions_stage_refs(doc, instructions)
        ids = {id(ins) for ins in instructions}
        # (an ENV before the first FROM is no declaration here, as in the exhaustive list)
        decls = [d for d in doc.global_args if id(d.instruction) in ids]
        for st in dict.fromkeys(filter(None, map(doc.stage_of, instructions))):
            decls += [d for d in st.args + st.envs if id(d.instruction) in ids]
        var_refs = instructions_var_refs(doc, instructions)
    for ins in instructions:
        if within is not None and (ins.span.end < within.start or ins.span.start > within.end):
            continue
        add(ins.keyword_span, "keyword")
        target = ins
        if ins.sub is not None:
            target = ins.sub
            add(target.keyword_span, "keyword")
        for flag in target.flags:
            add(flag.name_span, "parameter")
        if target.cmd == "label":
            for kv in target.pairs:
                add(kv.key.span, "property")
    for stage in stages:
        if stage.as_span is not None:
            add(stage.as_span, "keyword")
        image = stage.image
        if image is not None and stage.base_stage is None and "$" not in image.name and not image.is_scratch:
            add(image.name_span, "type")
        elif image is not None and image.is_scratch:
            add(image.span, "type", "defaultLibrary")
    for ref in refs:
        add(ref.span, "namespace", *(("declaration",) if ref.kind == "definition" else ()))
    builtin = AUTOMATIC_PLATFORM_ARGS | PREDEFINED_ARGS
    for d in decls:
        mods: tuple[str, ...] = ("declaration",)
        if d.name in builtin:
            mods += ("defaultLibrary",)
        add(d.name_span, "variable", *mods)
    for r in var_refs:
        add(r.name_span, "variable", *(("defaultLibrary",) if r.name in builtin else ()))
    out.sort(key=lambda t: (t.span.start, -len(t.span)))
    kept: list[Token] = []
    end = -1
    for t in out:
        if t.span.start >= end:
            kept.append(t)
            end = t.span.end
    return kept
