"""textDocument/onTypeFormatting -> engine.on_type (indent the line after a ``\\`` continuation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..documents import DocumentState
from ..engine.on_type import on_type_formatting
from .formatting import format_options
from .requests import position_request

if TYPE_CHECKING:
    from .host import FeatureHost

OPTIONS = lsp.DocumentOnTypeFormattingOptions(first_trigger_character="\n", more_trigger_character=["\\", "`"])


def register(ls: FeatureHost) -> None:
    @position_request(ls, lsp.TEXT_DOCUMENT_ON_TYPE_FORMATTING, OPTIONS)
    def on_type(params: lsp.DocumentOnTypeFormattingParams, state: DocumentState, offset: int) -> list[lsp.TextEdit]:
        doc = state.model
        edits = on_type_formatting(doc, offset, params.ch, format_options(params.options))
        return [lsp.TextEdit(range=lsp_range(doc.range(e.span)), new_text=e.new_text) for e in edits]
