"""textDocument/formatting and rangeFormatting -> engine.formatting.

``FormattingOptions`` are honoured: ``tabSize`` and ``insertSpaces`` set the continuation indent,
``trimTrailingWhitespace`` (default on), ``insertFinalNewline`` and ``trimFinalNewlines`` (default
off) the end-of-line and end-of-file clean-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..convert import lsp_range, span_of
from ..documents import DocumentState
from ..engine.findings import Edit
from ..engine.formatting import FormatOptions, format_document, format_range
from ..engine.model import Dockerfile
from .requests import document_request, guarded

if TYPE_CHECKING:
    from .host import FeatureHost


def format_options(options: lsp.FormattingOptions) -> FormatOptions:
    return FormatOptions(
        tab_size=options.tab_size if options.tab_size and options.tab_size > 0 else 4,
        insert_spaces=bool(options.insert_spaces),
        trim_trailing_whitespace=options.trim_trailing_whitespace is not False,
        insert_final_newline=bool(options.insert_final_newline),
        trim_final_newlines=bool(options.trim_final_newlines),
    )


def _text_edits(doc: Dockerfile, edits: list[Edit]) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(range=lsp_range(doc.range(e.span)), new_text=e.new_text) for e in edits]


def register(ls: FeatureHost) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(params: lsp.DocumentFormattingParams) -> Any:
        state = ls.core.documents.get(params.text_document.uri)
        if state is None:
            return None
        options = format_options(params.options)
        # Every instruction is looked at: on a big document in the request thread.
        return ls.off_loop(state, guarded(lambda version: _text_edits(version.model, format_document(version.model, options))))

    @document_request(ls, lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
    def on_range_formatting(params: lsp.DocumentRangeFormattingParams, state: DocumentState) -> list[lsp.TextEdit]:
        doc = state.model
        span = span_of(doc, params.range)
        return _text_edits(doc, format_range(doc, span, format_options(params.options)))
