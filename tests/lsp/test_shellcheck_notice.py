"""End to end: ShellCheck turned on without a binary is said once, not silently ignored."""

from __future__ import annotations

import asyncio
import sys

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .helpers import change_doc, open_doc, rng

MISSING = "/nonexistent/dir/shellcheck"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]),
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    params = lsp.InitializeParams(
        capabilities=client_capabilities("neovim"),
        initialization_options={"dockerfileRefactor": {"shellcheck": {"enable": True, "path": MISSING}}},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def _shellcheck_messages(client: LanguageClient) -> list[lsp.ShowMessageParams]:
    for _ in range(50):
        found = [m for m in client.messages if "ShellCheck" in m.message]
        if found:
            return found
        await asyncio.sleep(0.1)
    return []


async def test_missing_shellcheck_is_reported_once(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine\nRUN echo $1\n")
    messages = await _shellcheck_messages(client)
    assert len(messages) == 1
    assert messages[0].type == lsp.MessageType.Warning
    assert MISSING in messages[0].message
    await change_doc(client, uri, 2, [lsp.TextDocumentContentChangePartial(range=rng(1, 0, 1, 0), text="RUN ls\n")])
    await open_doc(client, "FROM alpine\nRUN echo hi\n")
    await asyncio.sleep(0.3)
    assert len([m for m in client.messages if "ShellCheck" in m.message]) == 1
