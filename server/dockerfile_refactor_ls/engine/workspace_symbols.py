"""Workspace symbols: the stages of many Dockerfiles, matched against a query.

A stage is named by its ``AS`` name (``stage N`` when unnamed) and detailed with its base image. The
query matches like editors' symbol pickers do: case-insensitively, its characters in order
(``bld`` finds ``build``); an empty query matches everything. Better matches sort first: exact,
then prefix, then substring, then scattered characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Dockerfile
from .text import Span


@dataclass(frozen=True, slots=True)
class StageSymbol:
    key: str  # which document (a URI, for the LSP layer)
    name: str
    detail: str
    span: Span  # the stage name, or its FROM keyword when unnamed
    doc: Dockerfile


def match_rank(query: str, name: str) -> int | None:
    """0 exact, 1 prefix, 2 substring, 3 subsequence, None no match (case-insensitive)."""
    q, n = query.lower(), name.lower()
    if not q:
        return 3
    if q == n:
        return 0
    if n.startswith(q):
        return 1
    if q in n:
        return 2
    it = iter(n)
    return 3 if all(c in it for c in q) else None


def stage_symbols(docs: Iterable[tuple[str, Dockerfile]], query: str, limit: int = 1000) -> list[StageSymbol]:
    ranked: list[tuple[int, int, StageSymbol]] = []
    order = 0
    for key, doc in docs:
        for stage in doc.stages:
            name = stage.name or f"stage {stage.index}"
            rank = match_rank(query, name)
            if rank is None:
                continue
            image = stage.image.text if stage.image is not None else "?"
            span = stage.name_span if stage.name_span is not None else stage.from_instruction.keyword_span
            ranked.append((rank, order, StageSymbol(key, name, f"FROM {image}", span, doc)))
            order += 1
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [s for _, _, s in ranked[:limit]]
