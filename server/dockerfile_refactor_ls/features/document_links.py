"""textDocument/documentLink -> engine.links (targets are known at once: no documentLink/resolve)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..engine.links import document_links
from ..engine.model import Dockerfile
from ..rules.registry import all_rules
from ..wire import range_dict
from .requests import whole_document_request

if TYPE_CHECKING:
    from .host import FeatureHost


def links_json(ls: FeatureHost, doc: Dockerfile) -> list[dict[str, Any]]:
    """The links as plain JSON, the first ``maxItemsComputed`` in document order."""
    caps = ls.client_capabilities.text_document
    tooltips = bool(caps and caps.document_link and caps.document_link.tooltip_support)
    out = []
    for link in document_links(doc, all_rules())[: ls.core.config.max_items_computed]:
        item = {"range": range_dict(doc, link.span), "target": link.target}
        if tooltips:
            item["tooltip"] = link.tooltip
        out.append(item)
    return out


def register(ls: FeatureHost) -> None:
    whole_document_request(
        ls, lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lambda uri, doc: links_json(ls, doc), lsp.DocumentLinkOptions(resolve_provider=False)
    )
