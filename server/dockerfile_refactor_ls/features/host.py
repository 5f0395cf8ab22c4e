"""What a feature module sees of the server: pygls' ``LanguageServer`` and the core beneath it.

Every feature's ``register(ls)`` takes a :class:`FeatureHost`. The server class derives from it, so
features depend on this module, not on the server above them (tests/test_import_graph.py).
"""

from __future__ import annotations

from pygls.lsp.server import LanguageServer

from ..core import Core
from ..documents import DocumentState


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

    async def wait_findings(self, uri: str) -> DocumentState | None:
        """The document once the findings of its current version are computed (the server computes
        them in its analysis thread; here, without one, they are computed on first use)."""
        return self.core.documents.get(uri)
