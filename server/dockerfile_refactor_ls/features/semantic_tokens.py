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
    """The LSP's relative encoding: (delta line, delta start, length, type, modifiers) per token."""
    data: list[int] = []
    prev_line = prev_char = 0
    for t in tokens:
        r = doc.range(t.span)
        if r.start.line != r.end.line:
            continue
        line, char = r.start.line, r.start.character
        delta_char = char - prev_char if line == prev_line else char
        bits = 0
        for m in t.modifiers:
            bits |= _MODIFIER_BIT[m]
        data += [line - prev_line, delta_char, r.end.character - char, _TYPE_INDEX[t.type], bits]
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
