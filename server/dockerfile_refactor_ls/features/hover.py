"""textDocument/hover -> engine.hover (Markdown, or plain text for clients that ask for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..engine.hover import hover
from .navigation import document_offset, guarded

if TYPE_CHECKING:
    from .host import FeatureHost


def register(ls: FeatureHost) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded
    def on_hover(params: lsp.HoverParams) -> lsp.Hover | None:
        found = document_offset(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        _state, doc, offset = found
        result = hover(doc, offset)
        if result is None:
            return None
        caps = ls.client_capabilities.text_document
        formats = caps.hover.content_format if caps and caps.hover else None
        kind = lsp.MarkupKind.Markdown
        if formats and lsp.MarkupKind.Markdown not in formats:
            kind = lsp.MarkupKind.PlainText
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=kind, value=result.markdown),
            range=lsp_range(doc.range(result.span)),
        )
