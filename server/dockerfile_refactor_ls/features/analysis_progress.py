"""Work-done progress (``window/workDoneProgress/create``, ``$/progress``) for long rules runs.

The analysis thread posts how far a document's rules run is once it has lasted a second
(``analysis_thread.RulesProgress``); this shows it in the client's status bar, as VS Code shows a
language server's indexing: "Checking Dockerfile — 40%". Only for clients that declare
``window.workDoneProgress``; a run that ends before the client has answered the create request
shows nothing. One token per run: a later run of the same document makes a new one.
"""

from __future__ import annotations

import itertools
import logging
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)

TITLE = "Checking Dockerfile"
_TOKENS = itertools.count(1)


@dataclass
class _Run:
    token: str
    name: str
    percentage: int
    created: bool = False
    ended: bool = False


def _display_name(uri: str) -> str:
    parsed = urlparse(uri)
    return posixpath.basename(unquote(parsed.path)) or uri


class AnalysisProgress:
    """The progress shown per document; every method runs on the event loop."""

    def __init__(self, server: LanguageServer) -> None:
        self._host = server
        self._runs: dict[str, _Run] = {}

    def _supported(self) -> bool:
        window = self._host.client_capabilities.window
        return bool(window is not None and window.work_done_progress)

    def update(self, uri: str, percentage: int) -> None:
        """The rules run of ``uri`` is ``percentage`` done: begin showing it, or report."""
        run = self._runs.get(uri)
        if run is None:
            if not self._supported():
                return
            run = self._runs[uri] = _Run(f"dockerfile-refactor-ls/rules/{next(_TOKENS)}", _display_name(uri), percentage)

            def created(_result: object, run: _Run = run) -> None:
                run.created = True
                if not run.ended:
                    self._send(run, lsp.WorkDoneProgressBegin(
                        title=TITLE, message=run.name, percentage=run.percentage, cancellable=False))

            try:
                self._host.work_done_progress.create(run.token, callback=created)
            except Exception:  # never worth failing an analysis over
                log.exception("window/workDoneProgress/create failed")
                self._runs.pop(uri, None)
            return
        run.percentage = max(run.percentage, percentage)
        if run.created and not run.ended:
            self._send(run, lsp.WorkDoneProgressReport(message=run.name, percentage=run.percentage))

    def end(self, uri: str) -> None:
        """The run of ``uri`` is over (its findings are in, or it was closed)."""
        run = self._runs.pop(uri, None)
        if run is None or run.ended:
            return
        run.ended = True
        if run.created:  # otherwise begin was never sent, and the client shows nothing
            self._send(run, lsp.WorkDoneProgressEnd(message=run.name))

    def _send(self, run: _Run, value: lsp.WorkDoneProgressBegin | lsp.WorkDoneProgressReport | lsp.WorkDoneProgressEnd) -> None:
        progress = self._host.work_done_progress
        try:
            if isinstance(value, lsp.WorkDoneProgressBegin):
                progress.begin(run.token, value)
            elif isinstance(value, lsp.WorkDoneProgressReport):
                progress.report(run.token, value)
            else:
                progress.end(run.token, value)
                progress.tokens.pop(run.token, None)  # pygls keeps a future per token otherwise
        except Exception:
            log.exception("$/progress failed")
