"""features/requests.py: the lookup, position and error handling every document request shares."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from dockerfile_refactor_ls.documents import DocumentState, DocumentStore
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.features.requests import document_request, position_answer, position_request

URI = "file:///w/Dockerfile"
TEXT = "FROM alpine:3.20 AS base\nRUN echo hi\n"


class FakeHost:
    """What the helpers use of the server: the core's documents and ``feature`` registration."""

    def __init__(self) -> None:
        self.core = SimpleNamespace(documents=DocumentStore())
        self.core.documents.open(URI, TEXT, 1)
        self.registered: dict[str, tuple[Callable[..., Any], Any]] = {}

    def feature(self, method: str, options: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.registered[method] = (fn, options)
            return fn

        return register


def hover_params(uri: str = URI, line: int = 1, character: int = 4) -> lsp.HoverParams:
    return lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line, character))


def test_document_request_registers_and_passes_the_open_document() -> None:
    ls: Any = FakeHost()  # stands in for the FeatureHost the helpers take
    options = lsp.DocumentLinkOptions(resolve_provider=False)

    @document_request(ls, lsp.TEXT_DOCUMENT_DOCUMENT_LINK, options)
    def on_link(params: lsp.DocumentLinkParams, state: DocumentState) -> str:
        return f"{state.uri} v{state.version}"

    handler, registered_options = ls.registered[lsp.TEXT_DOCUMENT_DOCUMENT_LINK]
    assert registered_options is options and handler.__name__ == "on_link"
    params = lsp.DocumentLinkParams(text_document=lsp.TextDocumentIdentifier(uri=URI))
    assert handler(params) == f"{URI} v1"
    # A document the client never opened is answered null, without calling the handler.
    other = lsp.DocumentLinkParams(text_document=lsp.TextDocumentIdentifier(uri="file:///w/other"))
    assert handler(other) is None


def test_position_request_gives_the_offset_of_the_position() -> None:
    ls: Any = FakeHost()

    @position_request(ls, lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(params: lsp.HoverParams, state: DocumentState, offset: int) -> str:
        return state.text[offset : offset + 4]

    assert on_hover(hover_params(line=1, character=4)) == "echo"
    assert on_hover(hover_params(line=0, character=0)) == "FROM"


def test_position_answer_converts_only_an_answer() -> None:
    ls: Any = FakeHost()
    seen: list[tuple[int, object]] = []

    def answer(doc: Dockerfile, offset: int) -> str | None:
        return doc.text[offset : offset + 4] if offset < len("FROM") else None

    @position_answer(ls, lsp.TEXT_DOCUMENT_HOVER, answer)
    def on_hover(params: lsp.HoverParams, doc: Dockerfile, found: str) -> str:
        seen.append((params.position.line, found))
        return found.lower()

    assert on_hover(hover_params(line=0, character=0)) == "from"
    # No answer at the position: null, and the converter is not called.
    assert on_hover(hover_params(line=1, character=4)) is None
    assert seen == [(0, "FROM")]


def test_an_internal_error_is_logged_and_answered_null(caplog: pytest.LogCaptureFixture) -> None:
    ls: Any = FakeHost()

    @position_request(ls, lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(params: lsp.HoverParams, state: DocumentState, offset: int) -> str:
        raise ValueError("broken")

    with caplog.at_level(logging.ERROR, logger="dockerfile_refactor_ls.features.requests"):
        assert on_hover(hover_params()) is None
    assert "on_hover failed" in caplog.text and "ValueError: broken" in caplog.text


def test_a_deliberate_json_rpc_error_reaches_the_client() -> None:
    ls: Any = FakeHost()

    @position_request(ls, lsp.TEXT_DOCUMENT_RENAME)
    def on_rename(params: lsp.HoverParams, state: DocumentState, offset: int) -> str:
        raise JsonRpcException("cannot rename that", code=lsp.LSPErrorCodes.RequestFailed.value)

    with pytest.raises(JsonRpcException, match="cannot rename that"):
        on_rename(hover_params())
