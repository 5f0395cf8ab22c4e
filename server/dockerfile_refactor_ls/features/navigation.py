"""textDocument/definition, references, documentHighlight, prepareRename and rename."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from ..convert import lsp_range
from ..documents import DocumentState
from ..engine import navigation as nav
from ..engine.findings import Edit
from ..engine.model import Dockerfile
from ..engine.text import Span
from .requests import position_answer, position_request

if TYPE_CHECKING:
    from .host import FeatureHost


def _locations(doc: Dockerfile, uri: str, spans: list[Span]) -> list[lsp.Location] | None:
    return [lsp.Location(uri=uri, range=lsp_range(doc.range(s))) for s in spans] or None


def workspace_edit(ls: FeatureHost, state: DocumentState, edits: list[Edit]) -> lsp.WorkspaceEdit:
    doc = state.model
    text_edits = [
        lsp.TextEdit(range=lsp_range(doc.range(e.span)), new_text=e.new_text)
        for e in sorted(edits, key=lambda e: (e.span.start, e.span.end))
    ]
    if ls.versioned_edits:
        return lsp.WorkspaceEdit(
            document_changes=[
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=state.uri, version=state.version),
                    edits=list(text_edits),
                )
            ]
        )
    return lsp.WorkspaceEdit(changes={state.uri: list(text_edits)})


def register(ls: FeatureHost) -> None:
    @position_answer(ls, lsp.TEXT_DOCUMENT_DEFINITION, nav.definition)
    def on_definition(params: lsp.DefinitionParams, doc: Dockerfile, spans: list[Span]) -> list[lsp.Location] | None:
        return _locations(doc, params.text_document.uri, spans)

    @position_request(ls, lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(params: lsp.ReferenceParams, state: DocumentState, offset: int) -> list[lsp.Location] | None:
        doc = state.model
        return _locations(doc, state.uri, nav.references(doc, offset, params.context.include_declaration))

    @position_answer(ls, lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, nav.highlights)
    def on_highlight(
        params: lsp.DocumentHighlightParams, doc: Dockerfile, found: list[tuple[Span, bool]]
    ) -> list[lsp.DocumentHighlight] | None:
        out = [
            lsp.DocumentHighlight(
                range=lsp_range(doc.range(span)),
                kind=lsp.DocumentHighlightKind.Write if is_write else lsp.DocumentHighlightKind.Read,
            )
            for span, is_write in found
        ]
        return out or None

    @position_answer(ls, lsp.TEXT_DOCUMENT_PREPARE_RENAME, nav.prepare_rename)
    def on_prepare_rename(
        params: lsp.PrepareRenameParams, doc: Dockerfile, prepared: tuple[Span, str]
    ) -> lsp.PrepareRenamePlaceholder:
        span, placeholder = prepared
        return lsp.PrepareRenamePlaceholder(range=lsp_range(doc.range(span)), placeholder=placeholder)

    @position_request(ls, lsp.TEXT_DOCUMENT_RENAME)
    def on_rename(params: lsp.RenameParams, state: DocumentState, offset: int) -> lsp.WorkspaceEdit | None:
        try:
            edits = nav.rename(state.model, offset, params.new_name)
        except nav.RenameError as exc:
            raise JsonRpcException(str(exc), code=lsp.LSPErrorCodes.RequestFailed.value) from None
        return workspace_edit(ls, state, edits)
