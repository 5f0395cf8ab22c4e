"""What a document's diagnostics depend on besides its text: the client's settings, the workspace
roots, and the `.hadolint.yaml` / `.dockerignore` (or `<Dockerfile>.dockerignore`) files beside the
document.

Free of pygls and lsprotocol, so :mod:`.fast_start` computes exactly what the server would before
those are imported.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .documents import DocumentState, collector_paused
from .engine.dockerignore import dockerignore_names
from .engine.findings import Finding, Severity
from .engine.model import Dockerfile
from .engine.settings import Settings
from .engine.text import Span
from .head import Head
from .rules.analysis import diagnose, diagnose_head
from .rules.kept import KeptResults

log = logging.getLogger(__name__)

CONFIG_SECTION = "dockerfileRefactor"
# A file larger than this is parsed (so completion and navigation work) but gets no rule run; a
# 10 MB generated file in an editor should not cost seconds per keystroke. It gets one diagnostic
# that says so instead (RULES_SKIPPED). The setting below (in CONFIG_SECTION) changes the limit.
MAX_DIAGNOSED_CHARS = 4_000_000
MAX_CHARS_SETTING = "maxDiagnosedCharacters"
RULES_SKIPPED = "rules-skipped"
# The most outline symbols, code lenses, document links, and folding ranges (for a client that
# gives no rangeLimit) sent for one document: a file of 50,000 stages has 200,000 symbols, tens of
# MB of JSON no editor shows usefully. VS Code's JSON, YAML and XML servers cut theirs at 5,000
# (json.maxItemsComputed and the like), and VS Code folds at most 5,000 regions.
MAX_ITEMS_COMPUTED = 5000
MAX_ITEMS_SETTING = "maxItemsComputed"
# Everything besides the text that a document's findings depend on: the settings that apply to it
# and the `.dockerignore` beside it. Compared by value to tell whether findings are still valid.
DiagnosisInputs = tuple[Settings, str | None]


def rules_skipped(uri: str, text: str, limit: int) -> Finding:
    """The one diagnostic of a file too large for the rules, on its first line (no parse needed)."""
    log.warning(
        "%s: rules skipped: file larger than %s characters (%s); set %s.%s to raise the limit",
        uri,
        f"{limit:,}",
        f"{len(text):,}",
        CONFIG_SECTION,
        MAX_CHARS_SETTING,
    )
    first_line = text.find("\n")
    end = len(text) if first_line < 0 else first_line
    return Finding(
        RULES_SKIPPED,
        f"Rules skipped: the file has {len(text):,} characters, more than {limit:,}; "
        f"set {CONFIG_SECTION}.{MAX_CHARS_SETTING} to raise the limit",
        Span(0, min(end, 1000)),
        Severity.WARNING,
    )


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return Path(path)


def workspace_roots(folder_uris: Iterable[str], root_uri: str | None, root_path: str | None) -> list[Path]:
    """The folders of ``initialize``: workspaceFolders, else rootUri, else the deprecated rootPath."""
    roots = [p for p in map(uri_to_path, folder_uris) if p is not None]
    if not roots and root_uri:
        p = uri_to_path(root_uri)
        if p is not None:
            roots.append(p)
    elif not roots and root_path:
        roots.append(Path(root_path))
    return [r.resolve() for r in roots]


def client_settings_from_options(options: Any) -> Any:
    """Settings passed in ``initializationOptions`` (under our section, or as the whole object)."""
    if isinstance(options, dict):
        return options.get(CONFIG_SECTION, options)
    return None


class WorkspaceConfig:
    """Client settings plus the configuration files found next to documents (read with a cache)."""

    def __init__(self) -> None:
        self.client_settings: Any = None
        self._roots: list[Path] = []
        self._file_cache: dict[Path, tuple[float, str | None]] = {}
        # uri -> (its resolved folder, the workspace root holding it): resolving walks every path
        # component with lstat, which was a sixth of a keystroke's CPU on a small file.
        self._folders: dict[str, tuple[Path, Path] | None] = {}

    @property
    def roots(self) -> list[Path]:
        return self._roots

    @roots.setter
    def roots(self, roots: list[Path]) -> None:
        self._roots = roots
        self._folders.clear()

    def forget_files(self) -> None:
        self._file_cache.clear()
        self._folders.clear()

    def settings_for(self, uri: str) -> Settings:
        settings = Settings.from_client(self.client_settings)
        hadolint = self._workspace_file(uri, (".hadolint.yaml", ".hadolint.yml"), walk_up=True)
        if hadolint is not None:
            settings = settings.with_hadolint_yaml(hadolint)
        return settings

    def dockerignore_for(self, uri: str) -> str | None:
        """The ignore file BuildKit would read: ``<Dockerfile name>.dockerignore`` beside the
        Dockerfile, else the ``.dockerignore`` of its folder (taken as the build context)."""
        return self._workspace_file(uri, dockerignore_names(uri_to_path(uri)), walk_up=False)

    def inputs_for(self, uri: str) -> DiagnosisInputs:
        return self.settings_for(uri), self.dockerignore_for(uri)

    @property
    def max_diagnosed_chars(self) -> int:
        """The size above which no rule runs: the client's setting, else MAX_DIAGNOSED_CHARS."""
        raw = self.client_settings.get(MAX_CHARS_SETTING) if isinstance(self.client_settings, dict) else None
        if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
            return raw
        return MAX_DIAGNOSED_CHARS

    @property
    def max_items_computed(self) -> int:
        """The most items of a whole-document list (see MAX_ITEMS_COMPUTED): the client's setting,
        else the default."""
        raw = self.client_settings.get(MAX_ITEMS_SETTING) if isinstance(self.client_settings, dict) else None
        if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
            return raw
        return MAX_ITEMS_COMPUTED

    def diagnose(self, state: DocumentState, inputs: DiagnosisInputs) -> list[Finding]:
        """Diagnose a document with the settings and files that apply to it."""
        return self.diagnose_version(state.uri, state.text, lambda: state.model, inputs, state.kept)

    def rules_skipped_for(self, text: str) -> bool:
        """Whether a text this long gets the rules-skipped notice instead of the rules."""
        return len(text) > self.max_diagnosed_chars

    def diagnose_version(
        self,
        uri: str,
        text: str,
        model: Callable[[], Dockerfile],
        inputs: DiagnosisInputs,
        kept: KeptResults,
        progress: Callable[[int, int], None] | None = None,
        between_rules: Callable[[], None] | None = None,
    ) -> list[Finding]:
        """Diagnose one version of a document (``model`` builds or returns its model; it is not
        called for a file too large for the rules). Runs in the server's analysis thread too."""
        limit = self.max_diagnosed_chars
        if len(text) > limit:
            return [rules_skipped(uri, text, limit)]
        with collector_paused(len(text)):
            return diagnose(model(), *inputs, kept=kept, progress=progress, between_rules=between_rules)

    def diagnose_head(self, text: str, head: Head, inputs: DiagnosisInputs) -> list[Finding] | None:
        """The findings of the first lines of a long file (its ``head``), to publish before the
        whole file's; None for a file whose rules are skipped, or when no head finding can be
        told apart (see ``rules.analysis.diagnose_head``)."""
        if self.rules_skipped_for(text):
            return None
        return diagnose_head(head.model, text[len(head.text) :], *inputs)

    def _workspace_file(self, uri: str, names: tuple[str, ...], walk_up: bool) -> str | None:
        """Read a configuration file next to (or above) the document, inside the workspace only."""
        if uri in self._folders:
            folder = self._folders[uri]
        else:
            folder = self._folders[uri] = self._folder_in_workspace(uri)
        if folder is None:
            return None
        current, root = folder
        while True:
            for name in names:
                candidate = current / name
                content = self._read_inside(candidate, root)
                if content is not None:
                    return content
            if not walk_up or current == root:
                return None
            current = current.parent

    def _folder_in_workspace(self, uri: str) -> tuple[Path, Path] | None:
        path = uri_to_path(uri)
        if path is None or not self._roots:
            return None
        try:
            directory = path.parent.resolve()
        except OSError:
            return None
        root = next((r for r in self._roots if directory == r or r in directory.parents), None)
        return None if root is None else (directory, root)

    def _read_inside(self, candidate: Path, root: Path) -> str | None:
        try:
            if not candidate.is_file():
                return None
            real = candidate.resolve()
            if real != root and root not in real.parents:
                log.warning("not following %s out of the workspace", candidate)
                return None
            stat = real.stat()
            if stat.st_size > 1_000_000:
                return None
            cached = self._file_cache.get(real)
            if cached is not None and cached[0] == stat.st_mtime:
                return cached[1]
            content = real.read_text(encoding="utf-8", errors="replace")
            self._file_cache[real] = (stat.st_mtime, content)
            return content
        except OSError:
            return None
