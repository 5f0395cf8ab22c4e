"""The build context: the sources beside the Dockerfile, read to decide what a split needs.

A parser sees only the Dockerfile; whether a Go build uses cgo, which folders a program reads at run
time or what Cargo names the binary is in the sources. The context is the Dockerfile's folder (what
``docker build .`` sends), known when the document is a file on disk (``Dockerfile.context_dir``, set by
the CLI and the language server). Without it every answer is "unknown" and the toolchain modules
keep to what the Dockerfile alone proves.

Reading is bounded: at most :data:`MAX_FILES` files are listed and :data:`MAX_BYTES` read per file,
dependency and VCS folders are skipped, and the listing is cached per document version.
"""

from __future__ import annotations

import os
import posixpath
import time
import weakref
from dataclasses import dataclass, field

from ..engine.model import Dockerfile

MAX_FILES = 5000
MAX_BYTES = 512 * 1024
SKIPPED_DIRS = frozenset(
    (".git", ".hg", ".svn", "node_modules", "vendor", "target", ".venv", "venv", "__pycache__", ".gradle",
     ".idea", ".vscode", "bin", "obj", ".next", ".cache", ".tox", ".mypy_cache", ".pytest_cache")
)
# Folders programs commonly read at run time, relative to their working directory (the guides' list).
RUNTIME_DIRS = ("templates", "static", "public", "migrations", "views", "assets", "web", "www", "locales",
                "i18n", "config", "configs", "data", "resources", "html")


@dataclass(slots=True)
class BuildContext:
    root: str | None
    _files: list[str] | None = field(default=None, repr=False)
    _dockerignore: list[str] | None = field(default=None, repr=False)
    _reads: dict[str, str | None] = field(default_factory=dict, repr=False)

    @property
    def known(self) -> bool:
        return self.root is not None

    def files(self) -> list[str]:
        """Context-relative paths of the files (POSIX separators), dependency folders skipped."""
        if self._files is not None:
            return self._files
        out: list[str] = []
        if self.root is not None and os.path.isdir(self.root):
            for dirpath, dirnames, filenames in os.walk(self.root):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
                rel = os.path.relpath(dirpath, self.root)
                for name in sorted(filenames):
                    out.append(name if rel == "." else posixpath.join(rel.replace(os.sep, "/"), name))
                    if len(out) >= MAX_FILES:
                        break
                if len(out) >= MAX_FILES:
                    break
        self._files = out
        return out

    def is_dir(self, rel: str) -> bool:
        return self.root is not None and os.path.isdir(os.path.join(self.root, rel))

    def exists(self, rel: str) -> bool:
        return self.root is not None and os.path.exists(os.path.join(self.root, rel))

    def read(self, rel: str) -> str | None:
        if self.root is None:
            return None
        if rel in self._reads:
            return self._reads[rel]
        path = os.path.join(self.root, rel)
        try:
            with open(path, "rb") as fh:
                text: str | None = fh.read(MAX_BYTES).decode("utf-8", "replace")
        except OSError:
            text = None
        self._reads[rel] = text
        return text

    def with_suffix(self, *suffixes: str) -> list[str]:
        return [f for f in self.files() if f.endswith(suffixes)]

    def top_dirs(self) -> list[str]:
        if self.root is None:
            return []
        try:
            return sorted(d for d in os.listdir(self.root) if os.path.isdir(os.path.join(self.root, d)))
        except OSError:
            return []

    def top_entries(self) -> list[str]:
        """Every name at the top of the context, dot files and skipped folders included."""
        if self.root is None:
            return []
        try:
            return sorted(os.listdir(self.root))
        except OSError:
            return []

    def ignored(self, rel: str) -> bool:
        """Whether ``.dockerignore`` excludes ``rel`` (plain names and ``name/`` entries only)."""
        if self._dockerignore is None:
            text = self.read(".dockerignore") or ""
            self._dockerignore = [
                ln.strip().strip("/") for ln in text.splitlines() if ln.strip() and not ln.startswith(("#", "!"))
            ]
        top = rel.split("/", 1)[0]
        return any(p in (rel, top, f"{top}/**", f"/{top}") for p in self._dockerignore)


_CACHE: weakref.WeakKeyDictionary[Dockerfile, BuildContext] = weakref.WeakKeyDictionary()
# Per folder, for a few seconds: every keystroke makes a new document version, and the editor asks for
# code actions on each; the sources beside the Dockerfile do not change that fast.
_BY_ROOT: dict[str, tuple[float, BuildContext]] = {}
REUSE_SECONDS = 5.0


def context_for(doc: Dockerfile) -> BuildContext:
    """The build context of ``doc`` (unknown when the document is not a file on disk)."""
    found = _CACHE.get(doc)
    if found is None:
        root = getattr(doc, "context_dir", None)
        if not root or not os.path.isdir(root):
            found = BuildContext(None)
        else:
            now = time.monotonic()
            cached = _BY_ROOT.get(root)
            if cached is not None and now - cached[0] < REUSE_SECONDS:
                found = cached[1]
            else:
                found = BuildContext(root)
                if len(_BY_ROOT) > 64:
                    _BY_ROOT.clear()
                _BY_ROOT[root] = (now, found)
        _CACHE[doc] = found
    return found
