"""Small helpers over pytest-lsp's client for our end-to-end tests."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Sequence

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

_counter = itertools.count()


async def _next_diagnostics(client: LanguageClient, uri: str, timeout: float) -> Sequence[lsp.Diagnostic]:
    async def until() -> Sequence[lsp.Diagnostic]:
        while uri not in client.diagnostics:
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    return await asyncio.wait_for(until(), timeout)


async def diagnostics_where(
    client: LanguageClient, uri: str, ok: Callable[[Sequence[lsp.Diagnostic]], bool], timeout: float = 15
) -> Sequence[lsp.Diagnostic]:
    """The first published list for ``uri`` (already received or still to come) that satisfies ``ok``:
    some findings (ShellCheck's, SecretsInCode's while its detector loads) arrive in a later publish."""

    async def until() -> Sequence[lsp.Diagnostic]:
        while not (uri in client.diagnostics and ok(client.diagnostics[uri])):
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    return await asyncio.wait_for(until(), timeout)


async def open_doc(
    client: LanguageClient, text: str, name: str = "Dockerfile", timeout: float = 15
) -> tuple[str, Sequence[lsp.Diagnostic]]:
    """Open a document; return its uri and first published diagnostics."""
    uri = f"file:///tmp/drls-test-{next(_counter)}/{name}"
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)
        )
    )
    return uri, await _next_diagnostics(client, uri, timeout)


async def change_doc(
    client: LanguageClient,
    uri: str,
    version: int,
    changes: list[lsp.TextDocumentContentChangeEvent],
    timeout: float = 15,
) -> Sequence[lsp.Diagnostic]:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=changes,
        )
    )
    return await _next_diagnostics(client, uri, timeout)


def rng(l1: int, c1: int, l2: int, c2: int) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=l1, character=c1), end=lsp.Position(line=l2, character=c2))
