"""textDocument/foldingRange -> engine.folding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..documents import DocumentState
from ..engine.folding import folding_ranges
from .requests import document_request

if TYPE_CHECKING:
    from .host import FeatureHost

_KINDS = {"comment": lsp.FoldingRangeKind.Comment, "region": lsp.FoldingRangeKind.Region}


def register(ls: FeatureHost) -> None:
    @document_request(ls, lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    def on_folding_range(params: lsp.FoldingRangeParams, state: DocumentState) -> list[lsp.FoldingRange]:
        folds = folding_ranges(state.model)
        caps = ls.client_capabilities.text_document
        limit = caps.folding_range.range_limit if caps and caps.folding_range else None
        if limit is not None and len(folds) > limit:
            # Keep the outermost ones (the longest), in document order.
            keep = sorted(folds, key=lambda f: f.start_line - f.end_line)[:limit]
            folds = sorted(keep, key=lambda f: (f.start_line, f.end_line))
        return [
            lsp.FoldingRange(start_line=f.start_line, end_line=f.end_line, kind=_KINDS.get(f.kind or ""))
            for f in folds
        ]
