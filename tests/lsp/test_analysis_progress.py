"""A long rules run shows as work-done progress ($/progress) in a client that supports it."""

from __future__ import annotations

import asyncio

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.reliability.adversarial import stages

from .helpers import diagnostics_where, open_doc


async def _past_the_early_phase(client: LanguageClient) -> None:
    # The first request ends the early phase (which shows no progress: pygls is not loaded yet).
    uri, _ = await open_doc(client, "FROM alpine:3.20\n", name="warm-up.Dockerfile")
    await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=1))
    )


async def test_a_long_rules_run_reports_progress_from_begin_to_end(client: LanguageClient) -> None:
    await _past_the_early_phase(client)
    before = set(client.progress_reports)
    # 10,000 stages (0.8 M characters): the rules take several seconds, over the 1 s before any
    # progress is shown.
    text = stages(10_000)
    uri, _first_lines = await open_doc(client, text, name="api.Dockerfile", timeout=180)
    # The rules ran (the file is under the size limit): the whole list holds what the first
    # lines' list (published first, see test_first_lines_diagnostics.py) does not.
    await diagnostics_where(client, uri, bool, timeout=180)
    new = [token for token in client.progress_reports if token not in before]
    assert len(new) == 1, client.progress_reports
    values = client.progress_reports[new[0]]
    begin, *reports, end = values
    assert isinstance(begin, lsp.WorkDoneProgressBegin)
    assert begin.title == "Checking Dockerfile" and begin.message == "api.Dockerfile"
    assert begin.cancellable is False and begin.percentage is not None
    assert all(isinstance(r, lsp.WorkDoneProgressReport) for r in reports)
    percentages = [begin.percentage, *(r.percentage for r in reports)]
    assert percentages == sorted(percentages) and all(p is not None and 0 <= p <= 100 for p in percentages)
    assert isinstance(end, lsp.WorkDoneProgressEnd)


async def test_a_quick_run_shows_no_progress(client: LanguageClient) -> None:
    await _past_the_early_phase(client)
    before = dict(client.progress_reports)
    await open_doc(client, "FROM alpine:3.20\nRUN apk add curl\n")
    await asyncio.sleep(1.5)
    assert client.progress_reports == before
