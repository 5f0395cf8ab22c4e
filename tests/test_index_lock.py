"""engine/index_lock.py: the navigation indexes are built once per model, by one thread at a time; a
thread that must stay responsive (the server's loop) gets IndexPending instead of waiting long, and
the request layer turns that into ServerCancelled (issue 18: a hover right after a keystroke in a
50,000-stage file no longer waits for indexes it does not read)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from lsprotocol import types as lsp

from dockerfile_refactor_ls.documents import DocumentStore
from dockerfile_refactor_ls.engine.completion import complete, document_facts
from dockerfile_refactor_ls.engine.hover import hover
from dockerfile_refactor_ls.engine.index_lock import IndexPending, waiting_at_most
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.navigation import stage_refs, variable_index
from dockerfile_refactor_ls.features.host import AskAgain
from dockerfile_refactor_ls.features.requests import position_answer

TEXT = "ARG V=1\nFROM alpine:3.20 AS base\nRUN echo $V\nFROM base\nCOPY --from=base /a /b\n"


@contextmanager
def held_elsewhere(doc: Dockerfile) -> Iterator[None]:
    """The model's index lock held by another thread (as the analysis thread holds it while it
    builds the indexes) for the length of the block."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with doc.index_lock:
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join(10)


@pytest.mark.parametrize("index", [variable_index, stage_refs, document_facts])
def test_a_limited_thread_gets_index_pending_while_another_builds(index: Any) -> None:
    doc = Dockerfile(TEXT)
    with held_elsewhere(doc), waiting_at_most(0.01):
        t0 = time.monotonic()
        with pytest.raises(IndexPending):
            index(doc)
        assert time.monotonic() - t0 < 2.0
    # Released: built (once) and the same object from then on, limited or not.
    with waiting_at_most(0.01):
        first = index(doc)
    assert index(doc) is first


def test_an_unlimited_thread_waits_for_the_builder_and_reuses_its_index() -> None:
    doc = Dockerfile(TEXT)
    with doc.index_lock:  # this thread is the builder
        got: list[Any] = []
        waiter = threading.Thread(target=lambda: got.append(variable_index(doc)))
        waiter.start()
        time.sleep(0.05)
        assert waiter.is_alive() and not got  # waiting, not building beside the builder
        built = variable_index(doc)  # re-entrant for the holder
    waiter.join(10)
    assert got[0] is built


def test_keyword_and_use_hovers_need_no_index_and_a_declaration_hover_asks_again() -> None:
    """A keyword's hover and a use's (its declaration and default, read from the scopes) are
    answered while the indexes are built; a declaration's hover counts every use of the variable,
    so it asks again until the variable index is there."""
    doc = Dockerfile(TEXT)
    with held_elsewhere(doc), waiting_at_most(0.01):
        found = hover(doc, TEXT.index("RUN") + 1)
        assert found is not None and "RUN" in found.markdown
        use = hover(doc, TEXT.index("$V") + 1)
        assert use is not None and "is not visible inside a stage" in use.markdown
        with pytest.raises(IndexPending):
            hover(doc, TEXT.index("V=1"))
    after = hover(doc, TEXT.index("V=1"))
    assert after is not None and "0 uses in this file." in after.markdown


def test_the_request_layer_answers_ask_again_for_a_pending_index() -> None:
    uri = "file:///w/Dockerfile"
    registered: dict[str, Any] = {}
    store = DocumentStore()
    state = store.open(uri, TEXT, 1)
    host: Any = SimpleNamespace(
        core=SimpleNamespace(documents=store),
        feature=lambda method, options=None: lambda fn: registered.setdefault(method, fn),
    )

    @position_answer(host, lsp.TEXT_DOCUMENT_HOVER, hover)
    def on_hover(params: lsp.HoverParams, doc: Dockerfile, found: Any) -> str:
        return str(found.markdown)

    # On the declaration: its hover counts the uses, which needs the variable index.
    params = lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(0, 4))
    with held_elsewhere(state.model), waiting_at_most(0.01):
        answer = registered[lsp.TEXT_DOCUMENT_HOVER](params)
    assert isinstance(answer, AskAgain) and "ask again" in answer.reason
    assert "V" in registered[lsp.TEXT_DOCUMENT_HOVER](params)


def test_completion_reads_only_the_document_facts() -> None:
    """The analysis thread builds completion's facts first and the variable and stage-reference
    indexes after them under the same lock; completion must be answerable in between."""
    doc = Dockerfile(TEXT)
    document_facts(doc)
    run = TEXT.index("RUN echo $V")
    copy = TEXT.index("COPY --from=base")
    with held_elsewhere(doc), waiting_at_most(0.01):
        keywords = complete(doc, run)  # the start of a line: instruction keywords
        variables = complete(doc, run + len("RUN echo $"))
        stages = complete(doc, copy + len("COPY --from="))
        with pytest.raises(IndexPending):
            variable_index(doc)  # still held: the facts were the only thing built
    assert "RUN" in {i.label for i in keywords}
    assert "V" in {i.label for i in variables}
    assert "base" in {i.label for i in stages}
