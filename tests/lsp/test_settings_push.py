"""Settings pushed with workspace/didChangeConfiguration (as the VS Code extension sends them) reach
the diagnostics, over stdio with the early phase, after the server took over."""

from __future__ import annotations

import asyncio

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import open_doc

TEXT = "FROM golang:1.22 as build\nCOPY . .\nRUN go build -o /app .\n"


async def _codes_after(client: LanguageClient, uri: str, predicate: object, timeout: float = 20.0) -> set[str]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        codes = {str(d.code) for d in client.diagnostics.get(uri, [])}
        if predicate(codes):  # type: ignore[operator]
            return codes
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"diagnostics stayed {sorted(codes)}")
        await asyncio.sleep(0.05)


async def test_pushed_rules_ignore_hides_and_restores_rules(client: LanguageClient) -> None:
    uri, pushed = await open_doc(client, TEXT)
    shown = {str(d.code) for d in pushed}
    assert "FromAsCasing" in shown
    await asyncio.sleep(1.0)  # past the hand-over and ShellCheck's first results
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dockerfileRefactor": {"rules": {"ignore": sorted(shown)}}})
    )
    await _codes_after(client, uri, lambda codes: not (codes & shown))
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dockerfileRefactor": {"rules": {"ignore": []}}})
    )
    await _codes_after(client, uri, lambda codes: "FromAsCasing" in codes)
