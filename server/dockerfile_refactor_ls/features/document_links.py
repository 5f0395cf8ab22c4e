"""textDocument/documentLink -> engine.links (targets are known at once: no documentLink/resolve)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..documents import DocumentState
from ..engine.links import document_links
from ..rules.registry import all_rules
from .requests import document_request

if TYPE_CHECKING:
    from .host import FeatureHost


def register(ls: FeatureHost) -> None:
    @document_request(ls, lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False))
    def on_document_link(params: lsp.DocumentLinkParams, state: DocumentState) -> list[lsp.DocumentLink]:
        doc = state.model
        caps = ls.client_capabilities.text_document
        tooltips = bool(caps and caps.document_link and caps.document_link.tooltip_support)
        return [
            lsp.DocumentLink(
                range=lsp_range(doc.range(link.span)),
                target=link.target,
                tooltip=link.tooltip if tooltips else None,
            )
            for link in document_links(doc, all_rules())
        ]
