"""Requests about a long file's first lines are answered from their own model while the whole
file is still being parsed (head.py); requests elsewhere wait for the whole model as before.

60,000 chained stages (4.8 M characters, over the rules' size limit): the whole parse and model
take seconds, the first lines' tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.reliability.adversarial import stages

from .helpers import open_doc

SERVER_CANCELLED = -32802


def _at(uri: str, line: int, character: int) -> dict[str, object]:
    return {"text_document": lsp.TextDocumentIdentifier(uri=uri), "position": lsp.Position(line=line, character=character)}


async def test_first_lines_are_answered_before_the_whole_file_is_modelled(client: LanguageClient) -> None:
    text = stages(60_000)
    lines = text.split("\n")
    uri, _notice = await open_doc(client, text, timeout=60)  # the rules-skipped notice
    await asyncio.sleep(0.5)  # the first lines' model: tens of milliseconds
    started = time.monotonic()
    keyword = client.text_document_hover_async(lsp.HoverParams(**_at(uri, 3, 1)))  # ARG on line 3
    typed = client.text_document_completion_async(lsp.CompletionParams(**_at(uri, 3, 2)))  # "AR"
    image = client.text_document_definition_async(lsp.DefinitionParams(**_at(uri, 2, 6)))  # FROM s0
    far = len(lines) - 5
    assert lines[far].startswith("FROM s")
    elsewhere = client.text_document_definition_async(lsp.DefinitionParams(**_at(uri, far, 6)))
    hover, completion, definition = await asyncio.gather(keyword, typed, image)
    took = time.monotonic() - started
    assert hover is not None and "ARG" in str(hover.contents)
    labels = [i.label for i in (completion.items if isinstance(completion, lsp.CompletionList) else completion or [])]
    assert "ARG" in labels
    assert definition and definition[0].range.start.line == 1  # FROM ${BASE} AS s0
    with pytest.raises(JsonRpcException) as cancelled:
        await elsewhere  # parked: no model for the rest of the file yet
    assert cancelled.value.code == SERVER_CANCELLED
    assert took < 2.0, took


async def test_a_hover_that_tells_of_later_stages_waits_for_the_whole_model(client: LanguageClient) -> None:
    text = stages(60_000)
    uri, _notice = await open_doc(client, text, timeout=60)
    await asyncio.sleep(0.5)
    # On the stage name of line 2 (FROM s0 AS s1): its hover lists the stages that use it.
    with pytest.raises(JsonRpcException) as cancelled:
        await client.text_document_hover_async(lsp.HoverParams(**_at(uri, 2, 12)))
    assert cancelled.value.code == SERVER_CANCELLED
