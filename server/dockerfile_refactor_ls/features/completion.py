"""textDocument/completion -> engine.completion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import engine_position, lsp_range
from ..engine.completion import complete

if TYPE_CHECKING:
    from ..server import DockerfileLanguageServer

_KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword,
    "flag": lsp.CompletionItemKind.Property,
    "stage": lsp.CompletionItemKind.Module,
    "variable": lsp.CompletionItemKind.Variable,
    "value": lsp.CompletionItemKind.Value,
    "image": lsp.CompletionItemKind.Reference,
}


def register(ls: DockerfileLanguageServer) -> None:
    @ls.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["-", "=", "$", "{", " "], resolve_provider=False),
    )
    def on_completion(params: lsp.CompletionParams) -> lsp.CompletionList | None:
        state = ls.documents.get(params.text_document.uri)
        if state is None:
            return None
        doc = state.model
        offset = doc.lines.offset(engine_position(params.position))
        items = complete(doc, offset, snippets=ls.snippet_support)
        out = []
        for item in items:
            out.append(
                lsp.CompletionItem(
                    label=item.label,
                    kind=_KINDS.get(item.kind),
                    detail=item.detail,
                    documentation=item.documentation,
                    sort_text=item.sort_text,
                    filter_text=item.label,
                    insert_text_format=lsp.InsertTextFormat.Snippet if item.snippet else lsp.InsertTextFormat.PlainText,
                    text_edit=lsp.TextEdit(range=lsp_range(doc.range(item.replace)), new_text=item.insert_text),
                )
            )
        return lsp.CompletionList(is_incomplete=False, items=out)
