"""The language server: a thin pygls layer over :class:`.core.Core`, which owns the documents, the
settings and publishing (the same core the early phase in :mod:`.fast_start` used).

This module decodes the protocol's messages with lsprotocol and calls the core. Parsing, the model
and the rules run in one analysis thread (:class:`.analysis_thread.Analyser`), never on the event loop, so that
a request is never queued behind a long analysis (issue 18: 10 MB files, 50,000 stages). A change
only records its text and edit and queues a run, with no fixed debounce; a run takes a snapshot of
the newest version when it starts (so queued keystrokes coalesce), re-parses incrementally from its
last parse, hands the model to the loop, then runs the rules and publishes through the loop, only if
that version and the settings are still current. A request on a document whose model is not built
yet waits (parked, the loop free) until it is, at most ``PARK_SECONDS``; then it is answered
ServerCancelled and the client asks again, and a change to the document answers it ContentModified.
Each feature module in :mod:`.features` registers its own handlers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import logging
import os
import pkgutil
import sys
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, cast

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcServerNotInitialized
from pygls.protocol import LanguageServerProtocol, lsp_method

from . import __version__
from ._pygls_compat import (
    ProtocolHooks,
    await_early_response,
    converter,
    drop_finished_futures,
    send_data,
    send_encoded,
    send_response,
    server_of,
    shutdown_received,
)
from .analysis_thread import HANDLED, INLINE_MODEL_CHARS, Analyser, Post
from .convert import engine_position
from .core import Core
from .documents import ChangeRange, DocumentState, DocumentStore, collector_paused
from .engine.findings import Finding
from .engine.index_lock import waiting_at_most
from .engine.model import Dockerfile
from .engine.settings import Settings
from .engine.text import Position
from .fast_start import EARLY_CONFIGURATION_ID, EarlyStart
from .features.analysis_progress import AnalysisProgress
from .features.host import SERVER_CANCELLED, AskAgain, Deferred, FeatureHost, result_key
from .head import HEAD_REQUESTS, Head
from .shellcheck_notice import check_shellcheck_available
from .wire import EncodedResult, RawObject, RawResult, encode_result
from .workspace import CONFIG_SECTION

log = logging.getLogger(__name__)


@attrs.define
class RawRequest:
    """A request whose params reach the handler as the plain JSON object they arrived as.

    (pygls' generic fallback would turn them into nested namedtuples, slower still.)
    """

    id: int | str
    method: str
    jsonrpc: str
    params: Any


# A request that structure_message already answered with an error; handle_message skips it.
_ANSWERED = object()

# How long a request on a document whose model is still being built waits for it before it is
# answered ServerCancelled (the client asks again): inside the 200 ms issue 18 allows a request,
# and longer than a keystroke's re-analysis of a file of a few thousand lines takes.
PARK_SECONDS = 0.12
# How long a request on the loop waits for a navigation index the analysis thread is building
# (engine/index_lock.py) before it is answered ServerCancelled: a small document's index is built
# within it, a 50,000-stage one's (1 s) is not, and the loop is held no longer than this.
INDEX_WAIT_SECONDS = 0.05
CONTENT_MODIFIED = -32801
# A whole-document request (outline, folding, semantic tokens, links, lenses) on a big document
# waits for its result of the current version, which the analysis thread builds right after the
# model: VS Code does not ask again for an outline or folding answered ServerCancelled (LSP issue
# 2069), so cancelling would leave them empty until the next edit. A change answers it
# ContentModified (the client then asks for the new version); this is only the backstop.
HOLD_SECONDS = 120.0
# Whole-document results of a document up to this long are built on the loop when asked for
# (semantic tokens, the largest, take about 0.5 µs a character: 100 ms here), longer ones in the
# analysis thread for every version, before the rules (a 5,000-line file's keystroke does not wait
# for its outline to be rebuilt before its diagnostics).
RESULTS_IN_THREAD_CHARS = 200_000
# The order they are built in: what an editor shows at once first, the largest (semantic tokens: 12 s
# at 10 MB, and the editor colours the visible range meanwhile through semanticTokens/range) last.
RESULT_ORDER = (
    lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
    lsp.TEXT_DOCUMENT_FOLDING_RANGE,
    lsp.TEXT_DOCUMENT_DOCUMENT_LINK,
    lsp.TEXT_DOCUMENT_CODE_LENS,
    lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
)
# Built before the navigation indexes (1 s at 50,000 stages), which they do not need: the outline
# (tens of milliseconds there), which an editor asks for after every change.
FIRST_RESULTS = (lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL,)
# Requests that read the findings as well as the model (quick fixes come from them); the others
# need the model only.
FINDINGS_METHODS = frozenset((lsp.TEXT_DOCUMENT_CODE_ACTION,))
# Not parked: a pulled report waits for the rules in its own handler (the answer is the findings).
UNPARKED_METHODS = frozenset((lsp.TEXT_DOCUMENT_DIAGNOSTIC,))


def request_uri(message: Any) -> str | None:
    """The ``textDocument.uri`` a request is about, if it names one."""
    params = getattr(message, "params", None)
    if isinstance(params, dict):  # a RawRequest
        doc = params.get("textDocument")
        uri = doc.get("uri") if isinstance(doc, dict) else None
    else:
        uri = getattr(getattr(params, "text_document", None), "uri", None)
    return uri if isinstance(uri, str) else None


@dataclass(eq=False)
class Parked:
    """A request held until its document's model (and findings, for ``findings``) is built."""

    message: Any
    uri: str
    text: str
    findings: bool
    # A whole-document method whose per-version result it waits for (see HOLD_SECONDS), if any.
    result: str | None = None
    timer: asyncio.TimerHandle | None = None


class DockerfileProtocol(ProtocolHooks, LanguageServerProtocol):
    """pygls' protocol with text sync routed to our own document store."""

    @property
    def ls(self) -> DockerfileLanguageServer:
        return cast(DockerfileLanguageServer, server_of(self))

    # Methods whose params and results stay plain JSON: a whole-document code action request
    # carries every diagnostic back to us, and structuring them with cattrs dominated its cost.
    RAW_METHODS = frozenset((lsp.TEXT_DOCUMENT_CODE_ACTION,))

    def get_message_type(self, method: str) -> Any:  # type: ignore[override]
        if method in self.RAW_METHODS:
            return RawRequest
        return super().get_message_type(method)

    # The id of an ``initialize`` that fast_start already answered; pygls' own reply is dropped.
    answered_initialize_id: int | str | None = None

    def intercept_response(self, msg_id: Any, result: Any | None, error: Any | None) -> bool:
        if msg_id is not None and msg_id == self.answered_initialize_id and error is None:
            self.answered_initialize_id = None
            return True
        if msg_id is None and error is not None:
            # A request with a null id (or one pygls could not read an id from): pygls leaves the
            # id out of the error response (cattrs omits None), which JSON-RPC 2.0 forbids ("id":
            # null), and a strict client drops it as neither a response nor a request.
            send_data(self, {"jsonrpc": "2.0", "id": None, "error": error})
            return True
        if error is None and isinstance(result, AskAgain):
            self.answer_error(msg_id, SERVER_CANCELLED, result.reason)
            return True
        if error is None and isinstance(result, Deferred):
            # Computed in the request thread: answered when it is done.
            result.future.add_done_callback(lambda _: self._answer_deferred(msg_id, result))
            return True
        if error is None and isinstance(result, EncodedResult):
            send_encoded(self, msg_id, result)  # encoded in the analysis thread
            return True
        if error is None and isinstance(result, RawResult | RawObject):
            # Plain JSON already: skip cattrs (see RAW_METHODS).
            send_data(self, {"jsonrpc": "2.0", "id": msg_id, "result": list(result) if isinstance(result, list) else dict(result)})
            return True
        return False

    def _answer_deferred(self, msg_id: Any, deferred: Deferred) -> None:
        result, error = deferred.outcome()
        try:
            if error is not None:
                send_response(self, msg_id, None, error.to_response_error())
            else:
                send_response(self, msg_id, result)
        except (OSError, ValueError):  # the client is gone (the request came before its exit)
            log.info("could not answer request %s: the connection is closed", msg_id)

    # -- JSON-RPC hygiene that pygls 2.1 lacks ------------------------------------------------------

    _initialize_seen = False

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            # pygls raises while decoding params, before it knows the request's id, and the request
            # would never be answered: answer it here with InvalidParams.
            if isinstance(data, dict) and "id" in data and "method" in data:
                send_response(self, data["id"], None, exc.to_response_error())
                return _ANSWERED
            raise

    def handle_message(self, message: Any) -> None:
        if message is _ANSWERED:
            return
        self._handle(message)

    def _handle(self, message: Any) -> None:
        method = getattr(message, "method", None)
        msg_id = getattr(message, "id", None)
        is_request = method is not None and msg_id is not None
        if method == lsp.INITIALIZE:
            self._initialize_seen = True
        elif method is not None and method != lsp.EXIT:
            if shutdown_received(self):
                if is_request:  # pygls drops these silently; the spec asks for InvalidRequest
                    send_response(self, msg_id, None, JsonRpcInvalidRequest("the server is shutting down").to_response_error())
                return
            if not self._initialize_seen:
                if is_request:
                    send_response(self, msg_id, None, JsonRpcServerNotInitialized().to_response_error())
                return  # notifications before initialize are dropped
            if is_request and (uri := request_uri(message)) is not None:
                if self.ls.park(message, uri, method):
                    return  # answered once the document's model is built, or ServerCancelled
                self._run_request(message, uri)
                return
        super().handle_message(message)

    def _run_request(self, message: Any, uri: str | None) -> None:
        state = self.ls.core.documents.get(uri) if uri is not None else None
        # A result for a huge document allocates hundreds of thousands of objects, and the cyclic
        # collector would walk the document's millions meanwhile (documentSymbol at 20,000 stages:
        # 2.6 s with it, 1.4 s without). Sync handlers run inside this call.
        with collector_paused(len(state.text) if state is not None else 0), waiting_at_most(INDEX_WAIT_SECONDS):
            super().handle_message(message)

    def dispatch(self, message: Any) -> None:
        """Handle a request that was parked until its document's analysis was ready."""
        if shutdown_received(self):
            send_response(self, message.id, None, JsonRpcInvalidRequest("the server is shutting down").to_response_error())
            return
        self._run_request(message, request_uri(message))

    def answer_error(self, msg_id: Any, code: int, text: str) -> None:
        send_data(self, {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": text}})

    def after_notification(self, method_name: str) -> None:
        drop_finished_futures(self)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        doc = params.text_document
        self.ls.unpark(doc.uri, CONTENT_MODIFIED)  # a re-open without a close replaces the text
        self.ls.core.open(doc.uri, doc.text, doc.version, doc.language_id)
        self.ls.schedule_diagnostics(doc.uri)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        ls = self.ls
        uri = params.text_document.uri
        changes = [
            (change.text, ChangeRange(Position(change.range.start.line, change.range.start.character),
                                      Position(change.range.end.line, change.range.end.character)))
            if isinstance(change, lsp.TextDocumentContentChangePartial) else (change.text, None)
            for change in params.content_changes
        ]
        if ls.core.change(uri, params.text_document.version, changes) is None:
            return
        ls.unpark(uri, CONTENT_MODIFIED)
        ls.schedule_diagnostics(uri)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        self.ls.core.close(params.text_document.uri)
        self.ls.unpark(params.text_document.uri, None)
        self.ls.analysis_progress.end(params.text_document.uri)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class DockerfileLanguageServer(FeatureHost):
    def __init__(self) -> None:
        super().__init__(
            "dockerfile-refactor-ls",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=DockerfileProtocol,
        )
        self.core = self._own_core(Core())
        # Whether the core came from the early phase, which applied initialize's params already.
        self.adopted_core = False
        converter(self.protocol).register_structure_hook(RawRequest, lambda obj, cls: cls(**obj))
        # The analysis thread (the early phase's, handed over with its core, else our own).
        self.analyser = self._own_analyser(Analyser(self.core))
        self._parked: dict[str, list[Parked]] = {}
        self.whole_document_results = {}
        # The whole-document methods the client has asked for: built for every version of a big
        # document in the analysis thread, so that the next request finds its result ready.
        self._wanted_results: set[str] = set()
        # The results the analysis thread built for one text (method, settings generation): the
        # loop may not have kept the first ones yet when the later ones are built.
        self._built_in_thread: list[Any] = [None, set()]
        self._findings_waiters: dict[str, list[asyncio.Future[None]]] = {}
        # A long rules run in the client's status bar ($/progress).
        self.analysis_progress = AnalysisProgress(self)
        self.supports_configuration = False
        self.snippet_support = False
        self.versioned_edits = False
        # Clients whose workspace edits may create files (resourceOperations has "create"): only they
        # get actions that add a file, such as addDockerignore.
        self.create_files = False
        # Clients that resolve code actions lazily get titles first and edits on codeAction/resolve.
        self.resolve_code_action_edits = False
        # Clients that show disabled code actions (LSP 3.16 disabledSupport with literal actions).
        self.disabled_code_actions = False
        self._early_configuration: concurrent.futures.Future[Any] | None = None
        self._background: set[asyncio.Task[None]] = set()
        # What to do when the client's process (initialize's processId) is gone: over stdio the
        # process ends; the TCP and WebSocket transports end that client's session only.
        self.client_gone: Callable[[int], None] = _exit_now
        self._parent_watch: threading.Event | None = None

    def end_session(self) -> None:
        """The client disconnected or sent exit (TCP, WebSocket): stop what runs on its behalf."""
        if self._parent_watch is not None:
            self._parent_watch.set()
        for task in list(self._background):
            task.cancel()
        self.analyser.stop()
        for parked in self._parked.values():
            for p in parked:
                if p.timer is not None:
                    p.timer.cancel()
        self._parked.clear()
        self.core.documents = DocumentStore()
        self.shutdown()  # type: ignore[no-untyped-call]

    def _own_core(self, core: Core) -> Core:
        """Point the core's output at this server's protocol and its notices at this server."""
        core.send = lambda message: send_data(self.protocol, message)
        core.on_diagnose = lambda settings: check_shellcheck_available(self, settings)
        core.schedule = self.schedule_diagnostics
        return core

    # -- diagnostics ------------------------------------------------------------------------------

    def schedule_diagnostics(self, uri: str) -> None:
        """Diagnose ``uri`` in the analysis thread and publish its list if it changed (a list
        already sent for this version, by the early phase or before a setting that changed
        nothing, is not sent again). While the settings are awaited only its model is built."""
        diagnose = self.core.may_diagnose(uri)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a test driving the server directly): right here
            if diagnose:
                self.core.publish(uri, only_if_changed=True)
            return
        self.analyse(uri, loop)

    def analyse(self, uri: str, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Queue an analysis of ``uri``'s newest version unless one is queued already; what it
        finds reaches the loop."""
        self._receive_on(loop or asyncio.get_running_loop())
        self.analyser.analyse(uri)

    def _own_analyser(self, analyser: Analyser) -> Analyser:
        analyser.build_results = self._build_results_if_big
        analyser.build_first_results = self._build_first_results_if_big
        return analyser

    def _receive_on(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand the analysis thread's events to ``loop`` (those it posted before, in the early
        phase or before the loop ran, first)."""
        outbox = self.analyser.outbox
        if outbox.attached:
            return
        handlers: dict[str, Callable[..., None]] = {
            "model": self._model_built,
            "diagnosed": self._diagnosed,
            "publish_current": self._publish_current,
            "head": self._head_built,
            "result": self._result_built,
            "progress": self._rules_progress,
            HANDLED: threading.Event.set,
        }

        def deliver(kind: str, args: tuple[Any, ...]) -> None:
            try:
                loop.call_soon_threadsafe(handlers[kind], *args)
            except RuntimeError:  # the loop is closed: the session is over
                pass

        outbox.deliver_to(deliver)

    def _build_results_if_big(self, state: DocumentState, text: str, model: Dockerfile, post: Post) -> None:
        if len(text) > RESULTS_IN_THREAD_CHARS:
            self._build_results(state, text, model, post)

    def _build_first_results_if_big(self, state: DocumentState, text: str, model: Dockerfile, post: Post) -> None:
        if len(text) > RESULTS_IN_THREAD_CHARS:
            self._build_results(state, text, model, post, FIRST_RESULTS)

    def _build_results(
        self, state: DocumentState, text: str, model: Dockerfile, post: Post, methods: tuple[str, ...] = RESULT_ORDER
    ) -> None:
        """In the analysis thread: the results of the whole-document requests the client makes, as
        JSON text, for this version; each handed to the loop. Stops once the text is not current
        (the run queued for the newer version builds them)."""
        generation = self.core.settings_generation
        wanted = self._wanted_results
        built_text, built = self._built_in_thread
        if built_text is not text:
            built = self._built_in_thread[1] = set()  # (only this thread reads and writes it)
            self._built_in_thread[0] = text
        for method in [m for m in methods if m in wanted]:
            if state.text is not text or self.core.documents.get(state.uri) is not state:
                return
            kept = state.cache.get(result_key(method))
            if (isinstance(kept, tuple) and kept[0] is text and kept[1] == generation) or (method, generation) in built:
                continue
            built.add((method, generation))
            build = self.whole_document_results.get(method)
            if build is None:
                continue
            encoded: EncodedResult | None
            try:
                with collector_paused(len(text)):
                    encoded = encode_result(build(state.uri, model))
            except Exception:
                log.exception("%s failed for %s", method, state.uri)
                encoded = None  # the request builds it on the loop (and reports what fails)
            post("result", state, text, generation, method, encoded)

    def _results_job(self, state: DocumentState, post: Post) -> None:
        """In the analysis thread: the wanted whole-document results of the current model, if any
        (a full run, queued for a newer version, builds them otherwise)."""
        current = state.current_model()
        if current is None or self.core.documents.get(state.uri) is not state:
            return
        self._build_results(state, current[0], current[1], post)

    def _publish_current(self, state: DocumentState, text: str) -> None:
        if shutdown_received(self.protocol):
            return  # stdout may be closed already
        if self.core.documents.get(state.uri) is state and state.text is text and self.core.findings_ready(state):
            self.core.publish(state.uri, only_if_changed=True)

    def _head_built(
        self, state: DocumentState, text: str, generation: int, head: Head, findings: list[Finding] | None
    ) -> None:
        if not shutdown_received(self.protocol):
            self.core.head_built(state, text, generation, head, findings)
            self._answer_parked_from_heads(state)

    def _model_built(self, state: DocumentState, text: str, model: Dockerfile) -> None:
        if self.core.documents.get(state.uri) is state and state.install_model(text, model):
            self._release_parked(state.uri)

    def _result_built(self, state: DocumentState, text: str, generation: int, method: str, encoded: EncodedResult | None) -> None:
        if self.core.documents.get(state.uri) is not state or state.text is not text:
            return  # a newer version (or closed): its own run builds it
        if generation != self.core.settings_generation:
            self.analyse(state.uri)  # built under older settings (maxItemsComputed): again
            return
        state.cache[result_key(method)] = (text, generation, encoded)
        self._release_parked(state.uri)

    def _rules_progress(self, state: DocumentState, text: str, percentage: int | None) -> None:
        if shutdown_received(self.protocol):
            return
        if percentage is None or self.core.documents.get(state.uri) is not state:
            self.analysis_progress.end(state.uri)
        else:
            self.analysis_progress.update(state.uri, percentage)

    def _diagnosed(self, state: DocumentState, text: str, generation: int, settings: Settings, findings: list[Finding]) -> None:
        if shutdown_received(self.protocol):
            return  # finished after `shutdown`: stdout may be closed already
        core = self.core
        if core.install_findings(state, text, generation, settings, findings):
            core.publish(state.uri, only_if_changed=True)
            self._release_parked(state.uri)
            for future in self._findings_waiters.pop(state.uri, []):
                if not future.done():
                    future.set_result(None)
        elif core.documents.get(state.uri) is state and core.settings_ready:
            self.analyse(state.uri)  # stale: make sure a run for the newest version is queued

    # -- requests on documents still being analysed -----------------------------------------------

    def park(self, message: Any, uri: str, method: str) -> bool:
        """Hold ``message`` if its document's model (or findings) is not built yet; whether it was."""
        state = self.core.documents.get(uri)
        if state is None or not state.background or len(state.text) <= INLINE_MODEL_CHARS or method in UNPARKED_METHODS:
            return False
        core = self.core
        findings = method in FINDINGS_METHODS and core.settings_ready
        result = method if method in self.whole_document_results and len(state.text) > RESULTS_IN_THREAD_CHARS else None
        if result is not None:
            self._wanted_results.add(result)
        if self._ready(state, findings, result):
            return False
        if not state.model_ready and self._answer_from_head(message, state, method):
            return True
        loop = asyncio.get_running_loop()
        parked = Parked(message, uri, state.text, findings, result)
        parked.timer = loop.call_later(PARK_SECONDS if result is None else HOLD_SECONDS, self._expire, parked)
        self._parked.setdefault(uri, []).append(parked)
        if result is not None and state.model_ready:
            # Only the result is missing (a kind not asked for before): no need to run the rules.
            self._receive_on(loop)
            self.analyser.submit(lambda post: self._results_job(state, post))  # between two rules, if any
        else:
            self.analyse(uri, loop)  # the run builds the wanted results right after the model
        return True

    def _answer_parked_from_heads(self, state: DocumentState) -> None:
        """A head came (the edited lines' one, mostly, just after the request about them was
        parked): answer from it what it can answer."""
        parked = self._parked.get(state.uri)
        if not parked or state.model_ready or self.core.documents.get(state.uri) is not state:
            return
        answered = []
        for p in parked:
            if p.text is state.text and self._answer_from_head(
                p.message, state, getattr(p.message, "method", "")
            ):
                answered.append(p)
                if p.timer is not None:
                    p.timer.cancel()
        if answered:
            self._parked[state.uri] = [p for p in parked if p not in answered]

    def _answer_from_head(self, message: Any, state: DocumentState, method: str) -> bool:
        """Answer a request about the document's first lines, or the lines just edited, from
        their own model (:mod:`.head`) while the whole document's is being built; whether it was
        answered."""
        if method not in HEAD_REQUESTS:
            return False
        return any(
            head is not None and head.valid_for(state.text) and self._answer_from(head, message, method)
            for head in (state.edit_head, state.head)
        )

    def _answer_from(self, head: Head, message: Any, method: str) -> bool:
        """Answer ``message`` from ``head`` if it is about a part the head answers as the whole
        document would; whether it was."""
        params = getattr(message, "params", None)
        rng = getattr(params, "range", None)
        first, last = (rng.start, rng.end) if rng is not None else (getattr(params, "position", None),) * 2
        if not isinstance(first, lsp.Position) or not isinstance(last, lsp.Position):
            return False
        if max(first.line, last.line) > head.answerable_line:
            return False  # past the head (and the offset would be clamped to its end)
        lines = head.state.lines
        if not head.serves(method, lines.offset(engine_position(first)), lines.offset(engine_position(last))):
            return False
        with self.core.documents.serving(head.state):
            cast(DockerfileProtocol, self.protocol).dispatch(message)
        return True

    def _ready(self, state: DocumentState, findings: bool, result: str | None) -> bool:
        """Whether a request needing the model (and the findings, and a whole-document result) of
        the document's current version can be handled now."""
        if not state.model_ready or (findings and not self.core.findings_ready(state)):
            return False
        if result is None:
            return True
        kept = state.cache.get(result_key(result))
        return isinstance(kept, tuple) and kept[0] is state.text and kept[1] == self.core.settings_generation

    def _release_parked(self, uri: str) -> None:
        parked = self._parked.get(uri)
        state = self.core.documents.get(uri)
        if not parked or state is None:
            return
        ready = [p for p in parked if self._ready(state, p.findings, p.result)]
        if not ready:
            return
        self._parked[uri] = [p for p in parked if p not in ready]
        for p in ready:
            if p.timer is not None:
                p.timer.cancel()
            cast(DockerfileProtocol, self.protocol).dispatch(p.message)

    def _expire(self, parked: Parked) -> None:
        waiting = self._parked.get(parked.uri)
        if not waiting or parked not in waiting:
            return
        waiting.remove(parked)
        state = self.core.documents.get(parked.uri)
        size = f"{len(state.text):,} characters" if state is not None else "closed"
        cast(DockerfileProtocol, self.protocol).answer_error(
            parked.message.id, SERVER_CANCELLED, f"the document is still being analysed ({size}); ask again"
        )

    def unpark(self, uri: str, code: int | None) -> None:
        """The document changed (``code`` ContentModified) or closed (None: the handlers answer for
        a closed document): answer what was held for it."""
        for p in self._parked.pop(uri, []):
            if p.timer is not None:
                p.timer.cancel()
            if code is None:
                cast(DockerfileProtocol, self.protocol).dispatch(p.message)
            else:
                cast(DockerfileProtocol, self.protocol).answer_error(p.message.id, code, "the document changed; ask again")
        for future in self._findings_waiters.pop(uri, []) if code is None else []:
            if not future.done():
                future.set_result(None)

    async def wait_findings(self, uri: str) -> DocumentState | None:
        """The document once the findings of its then current version are computed (in the
        analysis thread; the loop serves other requests meanwhile). None if it was closed."""
        while True:
            state = self.core.documents.get(uri)
            if state is None or not state.background or not self.core.settings_ready or self.core.findings_ready(state):
                return state
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._findings_waiters.setdefault(uri, []).append(future)
            self.analyse(uri)
            await future

    def run_shellcheck_in_background(self, loop: asyncio.AbstractEventLoop) -> None:
        """ShellCheck runs in a worker thread; when it has results, every document is diagnosed
        again (unchanged rules answer from their caches) and published if its list changed. The
        same happens once SecretsInCode's detector, built in another thread, is ready."""
        from .rules.own import secrets_in_code, shellcheck

        def ready() -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.shellcheck_results_arrived)

        shellcheck.BACKGROUND.enable(ready)
        if shellcheck.BACKGROUND.generation:
            ready()  # results that came in before the server took over (fast_start)
        def detector_ready() -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.secrets_detector_arrived)

        def open_texts() -> list[str]:  # the core of the moment (adopt_early_start replaces it)
            return self.core.diagnosable_texts()

        secrets_in_code.LOADER.start(detector_ready, open_texts)

    def shellcheck_results_arrived(self) -> None:
        """Diagnose every document again; publish only those whose list changed."""
        if shutdown_received(self.protocol):
            return  # the worker finished after `shutdown`: stdout may be closed already
        self.core.publish_changed()

    def secrets_detector_arrived(self) -> None:
        """SecretsInCode can run now: diagnose every document again and publish only the lists that
        changed (most files hold no secret); before the settings are known, once they are."""
        if shutdown_received(self.protocol):
            return  # built after `shutdown`: stdout may be closed already
        self.core.publish_changed()

    def republish_all(self) -> None:
        self.core.settings_generation += 1
        for state in self.core.documents.all():
            self.schedule_diagnostics(state.uri)
        if self.core.pulled_uris:
            self.refresh_pulled_diagnostics()

    def refresh_pulled_diagnostics(self) -> None:
        """Ask a pulling client to pull again (settings changed), if it supports being asked."""
        ws = self.client_capabilities.workspace
        if ws is not None and ws.diagnostics is not None and ws.diagnostics.refresh_support:
            self.protocol.send_request(lsp.WORKSPACE_DIAGNOSTIC_REFRESH, None)

    def settings_arrived(self) -> None:
        for state in self.core.documents.all():  # documents the early phase diagnosed are not diagnosed again
            check_shellcheck_available(self, self.core.config.inputs_for(state.uri)[0])
        for uri in self.core.settings_arrived():
            self.schedule_diagnostics(uri)
        if self.core.pulled_uris:
            # A client that pulled before its settings arrived got findings under the defaults: a new
            # generation makes its result ids stale, and the refresh asks it to pull again.
            self.core.settings_generation += 1
            self.refresh_pulled_diagnostics()

    def adopt_early_start(self, early: EarlyStart) -> None:
        """Go on with the early phase's core (documents, settings, what was published), and with its
        workspace/configuration request if the client has not answered it yet."""
        if early.analyser is not None:
            # Its analysis thread may be publishing to stdout itself: wait until it is done, and
            # keep what it finds from now on for the loop (_receive_on).
            early.analyser.outbox.hold()
        if early.core is not None:
            self.core = self._own_core(early.core)
            self.adopted_core = True
            # Its analysis thread too, with what it queued or is running (events it posts wait
            # in its outbox until the loop receives them).
            self.analyser = self._own_analyser(early.analyser or Analyser(self.core))
            # Held when a request ended the early phase, for pygls' import (which is done).
            self.analyser.resume_rules()
            self.analyser.release_models()
        if early.configuration_asked:
            # The first refresh_configuration waits for this answer instead of asking again.
            future: concurrent.futures.Future[Any] = concurrent.futures.Future()
            if early.configuration_answered:
                future.set_result(early.configuration)
            else:
                await_early_response(self.protocol, EARLY_CONFIGURATION_ID, lsp.WORKSPACE_CONFIGURATION, future)
            self._early_configuration = future

    async def refresh_configuration(self) -> None:
        if not self.supports_configuration:
            self.settings_arrived()
            return
        early, self._early_configuration = self._early_configuration, None
        request: asyncio.Future[Any]
        if early is not None:
            request = asyncio.wrap_future(early)
        else:
            request = asyncio.ensure_future(
                self.workspace_configuration_async(
                    lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section=CONFIG_SECTION)])
                )
            )
        try:
            # shield: a timeout must not cancel the request itself (pygls would then log an
            # InvalidStateError for the late answer, and the answer would be lost).
            result = await asyncio.wait_for(asyncio.shield(request), timeout=3.0)
        except TimeoutError:
            log.info("workspace/configuration not answered within 3 s; defaults until it is")
            self.settings_arrived()
            try:
                result = await request
            except Exception as exc:
                log.info("workspace/configuration failed: %s", exc)
                return
        except Exception as exc:  # the client may not answer; keep what we have
            log.info("workspace/configuration failed: %s", exc)
            self.settings_arrived()
            return
        changed = bool(result) and isinstance(result[0], dict) and self.core.set_client_settings(result[0])
        if not self.core.settings_ready:
            self.settings_arrived()
        elif changed:  # the documents were diagnosed under other settings (the defaults, on a timeout)
            self.republish_all()


def create_server() -> DockerfileLanguageServer:
    ls = DockerfileLanguageServer()

    @ls.feature(lsp.INITIALIZE)
    def on_initialize(params: lsp.InitializeParams) -> None:
        caps = params.capabilities
        ls.supports_configuration = bool(caps.workspace and caps.workspace.configuration)
        comp = caps.text_document.completion if caps.text_document else None
        ls.snippet_support = bool(comp and comp.completion_item and comp.completion_item.snippet_support)
        we = caps.workspace.workspace_edit if caps.workspace else None
        ls.versioned_edits = bool(we and we.document_changes)
        ls.create_files = bool(
            ls.versioned_edits and we and lsp.ResourceOperationKind.Create in (we.resource_operations or [])
        )
        ca = caps.text_document.code_action if caps.text_document else None
        ls.resolve_code_action_edits = bool(
            ca and ca.resolve_support and "edit" in (ca.resolve_support.properties or []) and ca.data_support
        )
        ls.disabled_code_actions = bool(ca and ca.code_action_literal_support and ca.disabled_support)
        if not ls.adopted_core:  # the early phase gave its core these same params
            encoding = ls.protocol.workspace.position_encoding
            ls.core.initialize(
                str(getattr(encoding, "value", encoding)),
                (folder.uri for folder in params.workspace_folders or []),
                params.root_uri,
                params.root_path,
                params.initialization_options,
                ls.supports_configuration,
            )
        if params.process_id:
            ls._parent_watch = watch_parent(params.process_id, ls.client_gone)

    @ls.feature(lsp.INITIALIZED)
    def on_initialized(params: lsp.InitializedParams) -> None:
        ls.run_shellcheck_in_background(asyncio.get_running_loop())
        # Documents the early phase opened: their models are built in the analysis thread now
        # (one it is analysing already, too large to diagnose inline, keeps its queued run), and
        # what that thread found meanwhile reaches the loop.
        for state in ls.core.documents.all():
            ls.analyse(state.uri)
        # In the background: an exit while the client still owes the answer would otherwise
        # cancel this handler, and pygls logs a cancelled handler as a crash.
        task = asyncio.ensure_future(ls.refresh_configuration())
        ls._background.add(task)
        task.add_done_callback(ls._background.discard)

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_config_change(params: lsp.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and CONFIG_SECTION in settings:
            if ls.core.set_client_settings(settings[CONFIG_SECTION]):
                ls.republish_all()
        else:
            await ls.refresh_configuration()

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def on_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.core.config.forget_files()
        ls.republish_all()

    from . import features

    for info in pkgutil.iter_modules(features.__path__):
        module = importlib.import_module(f"{features.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(ls)
    return ls


def _exit_now(pid: int) -> None:
    log.info("parent process %s is gone; exiting", pid)
    sys.stderr.flush()
    os._exit(0)


def watch_parent(pid: int, gone: Callable[[int], None] = _exit_now) -> threading.Event:
    """Call ``gone(pid)`` (from a thread) once the editor is gone (LSP initialize ``processId``).

    Setting the returned event stops the watch.
    """
    stop = threading.Event()

    def alive() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        except OSError:
            return False
        # kill(pid, 0) succeeds on a zombie: a dead editor its own parent has not reaped yet.
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
            return state not in (b"Z", b"X")
        except (OSError, IndexError):
            return True

    def run() -> None:
        while not stop.wait(0.4):
            if not alive():
                gone(pid)
                return

    if pid != os.getpid():
        # Also when the parent is already gone: the first poll then ends the server.
        threading.Thread(target=run, name="parent-watch", daemon=True).start()
    return stop
