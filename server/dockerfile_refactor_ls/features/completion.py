"""textDocument/completion -> engine.completion."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..convert import engine_position
from ..engine.completion import CompletionItem, ContextLister, PartialList, complete
from ..engine.dockerignore import Matcher, matcher_for
from ..engine.model import Dockerfile
from ..rules.registry import all_rules
from ..wire import RawObject, range_dict
from ..workspace import uri_to_path
from .requests import index_pending_cancels

if TYPE_CHECKING:
    from .host import FeatureHost

_KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword,
    "flag": lsp.CompletionItemKind.Property,
    "stage": lsp.CompletionItemKind.Module,
    "variable": lsp.CompletionItemKind.Variable,
    "value": lsp.CompletionItemKind.Value,
    "image": lsp.CompletionItemKind.Reference,
    "file": lsp.CompletionItemKind.File,
    "folder": lsp.CompletionItemKind.Folder,
}
MAX_ENTRIES = 500


def context_lister(ls: FeatureHost, uri: str) -> ContextLister | None:
    """Lists directories of the build context (the Dockerfile's folder), minus .dockerignore."""
    path = uri_to_path(uri)
    if path is None:
        return None
    root = path.parent
    ignores: list[Matcher | None] = []  # read on first use: most completions list no files

    def lister(directory: str) -> list[tuple[str, bool]]:
        if not ignores:
            text = ls.core.config.dockerignore_for(uri)
            ignores.append(matcher_for(text) if text else None)
        ignore = ignores[0]
        folder = (root / directory) if directory else root
        out: list[tuple[str, bool]] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    rel = f"{directory}/{entry.name}" if directory else entry.name
                    if ignore is not None and ignore.matches_or_parent_matches(rel):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        continue
                    out.append((entry.name, is_dir))
                    if len(out) >= MAX_ENTRIES:
                        break
        except OSError:
            return []
        out.sort()
        return out

    return lister


def register(ls: FeatureHost) -> None:
    @ls.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["-", "=", "$", "{", " ", "/", ":", ","], resolve_provider=False),
    )
    @index_pending_cancels
    def on_completion(params: lsp.CompletionParams) -> RawObject | None:
        state = ls.core.documents.get(params.text_document.uri)
        if state is None:
            return None
        doc = state.model
        offset = doc.lines.offset(engine_position(params.position))
        items = complete(
            doc, offset, snippets=ls.snippet_support, context=context_lister(ls, params.text_document.uri), rules=all_rules()
        )
        # A list cut short (thousands of stages) asks the client to ask again as more is typed.
        return RawObject(isIncomplete=isinstance(items, PartialList), items=[_item_json(doc, item) for item in items])


def _item_json(doc: Dockerfile, item: CompletionItem) -> dict[str, Any]:
    """``lsp.CompletionItem`` as plain JSON, as cattrs writes it (no null members)."""
    out: dict[str, Any] = {"label": item.label}
    kind = _KINDS.get(item.kind)
    if kind is not None:
        out["kind"] = int(kind)
    if item.detail is not None:
        out["detail"] = item.detail
    if item.documentation is not None:
        out["documentation"] = item.documentation
    if item.sort_text is not None:
        out["sortText"] = item.sort_text
    out["filterText"] = item.label
    out["insertTextFormat"] = int(lsp.InsertTextFormat.Snippet if item.snippet else lsp.InsertTextFormat.PlainText)
    out["textEdit"] = {"range": range_dict(doc, item.replace), "newText": item.insert_text}
    return out
