"""workspace/symbol -> engine.workspace_symbols over every Dockerfile in the workspace folders.

Files are found by name (``Dockerfile``, ``Containerfile``, ``*.Dockerfile``, ``*.dockerfile``,
``Dockerfile.*``, ``Containerfile.*``), skipping hidden folders and dependency/build folders,
at most :data:`MAX_FILES` files of at most :data:`MAX_BYTES` each. Open documents are used as the
editor has them; files on disk are parsed once per (size, modification time).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..engine.model import Dockerfile
from ..engine.workspace_symbols import stage_symbols
from ..workspace import uri_to_path
from .requests import guarded

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .host import FeatureHost

log = logging.getLogger(__name__)

MAX_FILES = 2000
MAX_BYTES = 1_000_000
SKIP_DIRS = frozenset(("node_modules", "vendor", "target", "build", "dist", "__pycache__", "venv", ".venv"))

_cache: dict[Path, tuple[tuple[int, int], Dockerfile]] = {}


def is_dockerfile_name(name: str) -> bool:
    low = name.lower()
    return (
        low in ("dockerfile", "containerfile")
        or low.endswith(".dockerfile")
        or low.startswith(("dockerfile.", "containerfile."))
    )


def find_dockerfiles(roots: list[Path]) -> Iterator[Path]:
    count = 0
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
            for name in sorted(filenames):
                if is_dockerfile_name(name):
                    yield Path(dirpath) / name
                    count += 1
                    if count >= MAX_FILES:
                        return


def _parsed(path: Path) -> Dockerfile | None:
    try:
        st = path.stat()
        if st.st_size > MAX_BYTES:
            return None
        key = (st.st_size, st.st_mtime_ns)
        cached = _cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        doc = Dockerfile(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        log.info("workspace/symbol: cannot read %s: %s", path, exc)
        return None
    _cache[path] = (key, doc)
    return doc


def register(ls: FeatureHost) -> None:
    @ls.feature(lsp.WORKSPACE_SYMBOL)
    @guarded
    def on_workspace_symbol(params: lsp.WorkspaceSymbolParams) -> list[lsp.SymbolInformation] | None:
        docs: list[tuple[str, Dockerfile]] = []
        open_paths: set[Path] = set()
        for state in ls.core.documents.all():
            path = uri_to_path(state.uri)
            if path is not None:
                open_paths.add(path.resolve())
            if state.background and not state.model_ready and len(state.text) > MAX_BYTES:
                # Still being analysed in the server's thread: left out rather than parse megabytes
                # here while every other request waits (issue 18).
                continue
            docs.append((state.uri, state.model))
        for path in find_dockerfiles(ls.core.config.roots):
            if path.resolve() in open_paths:
                continue
            doc = _parsed(path)
            if doc is not None:
                docs.append((path.as_uri(), doc))
        out = []
        for sym in stage_symbols(docs, params.query):
            path = uri_to_path(sym.key)
            container = sym.key if path is None else _relative(ls, path)
            out.append(
                lsp.SymbolInformation(
                    name=sym.name,
                    kind=lsp.SymbolKind.Module,
                    location=lsp.Location(uri=sym.key, range=lsp_range(sym.doc.range(sym.span))),
                    container_name=f"{container} ({sym.detail})",
                )
            )
        return out


def _relative(ls: FeatureHost, path: Path) -> str:
    for root in ls.core.config.roots:
        if root in path.parents:
            return str(path.relative_to(root))
    return path.name
