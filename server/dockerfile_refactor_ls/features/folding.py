"""textDocument/foldingRange -> engine.folding, once per version (see FeatureHost.whole_document_result)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..engine.folding import folding_ranges
from ..engine.model import Dockerfile
from .requests import whole_document_request

if TYPE_CHECKING:
    from .host import FeatureHost

_KINDS = {"comment": lsp.FoldingRangeKind.Comment, "region": lsp.FoldingRangeKind.Region}


def folding_json(ls: FeatureHost, doc: Dockerfile) -> list[dict[str, Any]]:
    """The folds as plain JSON, at most the client's ``rangeLimit`` (else ``maxItemsComputed``)."""
    folds = folding_ranges(doc)
    caps = ls.client_capabilities.text_document
    limit = caps.folding_range.range_limit if caps and caps.folding_range else None
    if limit is None:
        limit = ls.core.config.max_items_computed
    if len(folds) > limit:
        # Keep the outermost ones (the longest), in document order.
        keep = sorted(folds, key=lambda f: f.start_line - f.end_line)[:limit]
        folds = sorted(keep, key=lambda f: (f.start_line, f.end_line))
    out = []
    for f in folds:
        fold: dict[str, Any] = {"startLine": f.start_line, "endLine": f.end_line}
        kind = _KINDS.get(f.kind or "")
        if kind is not None:
            fold["kind"] = kind.value
        out.append(fold)
    return out


def register(ls: FeatureHost) -> None:
    whole_document_request(ls, lsp.TEXT_DOCUMENT_FOLDING_RANGE, lambda uri, doc: folding_json(ls, doc))
