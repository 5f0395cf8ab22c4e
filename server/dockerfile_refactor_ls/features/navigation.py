"""textDocument/definition, references, documentHighlight, prepareRename and rename.

Also home of :func:`guarded`, which the editor-intelligence handlers share: an unknown document
gives ``None``, an internal error is logged (stderr) and gives ``None`` rather than an error reply.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from ..convert import engine_position, lsp_range
from ..documents import DocumentState
from ..engine import navigation as nav
from ..engine.findings import Edit
from ..engine.model import Dockerfile
from ..engine.text import Span

if TYPE_CHECKING:
    from .host import FeatureHost

log = logging.getLogger(__name__)

R = TypeVar("R")


def guarded(fn: Callable[..., R | None]) -> Callable[..., R | None]:
    """Turn any exception except a deliberate JSON-RPC error into a logged ``None``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> R | None:
        try:
            return fn(*args, **kwargs)
        except JsonRpcException:
            raise
        except Exception:
            log.exception("%s failed", fn.__name__)
            return None

    return wrapper


def document_offset(ls: FeatureHost, uri: str, position: lsp.Position) -> tuple[DocumentState, Dockerfile, int] | None:
    state = ls.core.documents.get(uri)
    if state is None:
        return None
    doc = state.model
    return state, doc, doc.lines.offset(engine_position(position))


def _location(doc: Dockerfile, uri: str, span: Span) -> lsp.Location:
    return lsp.Location(uri=uri, range=lsp_range(doc.range(span)))


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
    @ls.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded
    def on_definition(params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        found = document_offset(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        state, doc, offset = found
        spans = nav.definition(doc, offset)
        return [_location(doc, state.uri, s) for s in spans] or None

    @ls.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded
    def on_references(params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        found = document_offset(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        state, doc, offset = found
        spans = nav.references(doc, offset, params.context.include_declaration)
        return [_location(doc, state.uri, s) for s in spans] or None

    @ls.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    @guarded
    def on_highlight(params: lsp.DocumentHighlightParams) -> list[lsp.DocumentHighlight] | None:
        found = document_offset(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        _state, doc, offset = found
        out = [
            lsp.DocumentHighlight(
                range=lsp_range(doc.range(span)),
                kind=lsp.DocumentHighlightKind.Write if is_write else lsp.DocumentHighlightKind.Read,
            )
            for span, is_write in nav.highlights(doc, offset)
        ]
        return out or None

    @ls.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded
    def on_prepare_rename(params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
        found = document_offset(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        _state, doc, offset = found
        prepared = nav.prepare_rename(doc, offset)
        if prepared is None:
            return None
        span, placeholder = prepared
        return lsp.PrepareRenamePlaceholder(range=lsp_range(doc.range(span)), placeholder=placeholder)

    @ls.feature(lsp.TEXT_DOCUMENT_RENAME)
    @guarded
    def on_rename(params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        found = document_offset(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        state, doc, offset = found
        try:
            edits = nav.rename(doc, offset, params.new_name)
        except nav.RenameError as exc:
            raise JsonRpcException(str(exc), code=lsp.LSPErrorCodes.RequestFailed.value) from None
        return workspace_edit(ls, state, edits)
