"""Selection ranges (expand / shrink selection), innermost first:

word → the part of a flag or image it is in (``${VAR}``, a flag's value, an image's tag) →
the whole flag or argument → all the instruction's arguments → the instruction (with its
continuation lines and heredocs) → its stage → the document.

Each range strictly contains the one before it; ranges that would repeat one are left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .model import Dockerfile
from .navigation import var_ref_at
from .text import Span

_WORD = re.compile(r"[A-Za-z0-9_]+")


def _word_at(text: str, offset: int, bounds: Span) -> Span | None:
    start = offset
    while start > bounds.start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    end = offset
    while end < bounds.end and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return Span(start, end) if end > start else None


def selection_range(doc: Dockerfile, offset: int) -> list[Span]:
    text = doc.text
    offset = max(0, min(offset, len(text)))
    whole = Span(0, len(text))
    candidates: list[Span] = []
    ins = doc.instruction_at(offset)
    if ins is not None:
        line = ins.line_span or ins.span
        word = _word_at(text, offset, ins.span)
        if word is not None:
            candidates.append(word)
        ref = var_ref_at(doc, offset)
        if ref is not None:
            candidates += [ref.name_span, ref.span]
        for target in (ins, ins.sub):
            if target is None:
                continue
            for flag in target.flags:
                if flag.span.contains(offset):
                    if flag.value_span is not None:
                        candidates.append(flag.value_span)
                    candidates.append(flag.span)
            for heredoc in target.heredocs:
                if heredoc.body.contains(offset):
                    candidates.append(heredoc.body)
                end = heredoc.terminator.end if heredoc.terminator is not None else heredoc.body.end
                candidates.append(Span(heredoc.marker.start, end) if heredoc.marker.start <= offset <= end else heredoc.marker)
            for tok in target.args:
                if tok.span.contains(offset):
                    candidates.append(tok.span)
            if target.args_span.contains(offset) and target.args_span.start < target.args_span.end:
                candidates.append(target.args_span)
            if target is ins.sub:
                candidates.append(Span(target.keyword_span.start, line.end))
        stage = doc.stage_of(ins)
        if stage is not None and ins is stage.from_instruction and stage.image is not None:
            img = stage.image
            for part in (img.name_span, img.tag_span, img.digest_span):
                if part is not None and part.contains(offset):
                    candidates.append(part)
            candidates.append(img.span)
        candidates.append(line)
        candidates.append(ins.span)
        if stage is not None:
            candidates.append(stage.span)
    else:
        comments = doc.parsed.comments
        # The comment lines are in document order: the one starting at or before the offset (and
        # the one before it, which may end where it starts) are the only candidates.
        k = bisect_right(comments, offset, key=lambda c: c.start) - 1
        for comment in comments[max(k - 1, 0) : k + 1]:
            if comment.contains(offset):
                word = _word_at(text, offset, comment)
                if word is not None:
                    candidates.append(word)
                candidates.append(comment)
        for d in doc.parsed.directives:
            if d.span.contains(offset):
                for part in (d.name_span, d.value_span):
                    if part.contains(offset):
                        candidates.append(part)
                candidates.append(d.span)
    candidates.append(whole)
    # Innermost first; keep a chain in which each range contains the previous one.
    chain: list[Span] = []
    for span in sorted({(s.start, s.end) for s in candidates if s.start <= offset <= s.end}, key=lambda s: s[1] - s[0]):
        sp = Span(*span)
        if chain and not (sp.start <= chain[-1].start and chain[-1].end <= sp.end):
            continue
        if chain and sp == chain[-1]:
            continue
        chain.append(sp)
    return chain
