"""What a feature module sees of the server: pygls' ``LanguageServer`` and the core beneath it.

Every feature's ``register(ls)`` takes a :class:`FeatureHost`. The server class derives from it, so
features depend on this module, not on the server above them (tests/test_import_graph.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pygls.lsp.server import LanguageServer

from ..core import Core
from ..documents import DocumentState, collector_paused
from ..engine.model import Dockerfile
from ..wire import EncodedResult, RawObject, RawResult

log = logging.getLogger(__name__)

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


def result_key(method: str) -> str:
    """Where a document's per-version ``cache`` keeps the result of a whole-document request:
    ``(text, settings generation, result)``, the result an :class:`EncodedResult` when the analysis
    thread built it (None when it failed there)."""
    return "result:" + method


__all__ = ["EncodedResult", "FeatureHost", "WholeDocumentBuilder", "result_key"]
