"""textDocument/documentSymbol -> engine.symbols (a tree, or a flat list for older clients)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..engine.model import Dockerfile
from ..engine.symbols import Symbol, document_symbols, flatten
from .navigation import guarded

if TYPE_CHECKING:
    from ..server import DockerfileLanguageServer

_KINDS = {
    "module": lsp.SymbolKind.Module,
    "variable": lsp.SymbolKind.Variable,
    "property": lsp.SymbolKind.Property,
    "function": lsp.SymbolKind.Function,
}


def _document_symbol(doc: Dockerfile, s: Symbol) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=s.name,
        kind=_KINDS.get(s.kind, lsp.SymbolKind.Object),
        range=lsp_range(doc.range(s.span)),
        selection_range=lsp_range(doc.range(s.selection)),
        detail=s.detail,
        children=[_document_symbol(doc, c) for c in s.children] or None,
    )


def register(ls: DockerfileLanguageServer) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded
    def on_document_symbol(
        params: lsp.DocumentSymbolParams,
    ) -> list[lsp.DocumentSymbol] | list[lsp.SymbolInformation] | None:
        state = ls.documents.get(params.text_document.uri)
        if state is None:
            return None
        doc = state.model
        symbols = document_symbols(doc)
        caps = ls.client_capabilities.text_document
        hierarchical = bool(
            caps and caps.document_symbol and caps.document_symbol.hierarchical_document_symbol_support
        )
        if hierarchical:
            return [_document_symbol(doc, s) for s in symbols]
        return [
            lsp.SymbolInformation(
                name=s.name,
                kind=_KINDS.get(s.kind, lsp.SymbolKind.Object),
                location=lsp.Location(uri=state.uri, range=lsp_range(doc.range(s.span))),
                container_name=container,
            )
            for s, container in flatten(symbols)
        ]
