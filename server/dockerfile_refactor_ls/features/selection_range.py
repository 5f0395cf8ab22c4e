"""textDocument/selectionRange -> engine.selection (one nested chain per requested position)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import engine_position, lsp_range
from ..documents import DocumentState
from ..engine.selection import selection_range
from .requests import document_request

if TYPE_CHECKING:
    from .host import FeatureHost


def register(ls: FeatureHost) -> None:
    @document_request(ls, lsp.TEXT_DOCUMENT_SELECTION_RANGE)
    def on_selection_range(params: lsp.SelectionRangeParams, state: DocumentState) -> list[lsp.SelectionRange]:
        doc = state.model
        out = []
        for position in params.positions:
            chain = selection_range(doc, doc.lines.offset(engine_position(position)))
            node: lsp.SelectionRange | None = None
            for span in reversed(chain):  # outermost first, so each inner range gets its parent
                node = lsp.SelectionRange(range=lsp_range(doc.range(span)), parent=node)
            assert node is not None  # the chain always ends with the whole document
            out.append(node)
        return out
