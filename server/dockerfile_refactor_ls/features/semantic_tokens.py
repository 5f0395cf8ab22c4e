"""textDocument/semanticTokens/full and /range -> engine.semantic_tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import span_of
from ..documents import DocumentState
from ..engine.model import Dockerfile
from ..engine.semantic_tokens import TOKEN_MODIFIERS, TOKEN_TYPES, Token, semantic_tokens
from .requests import document_request, whole_document_request

if TYPE_CHECKING:
    from .host import FeatureHost

LEGEND = lsp.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))
_TYPE_INDEX = {t: i for i, t in enumerate(TOKEN_TYPES)}
_MODIFIER_BIT = {m: 1 << i for i, m in enumerate(TOKEN_MODIFIERS)}


def encode(doc: Dockerfile, tokens: list[Token]) -> list[int]:
    """The LSP's relative encoding: (delta line, delta start, length, type, modifiers) per token.
    (Tokens come sorted: their positions are found in one walk over the lines.)"""
    data: list[int] = []
    append = data.append
    prev_line = prev_char = 0
    types = _TYPE_INDEX
    bits_of: dict[tuple[str, ...], int] = {}
    for t, (line, char, end_line, end_char) in zip(tokens, doc.lines.sorted_ranges(t.span for t in tokens), strict=True):
        if line != end_line:
            continue
        bits = bits_of.get(t.modifiers)
        if bits is None:
            bits = bits_of[t.modifiers] = sum(_MODIFIER_BIT[m] for m in set(t.modifiers))
        append(line - prev_line)
        append(char - prev_char if line == prev_line else char)
        append(end_char - char)
        append(types[t.type])
        append(bits)
        prev_line, prev_char = line, char
    return data


def register(ls: FeatureHost) -> None:
    whole_document_request(
        ls, lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, lambda uri, doc: {"data": encode(doc, semantic_tokens(doc))}, LEGEND
    )

    @document_request(ls, lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE)
    def on_range(params: lsp.SemanticTokensRangeParams, state: DocumentState) -> lsp.SemanticTokens:
        doc = state.model
        return lsp.SemanticTokens(data=encode(doc, semantic_tokens(doc, span_of(doc, params.range))))
