"""What a feature module sees of the server: pygls' ``LanguageServer`` and the core beneath it.

Every feature's ``register(ls)`` takes a :class:`FeatureHost`. The server class derives from it, so
features depend on this module, not on the server above them (tests/test_import_graph.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from ..core import Core
from ..documents import DocumentState, collector_paused
from ..engine.model import Dockerfile
from ..wire import EncodedResult, RawObject, RawResult

log = logging.getLogger(__name__)

T = TypeVar("T")

# A request whose work grows with the document (code actions try every refactoring on the whole
# file, formatting looks at every instruction) runs in the request thread past this size, on a
# frozen copy of the version: the loop answers other requests meanwhile. (Up to it, on the loop:
# a few tens of milliseconds.)
OFF_LOOP_CHARS = 200_000
CONTENT_MODIFIED = -32801
REQUEST_CANCELLED = -32800
# LSP's ServerCancelled: the client may ask again.
SERVER_CANCELLED = -32802
INTERNAL_ERROR = -32603

# Builds the result of a whole-document request (outline, folding, semantic tokens, links, lenses)
# as plain JSON from a document's uri and model; called once per version, for a big document in
# the analysis thread (so it reads the model and the client's capabilities only).
WholeDocumentBuilder = Callable[[str, Dockerfile], Any]


class FeatureHost(LanguageServer):
    """The server as features use it; the attributes are set by the server from the client's
    ``initialize`` capabilities."""

    # Documents, settings, findings and publishing (shared with the early phase).
    core: Core
    # The client accepts snippets in completion items.
    snippet_support: bool
    # Workspace edits may use documentChanges (versioned), and may create files.
    versioned_edits: bool
    create_files: bool
    # Code actions: edits resolved lazily (codeAction/resolve); disabled actions shown with reasons.
    resolve_code_action_edits: bool
    disabled_code_actions: bool
    # Whole-document requests by method, registered by their features (see whole_document_result).
    whole_document_results: dict[str, WholeDocumentBuilder]

    async def wait_findings(self, uri: str) -> DocumentState | None:
        """The document once the findings of its current version are computed (the server computes
        them in its analysis thread; here, without one, they are computed on first use)."""
        return self.core.documents.get(uri)

    def off_loop(
        self,
        state: DocumentState,
        compute: Callable[[DocumentState], T],
        then: Callable[[T], None] | None = None,
        *,
        findings: bool = False,
    ) -> T | Deferred:
        """``compute(state)`` for the document's current version. Right here (the handler stays
        synchronous, so it sees the version the request was sent for) unless the document is big
        and its model built: then in the request thread on :meth:`DocumentState.frozen` (it never
        sees a later edit), returned as a :class:`Deferred` that the protocol answers when it is
        done, ContentModified if the document changed meanwhile. ``then`` gets the result on the
        loop while the version is current (to cache it). With ``findings`` (``compute`` reads them),
        only once they are computed: the rules are not run in the request thread."""
        if len(state.text) <= OFF_LOOP_CHARS or not state.model_ready or (findings and not self.core.findings_ready(state)):
            result = compute(state)
            if then is not None:
                then(result)
            return result
        frozen = state.frozen()

        def run() -> T:
            with collector_paused(len(frozen.text)):
                return compute(frozen)

        def current() -> bool:
            return self.core.documents.get(state.uri) is state and state.text is frozen.text

        return Deferred(asyncio.wrap_future(_REQUESTS.submit(run)), current, then)

    def whole_document_result(self, state: DocumentState, method: str) -> Any:
        """The result of the whole-document request ``method`` for the document's current version:
        the JSON text the analysis thread encoded for it, or built here and kept for the version (a
        small document, one the thread has not got to, or a builder that failed there)."""
        key = result_key(method)
        kept = state.cache.get(key)
        if isinstance(kept, tuple) and kept[0] is state.text and kept[1] == self.core.settings_generation and kept[2] is not None:
            return kept[2]
        try:
            with collector_paused(len(state.text)):
                result = self.whole_document_results[method](state.uri, state.model)
        except Exception:
            log.exception("%s failed", method)
            return None
        wrapped: Any = RawResult(result) if isinstance(result, list) else RawObject(result) if isinstance(result, dict) else result
        state.cache[key] = (state.text, self.core.settings_generation, wrapped)
        return wrapped


class AskAgain:
    """A request's answer: ServerCancelled with ``reason`` (the client may ask again), sent by the
    protocol as is, not raised: pygls logs a traceback for every error a handler raises."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class Deferred:
    """A request's result still being computed in the request thread (FeatureHost.off_loop): the
    protocol sends it when ``future`` is done, if ``current()`` still holds, else ContentModified."""

    def __init__(self, future: asyncio.Future[Any], current: Callable[[], bool], then: Callable[[Any], None] | None) -> None:
        self.future = future
        self.current = current
        self.then = then

    def outcome(self) -> tuple[Any, JsonRpcException | None]:
        """The result, or the JSON-RPC error to answer with (on the loop, once ``future`` is done)."""
        future = self.future
        if future.cancelled():
            return None, JsonRpcException("the request was cancelled", code=REQUEST_CANCELLED)
        exc = future.exception()
        if isinstance(exc, JsonRpcException):
            return None, exc
        if exc is not None:
            log.error("request failed", exc_info=exc)
            return None, JsonRpcException("internal error; see the server log", code=INTERNAL_ERROR)
        if not self.current():
            return None, JsonRpcException("the document changed; ask again", code=CONTENT_MODIFIED)
        result = future.result()
        if self.then is not None:
            self.then(result)
        return result, None


class _RequestThread:
    """One daemon thread that runs request computations in order (a daemon, so that ``exit``
    never waits for one); a computation cancelled before it starts (the client cancelled the
    request) is skipped."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[concurrent.futures.Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="requests", daemon=True)
                self._thread.start()
        self._jobs.put((future, fn))
        return future

    def _run(self) -> None:
        while True:
            future, fn = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the request, which reports it
                future.set_exception(exc)


_REQUESTS = _RequestThread()


def result_key(method: str) -> str:
    """Where a document's per-version ``cache`` keeps the result of a whole-document request:
    ``(text, settings generation, result)``, the result an :class:`EncodedResult` when the analysis
    thread built it (None when it failed there)."""
    return "result:" + method


__all__ = ["Deferred", "EncodedResult", "FeatureHost", "WholeDocumentBuilder", "result_key"]
