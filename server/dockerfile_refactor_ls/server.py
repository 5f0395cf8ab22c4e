"""The language server: a thin pygls layer that maps LSP requests to the engine.

Text sync is incremental and handled by our own :mod:`.documents` store (LSP line semantics).
Diagnostics are computed right after a change is applied, with no fixed debounce: the work is
queued behind the messages already waiting, and a queued run for an older version is dropped when a
newer change has arrived. Each feature module in :mod:`.features` registers its own handlers.
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
from typing import Any

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcServerNotInitialized
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from . import __version__
from .documents import ChangeRange, DocumentState, DocumentStore
from .engine.findings import Finding
from .engine.text import Position, PositionEncoding
from .fast_start import EARLY, EARLY_CONFIGURATION_ID, EarlyStart
from .shellcheck_notice import check_shellcheck_available
from .wire import diagnostic_dict, publish_diagnostics_message
from .workspace import CONFIG_SECTION, WorkspaceConfig, client_settings_from_options, workspace_roots

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


class RawResult(list[Any]):
    """A result made of plain JSON values, sent without going through cattrs."""


# A request that structure_message already answered with an error; handle_message skips it.
_ANSWERED = object()


class DockerfileProtocol(LanguageServerProtocol):
    """pygls' protocol with text sync routed to our own document store."""

    _server: DockerfileLanguageServer

    # Methods whose params and results stay plain JSON: a whole-document code action request
    # carries every diagnostic back to us, and structuring them with cattrs dominated its cost.
    RAW_METHODS = frozenset((lsp.TEXT_DOCUMENT_CODE_ACTION,))

    def get_message_type(self, method: str) -> Any:  # type: ignore[override]
        if method in self.RAW_METHODS:
            return RawRequest
        return super().get_message_type(method)

    # The id of an ``initialize`` that fast_start already answered; pygls' own reply is dropped.
    answered_initialize_id: int | str | None = None

    def _send_response(self, msg_id: Any, result: Any | None = None, error: Any | None = None) -> None:
        if msg_id is not None and msg_id == self.answered_initialize_id and error is None:
            self.answered_initialize_id = None
            return
        if error is None and isinstance(result, RawResult):
            # Plain JSON already: skip cattrs (see RAW_METHODS).
            self._send_data({"jsonrpc": "2.0", "id": msg_id, "result": list(result)})
            return
        super()._send_response(msg_id, result, error)

    # -- JSON-RPC hygiene that pygls 2.1 lacks ------------------------------------------------------

    _initialize_seen = False

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            # pygls raises while decoding params, before it knows the request's id, and the request
            # would never be answered: answer it here with InvalidParams.
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], None, exc.to_response_error())
                return _ANSWERED
            raise

    def handle_message(self, message: Any) -> None:
        if message is _ANSWERED:
            return
        method = getattr(message, "method", None)
        msg_id = getattr(message, "id", None)
        is_request = method is not None and msg_id is not None
        if method == lsp.INITIALIZE:
            self._initialize_seen = True
        elif method is not None and method != lsp.EXIT:
            if self._shutdown:
                if is_request:  # pygls drops these silently; the spec asks for InvalidRequest
                    self._send_response(msg_id, None, JsonRpcInvalidRequest("the server is shutting down").to_response_error())
                return
            if not self._initialize_seen:
                if is_request:
                    self._send_response(msg_id, None, JsonRpcServerNotInitialized().to_response_error())
                return  # notifications before initialize are dropped
        super().handle_message(message)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        super()._handle_notification(method_name, params)
        # pygls files every notification's future under a fresh uuid in _request_futures and never
        # removes it (about 600 bytes per keystroke, forever): drop the finished ones.
        futures = self._request_futures
        for key in [k for k, f in futures.items() if f.done()]:
            del futures[key]

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        doc = params.text_document
        self._server.documents.open(doc.uri, doc.text, doc.version, doc.language_id)
        self._server.schedule_diagnostics(doc.uri)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        ls = self._server
        uri = params.text_document.uri
        state = ls.documents.get(uri)
        if state is None:
            log.warning("didChange for a document that is not open: %s", uri)
            return
        version = params.text_document.version
        if version is not None and version < state.version:
            log.warning("didChange for %s goes back from version %s to %s", uri, state.version, version)
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                rng = change.range
                state.apply_change(
                    change.text,
                    ChangeRange(
                        Position(rng.start.line, rng.start.character), Position(rng.end.line, rng.end.character)
                    ),
                )
            else:
                state.apply_change(change.text, None)
        if version is not None:
            state.version = version
        ls.schedule_diagnostics(uri)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        ls = self._server
        uri = params.text_document.uri
        ls.pulled_uris.discard(uri)
        if uri in ls.documents:
            ls.documents.close(uri)
            # Clear what we published so the Problems panel does not keep stale entries.
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


# Key in DocumentState.cache of the last published (version, diagnostics).
PUBLISHED = "published-diagnostics"


class DockerfileLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "dockerfile-refactor-ls",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=DockerfileProtocol,
        )
        self.documents = DocumentStore()
        self.protocol._converter.register_structure_hook(RawRequest, lambda obj, cls: cls(**obj))
        self.config = WorkspaceConfig()
        self._pending: set[str] = set()
        # Documents the client pulls diagnostics for (textDocument/diagnostic): no push for them.
        self.pulled_uris: set[str] = set()
        self.supports_configuration = False
        # Until the client's settings arrive (or it fails to send them) diagnostics wait, so a rule
        # the user turned off never flashes up on open.
        self.settings_ready = True
        self._waiting_for_settings: set[str] = set()
        self.snippet_support = False
        self.versioned_edits = False
        # Clients that resolve code actions lazily get titles first and edits on codeAction/resolve.
        self.resolve_code_action_edits = False
        # Clients that show disabled code actions (LSP 3.16 disabledSupport with literal actions).
        self.disabled_code_actions = False
        self.settings_generation = 0
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
        self._pending.clear()
        self.documents = DocumentStore()
        self.shutdown()  # type: ignore[no-untyped-call]

    # -- settings ---------------------------------------------------------------------------------

    @property
    def client_settings(self) -> Any:
        return self.config.client_settings

    @client_settings.setter
    def client_settings(self, value: Any) -> None:
        self.config.client_settings = value

    # -- diagnostics ------------------------------------------------------------------------------

    def findings(self, state: DocumentState) -> list[Finding]:
        """The findings for the document's current version (computed once per version)."""
        key = (self.settings_generation,)
        if state.findings is None or state.findings_key != key:
            inputs = self.config.inputs_for(state.uri)
            # Findings computed by fast_start before pygls was loaded stand if their inputs do.
            if state.findings is None or state.findings_key != (EARLY, inputs):
                state.findings = self.config.diagnose(state, inputs)
            check_shellcheck_available(self, inputs[0])
            state.findings_key = key
        return state.findings

    def schedule_diagnostics(self, uri: str) -> None:
        if not self.settings_ready:
            self._waiting_for_settings.add(uri)
            return
        if uri in self._pending:
            return  # a run is already queued; it will see the newest text
        self._pending.add(uri)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._pending.discard(uri)
            self.publish_diagnostics(uri)
            return
        loop.call_soon(self._run_scheduled, uri)

    def _run_scheduled(self, uri: str) -> None:
        self._pending.discard(uri)
        self.publish_diagnostics(uri)

    def publish_diagnostics(self, uri: str, only_if_changed: bool = False) -> None:
        state = self.documents.get(uri)
        if state is None or uri in self.pulled_uris:
            return
        try:
            # The document's line index is enough: a file too large for the rules is not parsed here.
            items = [diagnostic_dict(state, f) for f in self.findings(state)]
        except Exception:
            log.exception("diagnostics failed for %s", uri)
            items = []
        early = state.cache.get(EARLY)
        if early is not None:
            if early == (state.version, items):
                return  # fast_start published this very list, and the client still shows it
            del state.cache[EARLY]
        elif only_if_changed and state.cache.get(PUBLISHED) == (state.version, items):
            return
        state.cache[PUBLISHED] = (state.version, items)
        # Sent as a plain JSON-RPC message: going through lsprotocol and cattrs costs more than
        # computing the diagnostics on a large file.
        self.protocol._send_data(publish_diagnostics_message(uri, state.version, items))

    def run_shellcheck_in_background(self, loop: asyncio.AbstractEventLoop) -> None:
        """ShellCheck runs in a worker thread; when it has results, every document is diagnosed
        again (unchanged rules answer from their caches) and published if its list changed."""
        from .rules.own import shellcheck

        def ready() -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.shellcheck_results_arrived)

        shellcheck.BACKGROUND.enable(ready)
        if shellcheck.BACKGROUND.generation:
            ready()  # results that came in before the server took over (fast_start)

    def shellcheck_results_arrived(self) -> None:
        """Diagnose every document again; publish only those whose list changed."""
        self.settings_generation += 1
        for state in self.documents.all():
            state.findings = None  # findings fast_start computed would otherwise be reused
            if self.settings_ready:
                self.publish_diagnostics(state.uri, only_if_changed=True)
            else:
                self._waiting_for_settings.add(state.uri)

    def republish_all(self) -> None:
        self.settings_generation += 1
        for state in self.documents.all():
            self.schedule_diagnostics(state.uri)
        if self.pulled_uris:
            self.refresh_pulled_diagnostics()

    def refresh_pulled_diagnostics(self) -> None:
        """Ask a pulling client to pull again (settings changed), if it supports being asked."""
        ws = self.client_capabilities.workspace
        if ws is not None and ws.diagnostics is not None and ws.diagnostics.refresh_support:
            self.protocol.send_request(lsp.WORKSPACE_DIAGNOSTIC_REFRESH, None)

    def settings_arrived(self) -> None:
        self.settings_ready = True
        for state in self.documents.all():  # documents fast_start diagnosed are not diagnosed again
            check_shellcheck_available(self, self.config.inputs_for(state.uri)[0])
        waiting, self._waiting_for_settings = self._waiting_for_settings, set()
        for uri in waiting:
            self.schedule_diagnostics(uri)
        if self.pulled_uris:
            # A client that pulled before its settings arrived got findings under the defaults: a new
            # generation makes its result ids stale, and the refresh asks it to pull again.
            self.settings_generation += 1
            self.refresh_pulled_diagnostics()

    def adopt_early_start(self, early: EarlyStart) -> None:
        """Take over what fast_start did before pygls was loaded: documents and settings request."""
        if early.documents is not None:
            self.documents = early.documents
            # Those fast_start could not publish yet (the client's settings had not arrived) are
            # published once they do; the others only when a later change makes their list differ.
            self._waiting_for_settings.update(state.uri for state in early.documents.all() if EARLY not in state.cache)
        if early.configuration_asked:
            # The first refresh_configuration waits for this answer instead of asking again.
            future: concurrent.futures.Future[Any] = concurrent.futures.Future()
            if early.configuration_answered:
                future.set_result(early.configuration)
            else:
                self.protocol._request_futures[EARLY_CONFIGURATION_ID] = future
                self.protocol._result_types[EARLY_CONFIGURATION_ID] = self.protocol.get_result_type(
                    lsp.WORKSPACE_CONFIGURATION
                )
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
        if result and isinstance(result[0], dict):
            self.client_settings = result[0]
            self.settings_generation += 1
        if self.settings_ready:
            self.republish_all()
        else:
            self.settings_arrived()


def create_server() -> DockerfileLanguageServer:
    ls = DockerfileLanguageServer()

    @ls.feature(lsp.INITIALIZE)
    def on_initialize(params: lsp.InitializeParams) -> None:
        caps = params.capabilities
        ls.supports_configuration = bool(caps.workspace and caps.workspace.configuration)
        ls.settings_ready = not ls.supports_configuration
        comp = caps.text_document.completion if caps.text_document else None
        ls.snippet_support = bool(comp and comp.completion_item and comp.completion_item.snippet_support)
        we = caps.workspace.workspace_edit if caps.workspace else None
        ls.versioned_edits = bool(we and we.document_changes)
        ca = caps.text_document.code_action if caps.text_document else None
        ls.resolve_code_action_edits = bool(
            ca and ca.resolve_support and "edit" in (ca.resolve_support.properties or []) and ca.data_support
        )
        ls.disabled_code_actions = bool(ca and ca.code_action_literal_support and ca.disabled_support)
        encoding = ls.protocol.workspace.position_encoding
        ls.documents.encoding = PositionEncoding(str(getattr(encoding, "value", encoding)))
        ls.config.roots = workspace_roots(
            (folder.uri for folder in params.workspace_folders or []), params.root_uri, params.root_path
        )
        if params.initialization_options:
            ls.client_settings = client_settings_from_options(params.initialization_options)
        if params.process_id:
            ls._parent_watch = watch_parent(params.process_id, ls.client_gone)

    @ls.feature(lsp.INITIALIZED)
    def on_initialized(params: lsp.InitializedParams) -> None:
        ls.run_shellcheck_in_background(asyncio.get_running_loop())
        # In the background: an exit while the client still owes the answer would otherwise
        # cancel this handler, and pygls logs a cancelled handler as a crash.
        task = asyncio.ensure_future(ls.refresh_configuration())
        ls._background.add(task)
        task.add_done_callback(ls._background.discard)

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_config_change(params: lsp.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and CONFIG_SECTION in settings:
            ls.client_settings = settings[CONFIG_SECTION]
            ls.republish_all()
        else:
            await ls.refresh_configuration()

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def on_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.config.forget_files()
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
