"""textDocument/onTypeFormatting -> engine.on_type (indent the line after a ``\\`` continuation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import engine_position, lsp_range
from ..engine.on_type import on_type_formatting
from .formatting import format_options
from .navigation import guarded

if TYPE_CHECKING:
    from .host import FeatureHost

OPTIONS = lsp.DocumentOnTypeFormattingOptions(first_trigger_character="\n", more_trigger_character=["\\", "`"])


def register(ls: FeatureHost) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_ON_TYPE_FORMATTING, OPTIONS)
    @guarded
    def on_type(params: lsp.DocumentOnTypeFormattingParams) -> list[lsp.TextEdit] | None:
        state = ls.core.documents.get(params.text_document.uri)
        if state is None:
            return None
        doc = state.model
        offset = doc.lines.offset(engine_position(params.position))
        edits = on_type_formatting(doc, offset, params.ch, format_options(params.options))
        return [lsp.TextEdit(range=lsp_range(doc.range(e.span)), new_text=e.new_text) for e in edits]
