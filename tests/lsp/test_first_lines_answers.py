"""Requests about a long file's first lines are answered from their own model while the whole
file is still being parsed (head.py); requests elsewhere wait for the whole model as before.

60,000 chained stages (4.8 M characters, over the rules' size limit): the whole parse and model
take seconds, the first lines' tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

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


async def _until_answered(make: Callable[[], Awaitable[object]], timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await make()
        except JsonRpcException as e:
            if e.code != SERVER_CANCELLED or time.monotonic() > deadline:
                raise


async def test_the_lines_just_edited_are_answered_before_the_whole_file_is_modelled_again(
    client: LanguageClient,
) -> None:
    text = stages(60_000)
    lines = text.split("\n")
    uri, _notice = await open_doc(client, text, timeout=60)
    far = len(lines) - 5
    assert lines[far].startswith("FROM s")
    far_params = lsp.DefinitionParams(**_at(uri, far, 6))
    await _until_answered(lambda: client.text_document_definition_async(far_params))  # the whole model
    run = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("RUN "))
    end = lsp.Position(line=run, character=len(lines[run]))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(range=lsp.Range(start=end, end=end), text=" x")],
        )
    )
    done: dict[str, float] = {}

    async def timed(name: str, request: Awaitable[object]) -> object:
        result = await request
        done[name] = time.monotonic()
        return result

    # A hover far down the file first (needing the model, no index), asked again while
    # ServerCancelled: were both answered from the new whole model, they would have their results
    # within one retry of each other.
    far_run = next(i for i in range(far, 0, -1) if lines[i].startswith("RUN "))
    far_hover = lsp.HoverParams(**_at(uri, far_run, 1))
    elsewhere = asyncio.ensure_future(
        timed("far", _until_answered(lambda: client.text_document_hover_async(far_hover)))
    )
    # Asked again while ServerCancelled too, as editors do: on a loaded machine the edited lines'
    # model may take longer than a request is held.
    hover_params = lsp.HoverParams(**_at(uri, run, 1))
    hover = await timed("hover", _until_answered(lambda: client.text_document_hover_async(hover_params)))
    typed = await client.text_document_completion_async(lsp.CompletionParams(**_at(uri, run, 2)))  # "RU"
    later = await elsewhere
    assert hover is not None and "RUN" in str(hover.contents)  # type: ignore[attr-defined]
    labels = [i.label for i in (typed.items if isinstance(typed, lsp.CompletionList) else typed or [])]
    assert "RUN" in labels
    assert later is not None  # the whole model of the new version came after
    assert done["far"] - done["hover"] > 0.25, done
