"""textDocument/hover -> engine.hover (Markdown, or plain text for clients that ask for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..engine.hover import HoverResult, hover
from .requests import position_answer

if TYPE_CHECKING:
    from ..engine.model import Dockerfile
    from .host import FeatureHost


def register(ls: FeatureHost) -> None:
    @position_answer(ls, lsp.TEXT_DOCUMENT_HOVER, hover)
    def on_hover(params: lsp.HoverParams, doc: Dockerfile, result: HoverResult) -> lsp.Hover:
        caps = ls.client_capabilities.text_document
        formats = caps.hover.content_format if caps and caps.hover else None
        kind = lsp.MarkupKind.Markdown
        if formats and lsp.MarkupKind.Markdown not in formats:
            kind = lsp.MarkupKind.PlainText
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=kind, value=result.markdown),
            range=lsp_range(doc.range(result.span)),
        )
