"""textDocument/diagnostic (LSP 3.17 pull diagnostics), beside the push the server always did.

Each report carries a result id naming the document state, its version and the settings
generation (bumped when settings, ``.hadolint.yaml`` or ``.dockerignore`` change); a request
whose ``previousResultId`` still names them is answered ``unchanged`` without computing anything.

A client that pulls for a document stops getting pushed diagnostics for it (once it pulls, the
pushed list is cleared so the two never show twice); clients that never pull keep getting
``publishDiagnostics`` as before. When settings change, pulling clients that support it are asked
to pull again (``workspace/diagnostic/refresh``).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import diagnostic
from ..wire import publish_diagnostics_message

if TYPE_CHECKING:
    from ..documents import DocumentState
    from .host import FeatureHost

IDENTIFIER = "dockerfile-refactor-ls"
# A pull that arrives before the client answered workspace/configuration waits this long for its
# settings: answering under the defaults would show findings the user turned off, and not every
# client re-pulls when asked (workspace/diagnostic/refresh).
SETTINGS_WAIT_SECONDS = 3.0
OPTIONS = lsp.DiagnosticOptions(
    inter_file_dependencies=False, workspace_diagnostics=False, identifier=IDENTIFIER
)


def result_id(ls: FeatureHost, state: DocumentState) -> str:
    return f"{id(state):x}.{state.version}.{ls.core.settings_generation}"


def register(ls: FeatureHost) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, OPTIONS)
    async def on_diagnostic(params: lsp.DocumentDiagnosticParams) -> lsp.DocumentDiagnosticReport:
        deadline = time.monotonic() + SETTINGS_WAIT_SECONDS
        while not ls.core.settings_ready and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        uri = params.text_document.uri
        state = ls.core.documents.get(uri)
        if state is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        if uri not in ls.core.pulled_uris:
            ls.core.pulled_uris.add(uri)
            # Whatever was pushed for this document is replaced by the pulled report.
            ls.core.send(publish_diagnostics_message(uri, None, []))
        rid = result_id(ls, state)
        if params.previous_result_id == rid:
            return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
        # The rules run in the server's analysis thread; other requests are answered meanwhile.
        ready = await ls.wait_findings(uri)
        if ready is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        state = ready
        rid = result_id(ls, state)
        doc = state.model
        items = [diagnostic(doc, f) for f in ls.core.findings(state)]
        return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)
