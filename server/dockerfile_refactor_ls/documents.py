"""Open documents and their per-version analysis, independent of pygls.

We keep our own store rather than pygls' workspace documents because pygls splits lines with
``str.splitlines``, which also breaks at ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``, ``\\x85`` and
``\\u2028``/``\\u2029``; the LSP only breaks at ``\\n``, ``\\r\\n`` and ``\\r``. A Dockerfile holding one
of those characters would otherwise drift out of sync with the editor on the next incremental edit.

Every feature of one document version shares one :class:`Dockerfile` model, built on first use.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from .engine.findings import Finding
from .engine.model import Dockerfile
from .engine.parser import ParseResult, parse, parse_incremental
from .engine.text import LineIndex, Position, PositionEncoding
from .rules.kept import KeptResults

# Analysing a large file allocates millions of objects that all live on, and the cyclic collector
# walks the ever larger heap again and again meanwhile: at 50,000 stages (4 MB) parse and model took
# 4.8 s with it and 3.5 s without, and the gap grows with the size. They hold no garbage cycles.
GC_PAUSE_CHARS = 200_000


@contextmanager
def collector_paused(size: int) -> Iterator[None]:
    """Pause the cyclic garbage collector while a document of ``size`` characters is analysed."""
    if size < GC_PAUSE_CHARS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class DocumentError(ValueError):
    """A change that cannot be applied (unknown document, bad range)."""


@dataclass(slots=True)
class ChangeRange:
    start: Position
    end: Position


@dataclass(eq=False)
class DocumentState:
    uri: str
    text: str
    version: int
    encoding: PositionEncoding
    language_id: str = "dockerfile"
    _model: Dockerfile | None = field(default=None, repr=False)
    _lines: LineIndex | None = field(default=None, repr=False)
    _parsed: ParseResult | None = field(default=None, repr=False)
    findings: list[Finding] | None = field(default=None, repr=False)
    findings_key: object = field(default=None, repr=False)
    # Per-version results of features (cleared on every change).
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    # What the rule runner keeps across versions (per-RUN and per-stage findings, keyed by the
    # instructions incremental parsing reuses): not cleared on a change, that is its point.
    kept: KeptResults = field(default_factory=KeptResults, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = self._model.lines if self._model is not None else LineIndex(self.text, self.encoding)
        return self._lines

    @property
    def parsed(self) -> ParseResult:
        if self._parsed is None or self._parsed.text is not self.text:
            with collector_paused(len(self.text)):
                self._parsed = parse(self.text)
        return self._parsed

    @property
    def model(self) -> Dockerfile:
        if self._model is None:
            parsed = self.parsed
            with collector_paused(len(self.text)):
                self._model = Dockerfile(self.text, self.encoding, parsed=parsed)
            if self.uri.startswith("file:"):
                # The build context splitStages reads (cgo, runtime folders): the file's folder.
                path = unquote(urlparse(self.uri).path)
                self._model.context_dir = os.path.dirname(path)
                self._model.file_name = os.path.basename(path) or None
            if self._lines is not None and self._lines.text is self.text:
                # Share the index already built for change application.
                self._model.__dict__["lines"] = self._lines
        return self._model

    def apply_change(self, text: str, rng: ChangeRange | None) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (full text when ``rng`` is None)."""
        if rng is None:
            self.text = text
            self._parsed = None
        else:
            lines = self.lines
            start = lines.offset(rng.start)
            end = lines.offset(rng.end)
            if end < start:
                start, end = end, start
            old = self.text
            self.text = old[:start] + text + old[end:]
            prev = self._parsed
            # Re-parse only what the edit touches; the previous parse is consumed.
            if prev is not None and prev.text is old:
                self._parsed = parse_incremental(prev, self.text, start, end, start + len(text))
            else:
                self._parsed = None
        self._lines = None
        self._model = None
        self.findings = None
        self.cache.clear()


class DocumentStore:
    def __init__(self) -> None:
        self._docs: dict[str, DocumentState] = {}
        self.encoding = PositionEncoding.UTF16

    def open(self, uri: str, text: str, version: int, language_id: str = "dockerfile") -> DocumentState:
        state = DocumentState(uri, text, version, self.encoding, language_id)
        self._docs[uri] = state
        return state

    def get(self, uri: str) -> DocumentState | None:
        return self._docs.get(uri)

    def __contains__(self, uri: str) -> bool:
        return uri in self._docs

    def close(self, uri: str) -> None:
        self._docs.pop(uri, None)

    def all(self) -> list[DocumentState]:
        return list(self._docs.values())
