"""textDocument/documentSymbol -> engine.symbols (a tree, or a flat list for older clients), at most
``maxItemsComputed`` symbols; built once per version (for a big document in the analysis thread)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..engine.model import Dockerfile
from ..engine.symbols import Symbol, flatten, limited_document_symbols
from ..wire import range_dict
from ..workspace import CONFIG_SECTION, MAX_ITEMS_SETTING
from .requests import whole_document_request

if TYPE_CHECKING:
    from .host import FeatureHost

log = logging.getLogger(__name__)
_CUT_LOGGED: set[str] = set()

_KINDS = {
    "module": lsp.SymbolKind.Module,
    "variable": lsp.SymbolKind.Variable,
    "property": lsp.SymbolKind.Property,
    "function": lsp.SymbolKind.Function,
}


def _document_symbol(doc: Dockerfile, s: Symbol) -> dict[str, Any]:
    """``lsp.DocumentSymbol`` as plain JSON (as cattrs writes it: no null members). Built directly:
    structuring and unstructuring 200,000 lsprotocol objects (50,000 stages) took longer than the
    symbols themselves, and grew faster than the file."""
    out: dict[str, Any] = {
        "name": s.name,
        "kind": int(_KINDS.get(s.kind, lsp.SymbolKind.Object)),
        "range": range_dict(doc, s.span),
        "selectionRange": range_dict(doc, s.selection),
    }
    if s.detail is not None:
        out["detail"] = s.detail
    if s.children:
        out["children"] = [_document_symbol(doc, c) for c in s.children]
    return out


def symbols_json(ls: FeatureHost, uri: str, doc: Dockerfile) -> list[dict[str, Any]]:
    """The outline as plain JSON, at most ``maxItemsComputed`` symbols (breadth first: the stages
    before their instructions). Built in the analysis thread for a big document."""
    limit = ls.core.config.max_items_computed
    symbols, cut = limited_document_symbols(doc, limit)
    if cut and uri not in _CUT_LOGGED:
        _CUT_LOGGED.add(uri)  # once per document, not once per version
        log.info("%s: the outline holds the first %s symbols (breadth first); set %s.%s to raise the limit",
                 uri, f"{limit:,}", CONFIG_SECTION, MAX_ITEMS_SETTING)
    caps = ls.client_capabilities.text_document
    hierarchical = bool(
        caps and caps.document_symbol and caps.document_symbol.hierarchical_document_symbol_support
    )
    if hierarchical:
        return [_document_symbol(doc, s) for s in symbols]
    out = []
    for s, container in flatten(symbols):
        info: dict[str, Any] = {
            "name": s.name,
            "kind": int(_KINDS.get(s.kind, lsp.SymbolKind.Object)),
            "location": {"uri": uri, "range": range_dict(doc, s.span)},
        }
        if container is not None:
            info["containerName"] = container
        out.append(info)
    return out


def register(ls: FeatureHost) -> None:
    whole_document_request(ls, lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, lambda uri, doc: symbols_json(ls, uri, doc))
