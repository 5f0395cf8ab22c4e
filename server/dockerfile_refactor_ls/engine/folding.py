"""Folding ranges: stages, multi-line instructions, heredoc bodies, comment blocks and regions.

Ranges are whole lines (0-based, as the LSP counts them: ``\\n``, ``\\r\\n`` and ``\\r`` end a line).
A fold starts on the line that stays visible and ends on the last line it hides. When two ranges
would start on the same line, only the larger one is kept (editors show one fold per line).

``# region [name]`` / ``# endregion`` comments (the convention VS Code uses for other languages)
fold what lies between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Dockerfile

_REGION = re.compile(r"#\s*(?:#\s*)?region\b", re.IGNORECASE)
_ENDREGION = re.compile(r"#\s*(?:#\s*)?endregion\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fold:
    start_line: int
    end_line: int
    kind: str | None = None  # "comment", "region" or None


def folding_ranges(doc: Dockerfile) -> list[Fold]:
    lines = doc.lines
    line_of = lines.line_of
    folds: list[Fold] = []

    def add(start: int, end: int, kind: str | None = None) -> None:
        if end > start:
            folds.append(Fold(start, end, kind))

    for stage in doc.stages:
        add(line_of(stage.span.start), line_of(stage.span.end))

    for ins in doc.instructions:
        first = line_of(ins.keyword_span.start)
        add(first, line_of(ins.span.end))
        target = ins.sub if ins.sub is not None else ins
        for heredoc in target.heredocs:
            # From the line before the body (the marker line) to the terminator (or the last line
            # of an unterminated body). The first heredoc of a one-line instruction starts where
            # the instruction does; the larger instruction fold wins there.
            start = max(line_of(heredoc.body.start) - 1, first)
            if heredoc.terminator is not None:
                end = line_of(heredoc.terminator.start)
            else:
                end = line_of(max(heredoc.body.end - 1, heredoc.body.start))
            add(start, end)

    # Comment blocks: consecutive comment lines outside instructions.
    comments = doc.parsed.comments
    block_start = block_end = -1
    regions: list[int] = []
    for c in comments:
        ln = line_of(c.start)
        text = doc.text[c.start : c.end]
        if _ENDREGION.match(text):
            if regions:
                add(regions.pop(), ln, "region")
        elif _REGION.match(text):
            regions.append(ln)
        if block_start >= 0 and ln == block_end + 1:
            block_end = ln
            continue
        if block_start >= 0:
            add(block_start, block_end, "comment")
        block_start = block_end = ln
    if block_start >= 0:
        add(block_start, block_end, "comment")

    # One fold per start line: the outermost.
    best: dict[int, Fold] = {}
    for f in folds:
        old = best.get(f.start_line)
        if old is None or f.end_line > old.end_line:
            best[f.start_line] = f
    return sorted(best.values(), key=lambda f: (f.start_line, f.end_line))
