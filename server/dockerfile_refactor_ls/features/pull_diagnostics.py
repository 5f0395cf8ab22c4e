"""textDocument/diagnostic (LSP 3.17 pull diagnostics), beside the push the server always did.

Each report carries a result id naming the document state, its version, the settings generation
(bumped when settings, ``.hadolint.yaml``, ``.dockerignore``, ShellCheck's results or the secrets
detector change) and a digest of the reported items. A request whose ``previousResultId`` still
names the state, version and generation is answered ``unchanged`` without computing anything; one
from an older generation of the same version is answered ``unchanged`` when the findings, computed
again, are the same items (the detector arriving seconds after the first pull, or a setting that
touches no finding of this file, changes nothing the user sees), ``full`` otherwise.

A client that pulls for a document stops getting pushed diagnostics for it (once it pulls, the
pushed list is cleared so the two never show twice); clients that never pull keep getting
``publishDiagnostics`` as before. When settings change, pulling clients that support it are asked
to pull again (``workspace/diagnostic/refresh``).
"""

from __future__ import annotations

import asyncio
import hashlib
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


def _id_prefix(ls: FeatureHost, state: DocumentState) -> str:
    """A result id without its digest: state, version and settings generation."""
    return f"{id(state):x}.{state.version}.{ls.core.settings_generation}."


def result_id(ls: FeatureHost, state: DocumentState, items: list[lsp.Diagnostic]) -> str:
    # lsprotocol's attrs classes have a field-by-field repr: equal items, equal digests.
    return _id_prefix(ls, state) + hashlib.blake2b(repr(items).encode(), digest_size=8).hexdigest()


def _same_items(previous: str | None, rid: str) -> bool:
    """Whether ``previous`` named the same state, version and items as ``rid``, under whatever
    settings generation."""
    if previous is None:
        return False
    old, new = previous.split("."), rid.split(".")
    return len(old) == 4 and old[:2] == new[:2] and old[3] == new[3]


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
        previous = params.previous_result_id
        if previous is not None and previous.startswith(_id_prefix(ls, state)):
            return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=previous)
        # The rules run in the server's analysis thread; other requests are answered meanwhile.
        ready = await ls.wait_findings(uri)
        if ready is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        state = ready
        doc = state.model
        items = [diagnostic(doc, f) for f in ls.core.findings(state)]
        rid = result_id(ls, state, items)
        if _same_items(previous, rid):
            return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
        return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)
