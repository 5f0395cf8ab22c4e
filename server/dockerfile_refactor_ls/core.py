"""The core both LSP front ends drive: open documents, the client's settings, and publishing.

Two adapters feed it. Before pygls is imported, :func:`.fast_start.early_diagnostics` decodes the
client's first messages as plain JSON; afterwards :class:`.server.DockerfileProtocol` does it with
lsprotocol types. Both call the same methods here — :meth:`Core.open`, :meth:`Core.change`,
:meth:`Core.close`, :meth:`Core.publish`, the settings methods — and the core hands every message it
decides to send to ``send``, which each adapter points at its own output. At the hand-over the early
phase passes the core itself to the server: documents, findings, settings and what was last
published go on as they are, so there is one implementation of incremental sync and one of
publishing, and the server never re-sends a list the early phase already sent.

This module imports no pygls and no lsprotocol (the early phase runs before they are loaded).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .documents import ChangeRange, DocumentState, DocumentStore
from .engine.findings import Finding
from .engine.settings import Settings
from .engine.text import PositionEncoding
from .rules.kept import KeptResults
from .wire import diagnostic_dict, publish_diagnostics_message
from .workspace import WorkspaceConfig, client_settings_from_options, workspace_roots

if TYPE_CHECKING:
    from .head import Head

log = logging.getLogger(__name__)

# Key in DocumentState.cache of the last published (version, diagnostics).
PUBLISHED = "published-diagnostics"


def _drop(message: dict[str, Any]) -> None:
    log.debug("no output yet; dropped %s", message.get("method"))


class Core:
    """Documents and settings of one client session, and the decision of what to publish."""

    def __init__(self, send: Callable[[dict[str, Any]], None] = _drop) -> None:
        # Where messages go: the early phase's stdout writer, then the pygls protocol's.
        self.send = send
        self.documents = DocumentStore()
        self.config = WorkspaceConfig()
        # Bumped whenever what a diagnosis reads changes (settings, config files, ShellCheck's
        # results, SecretsInCode's detector): findings are computed once per document version and
        # generation, and pull-diagnostic result ids name it.
        self.settings_generation = 0
        # Until the client's settings arrive (or it fails to send them) diagnostics wait, so a rule
        # the user turned off never flashes up on open.
        self.settings_ready = True
        self.waiting_for_settings: set[str] = set()
        # Documents to diagnose again, publishing only a changed list, once the settings are known.
        self.recheck_after_settings: set[str] = set()
        # Documents the client pulls diagnostics for (textDocument/diagnostic): no push for them.
        self.pulled_uris: set[str] = set()
        # Called with the settings of every diagnosis (the server tells the user once when
        # ShellCheck is on but missing).
        self.on_diagnose: Callable[[Settings], None] | None = None
        # Set by the server: diagnose a document in its analysis thread and publish from there
        # (a re-diagnosis nobody waits for, such as ShellCheck's batches, must not hold up requests).
        # Unset (the early phase), documents are diagnosed and published right here.
        self.schedule: Callable[[str], None] | None = None

    def initialize(
        self,
        encoding: str,
        folder_uris: Iterable[str],
        root_uri: str | None,
        root_path: str | None,
        initialization_options: Any,
        wants_configuration: bool,
    ) -> None:
        """What ``initialize`` tells the core: the position encoding chosen, the workspace roots,
        settings passed as initializationOptions, and whether to wait for workspace/configuration."""
        self.documents.encoding = PositionEncoding(encoding)
        self.config.roots = workspace_roots(folder_uris, root_uri, root_path)
        if initialization_options:
            self.set_client_settings(client_settings_from_options(initialization_options))
        self.settings_ready = not wants_configuration

    # -- text sync ----------------------------------------------------------------------------------

    def open(self, uri: str, text: str, version: int, language_id: str) -> DocumentState:
        return self.documents.open(uri, text, version, language_id)

    def change(
        self, uri: str, version: int | None, changes: Iterable[tuple[str, ChangeRange | None]]
    ) -> DocumentState | None:
        """Apply one didChange's content changes in order (LSP line semantics); None if not open."""
        state = self.documents.get(uri)
        if state is None:
            log.warning("didChange for a document that is not open: %s", uri)
            return None
        if version is not None and version < state.version:
            log.warning("didChange for %s goes back from version %s to %s", uri, state.version, version)
        for text, rng in changes:
            state.apply_change(text, rng)
        if version is not None:
            state.version = version
        return state

    def close(self, uri: str) -> None:
        """Forget the document and clear what was published for it (no stale Problems entries)."""
        self.pulled_uris.discard(uri)
        self.waiting_for_settings.discard(uri)
        self.recheck_after_settings.discard(uri)
        if uri in self.documents:
            self.documents.close(uri)
            self.send(publish_diagnostics_message(uri, None, []))

    # -- diagnostics --------------------------------------------------------------------------------

    def diagnosable_texts(self) -> list[str]:
        """The open documents' texts the rules will read: not those over the size limit (the
        secrets detector's head start scanned a 4 MB file the rules skip, a second full parse
        beside the analysis thread's). Callable from any thread: ``all()`` copies the store in one
        step under the GIL, and a text is an immutable string."""
        config = self.config
        return [state.text for state in self.documents.all() if not config.rules_skipped_for(state.text)]

    def findings_ready(self, state: DocumentState) -> bool:
        """Whether the findings of the document's current version and settings are computed."""
        return state.findings is not None and state.findings_key == (self.settings_generation,)

    def findings(self, state: DocumentState) -> list[Finding]:
        """The findings for the document's current version and settings (computed once for both)."""
        if state.findings is None or not self.findings_ready(state):
            inputs = self.config.inputs_for(state.uri)
            # A document a worker analyses keeps its rule caches for the worker: this (rare)
            # diagnosis on demand starts from none.
            kept = KeptResults() if state.background else state.kept
            state.findings = self.config.diagnose_version(state.uri, state.text, lambda: state.model, inputs, kept)
            state.findings_key = (self.settings_generation,)
            if self.on_diagnose is not None:
                self.on_diagnose(inputs[0])
        return state.findings

    def install_findings(
        self, state: DocumentState, text: str, generation: int, settings: Settings, findings: list[Finding]
    ) -> bool:
        """Keep findings a worker computed for ``text`` under settings generation ``generation``, if
        both are still current (otherwise a newer run is queued); whether they were kept."""
        if self.documents.get(state.uri) is not state or state.text is not text:
            return False
        if generation != self.settings_generation:
            return False
        state.findings = findings
        state.findings_key = (generation,)
        if self.on_diagnose is not None:
            self.on_diagnose(settings)
        return True

    def _publish_later(self, uri: str) -> None:
        if self.schedule is not None:
            self.schedule(uri)
        else:
            self.publish(uri, only_if_changed=True)

    def may_diagnose(self, uri: str) -> bool:
        """Whether ``uri`` may be diagnosed now; while the settings are awaited it waits for them."""
        if not self.settings_ready:
            self.waiting_for_settings.add(uri)
            return False
        return True

    def publish(self, uri: str, only_if_changed: bool = False) -> int | None:
        """Send the document's diagnostics: how many were sent, None when nothing was.

        A list identical to the last one sent for the same version is never sent again when
        ``only_if_changed`` (re-diagnoses nobody asked for: ShellCheck's batches, the hand-over)."""
        state = self.documents.get(uri)
        if state is None or uri in self.pulled_uris:
            return None
        try:
            # The document's line index is enough: a file too large for the rules is not parsed here.
            findings = self.findings(state)
            lines = state.lines_through(max((f.span.end for f in findings), default=0))
            items = [diagnostic_dict(lines, f) for f in findings]
        except Exception:
            log.exception("diagnostics failed for %s", uri)
            items = []
        state.whole_list_sent = True
        if only_if_changed and state.cache.get(PUBLISHED) == (state.version, items):
            return None
        state.cache[PUBLISHED] = (state.version, items)
        self.send(publish_diagnostics_message(uri, state.version, items))
        return len(items)

    def head_built(
        self, state: DocumentState, text: str, generation: int, head: Head, findings: list[Finding] | None
    ) -> int | None:
        """The analysis thread modelled the first lines of ``text`` (:mod:`.head`): kept on the
        document while its text starts with them, and their findings published if any (see
        :meth:`publish_head`); how many were sent."""
        if self.documents.get(state.uri) is not state:
            return None
        if head.valid_for(state.text) and head.after_edit:
            if not state.model_ready:
                state.edit_head = head
        elif head.valid_for(state.text):
            state.head = head
        return None if findings is None else self.publish_head(state, text, generation, findings)

    def publish_head(self, state: DocumentState, text: str, generation: int, findings: list[Finding]) -> int | None:
        """Send the findings of a long file's first lines (``WorkspaceConfig.diagnose_head``) while
        its whole diagnosis runs: only while ``text`` and the settings are current and the client
        has never had a whole list for the document (it would lose the rest of that list). How
        many were sent, None when nothing was."""
        uri = state.uri
        if self.documents.get(uri) is not state or state.text is not text or generation != self.settings_generation:
            return None
        if uri in self.pulled_uris or state.whole_list_sent or self.findings_ready(state):
            return None
        lines = state.lines_through(max((f.span.end for f in findings), default=0))
        items = [diagnostic_dict(lines, f) for f in findings]
        state.cache[PUBLISHED] = (state.version, items)
        self.send(publish_diagnostics_message(uri, state.version, items))
        return len(items)

    def publish_changed(self) -> None:
        """Diagnose every open document again (a new generation) and publish the lists that changed;
        before the settings are known, they are checked the same way once they are."""
        self.settings_generation += 1
        if self.settings_ready:
            for state in self.documents.all():
                self._publish_later(state.uri)
        else:
            self.recheck_after_settings.update(state.uri for state in self.documents.all())

    # -- settings -----------------------------------------------------------------------------------

    @property
    def client_settings(self) -> Any:
        return self.config.client_settings

    def set_client_settings(self, value: Any) -> bool:
        """New settings from the client (pushed, pulled, or initializationOptions); whether they differ
        from those in use (the same again — the hand-over, a client re-sending — changes nothing)."""
        if value == self.config.client_settings:
            return False
        self.config.client_settings = value
        self.settings_generation += 1
        return True

    def settings_arrived(self) -> list[str]:
        """The client's settings are known (or will not come): the documents waiting to be diagnosed,
        for the caller to schedule. Those only to be re-checked are published here if changed."""
        self.settings_ready = True
        waiting, self.waiting_for_settings = self.waiting_for_settings, set()
        recheck, self.recheck_after_settings = self.recheck_after_settings - waiting, set()
        for uri in recheck:
            self._publish_later(uri)
        return sorted(waiting)
