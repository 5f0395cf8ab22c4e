"""textDocument/documentLink -> engine.links (targets are known at once: no documentLink/resolve)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..engine.links import document_links
from ..rules.registry import all_rules
from .navigation import guarded

if TYPE_CHECKING:
    from .host import FeatureHost


def register(ls: FeatureHost) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False))
    @guarded
    def on_document_link(params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink] | None:
        state = ls.core.documents.get(params.text_document.uri)
        if state is None:
            return None
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
