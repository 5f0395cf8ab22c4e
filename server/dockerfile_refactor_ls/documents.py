"""Open documents and their per-version analysis, independent of pygls.

We keep our own store rather than pygls' workspace documents because pygls splits lines with
``str.splitlines``, which also breaks at ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``, ``\\x85`` and
``\\u2028``/``\\u2029``; the LSP only breaks at ``\\n``, ``\\r\\n`` and ``\\r``. A Dockerfile holding one
of those characters would otherwise drift out of sync with the editor on the next incremental edit.

Every feature of one document version shares one :class:`Dockerfile` model, built on first use.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from .engine.completion import keyword_counts, known_document_facts
from .engine.findings import Finding
from .engine.model import Dockerfile, ReusableStages, reusable_stages
from .engine.parser import ParseResult, parse, parse_incremental
from .engine.text import LineIndex, Position, PositionEncoding
from .rules.kept import KeptResults

if TYPE_CHECKING:
    from .head import Head

log = logging.getLogger(__name__)

# Analysing a large file allocates millions of objects that all live on, and the cyclic collector
# walks the ever larger heap again and again meanwhile: at 50,000 stages (4 MB) parse and model took
# 4.8 s with it and 3.5 s without, and the gap grows with the size.
GC_PAUSE_CHARS = 200_000
# How far the process may grow past its size after the last reclaim (or when first asked) before an
# idle analysis thread collects the permanent generation (below): twice that, and at least this
# much more. Resident size, not gc.get_freeze_count(): counting walks the frozen objects, 170 ms
# at 50,000 stages, too dear to ask after every job.
RECLAIM_MIN_GROWTH_BYTES = 512 * 1024 * 1024
# How many versions' dropped results wait for the worker at most (see ``DocumentState._dropped``).
DROPPED_VERSIONS = 4
_resident_after_reclaim: int | None = None


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        # No procfs: about 100 bytes a frozen object (a walk of them; asked after a job at most).
        return gc.get_freeze_count() * 100


@contextmanager
def collector_paused(size: int) -> Iterator[None]:
    """Pause the cyclic garbage collector while a document of ``size`` characters is analysed.

    At the end what was allocated meanwhile is frozen (``gc.freeze``: moved to the permanent
    generation, which collections skip) before the collector is enabled again. Otherwise the
    first young collection after the pause walks every object the pause allocated (1.5 s after a
    keystroke at 50,000 stages) and the full collections their number triggers walk the whole heap
    (1.6-3.5 s, once on the event loop), with the GIL held either way. Frozen objects are still
    freed by their refcounts (a dropped model is: it breaks its own cycles, see engine/model.py);
    what only the collector could free waits for :func:`reclaim_frozen_garbage`.
    """
    if size < GC_PAUSE_CHARS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def reclaim_frozen_garbage() -> bool:
    """Collect the permanent generation once the process has grown well past its size at the last
    reclaim (garbage cycles frozen with the live objects: a model breaks its own, others are
    rare). A full collection of a big heap: for a thread with nothing else to do. Returns whether
    it collected.

    The first call only notes the size: what it finds is the first big document's model, alive,
    and collecting then (2.4 s at 50,000 stages) would hold up the user's first keystrokes in it.
    """
    global _resident_after_reclaim
    if not gc.isenabled():
        return False  # another thread is in a pause: its objects are not frozen yet
    resident = _resident_bytes()
    if _resident_after_reclaim is None:
        _resident_after_reclaim = resident
        return False
    if resident <= max(2 * _resident_after_reclaim, _resident_after_reclaim + RECLAIM_MIN_GROWTH_BYTES):
        return False
    started = time.monotonic()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _resident_after_reclaim = _resident_bytes()
    log.info("collected the frozen garbage in %.2f s: %d -> %d MiB resident", time.monotonic() - started,
             resident >> 20, _resident_after_reclaim >> 20)
    return True


class DocumentError(ValueError):
    """A change that cannot be applied (unknown document, bad range)."""


@dataclass(slots=True)
class ChangeRange:
    start: Position
    end: Position


# One edit as ``parse_incremental`` takes it: ``old[start:old_end]`` became ``new[start:new_end]``.
Edit = tuple[int, int, int]


def combine_edits(first: Edit | None, second: Edit) -> Edit:
    """One edit covering ``first`` (base -> current) then ``second`` (current -> new), relative to the
    base text and the new text: what lies outside it is unchanged by both. Several keystrokes made
    while a worker analyses become one incremental re-parse from the worker's last parse."""
    if first is None:
        return second
    s1, oe1, ne1 = first
    s2, oe2, ne2 = second
    end_current = max(ne1, oe2)  # the covered region's end in the current text (>= ne1 and >= oe2)
    return min(s1, s2), end_current - ne1 + oe1, end_current + ne2 - oe2


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a worker thread analyses of one document version: immutable, taken under the state's lock.

    ``base`` is the parse the incremental re-parse may start from (handed to this snapshot alone: it
    is consumed in place), ``edit`` the change from ``base.text`` to ``text``; ``model`` a model
    already built for ``text``, if any."""

    text: str
    version: int
    base: ParseResult | None
    edit: Edit | None
    model: Dockerfile | None
    # The model built on ``base``, when it is known: an edit head (head.py) takes its stages.
    base_model: Dockerfile | None = None


@dataclass(frozen=True, slots=True)
class _Lines:
    """A line index standing for a document's (see ``DocumentState.lines_through``)."""

    lines: LineIndex


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
    # Whether a whole diagnosis of some version was sent (until then a long file's first lines'
    # findings may be: Core.publish_head).
    whole_list_sent: bool = field(default=False, repr=False)
    # The first lines of a version, modelled on their own (head.py), while the text starts with them.
    head: Head | None = field(default=None, repr=False)
    # The text up to the stage after the one last edited, modelled on its own (head.py), until the
    # whole model of a version is installed.
    edit_head: Head | None = field(default=None, repr=False)
    # Per-version results of features (cleared on every change).
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    # What the rule runner keeps across versions (per-RUN and per-stage findings, keyed by the
    # instructions incremental parsing reuses): not cleared on a change, that is its point.
    kept: KeptResults = field(default_factory=KeptResults, repr=False)
    # Set once a worker thread analyses this document (the server; not the early phase, the CLI or
    # tests driving it directly). From then on the parse lineage (the parse incremental re-parsing
    # consumes in place, and ``kept``) belongs to whoever holds a Snapshot of it: a change only
    # records its edit, and a model built here on demand comes from a fresh full parse.
    background: bool = field(default=False, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _base: ParseResult | None = field(default=None, repr=False)
    _base_text: str | None = field(default=None, repr=False)
    _base_model: Dockerfile | None = field(default=None, repr=False)
    _edit: Edit | None = field(default=None, repr=False)
    _edit_known: bool = field(default=True, repr=False)
    # What a change let go of in a document a worker analyses (the last version's line index,
    # findings and per-version results), for the worker to drop once the edited lines' head is
    # out: dropped on the loop, their deallocation (which never gives up the GIL) held it 80 ms
    # at every keystroke at 10 MB, before it could answer from that head.
    _dropped: list[object] = field(default_factory=list, repr=False)

    def take_dropped(self) -> list[object]:
        """What changes let go of since the last call (see ``_dropped``), for the caller to drop."""
        with self.lock:
            dropped, self._dropped = self._dropped, []
        return dropped

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = self._model.lines if self._model is not None else LineIndex(self.text, self.encoding)
        return self._lines

    def lines_through(self, offset: int) -> _Lines | DocumentState:
        """What converts offsets up to ``offset`` to positions: the document's line index once
        built, else one of the text up to the end of that line. The notice of a file too large
        for the rules (on its first line) built a 10 MB file's whole index on the loop at every
        keystroke: 0.2 s before the next request was read."""
        if self._lines is None and self._model is None:
            end = self.text.find("\n", offset)
            if end >= 0:
                return _Lines(LineIndex(self.text[: end + 1], self.encoding))
        return self

    @property
    def parsed(self) -> ParseResult:
        if self._parsed is None or self._parsed.text is not self.text:
            with collector_paused(len(self.text)):
                self._parsed = parse(self.text)
        return self._parsed

    @property
    def model_ready(self) -> bool:
        """Whether the model of the current text is built (asking for it costs nothing)."""
        return self._model is not None and self._model.text is self.text

    @property
    def model(self) -> Dockerfile:
        if self._model is None or self._model.text is not self.text:
            if self.background:
                # The lineage is the worker's: parse afresh (a request that could not wait for it).
                with collector_paused(len(self.text)):
                    model = build_model(self.uri, self.text, self.encoding, parse(self.text))
            else:
                parsed = self.parsed
                with collector_paused(len(self.text)):
                    model = build_model(self.uri, self.text, self.encoding, parsed)
            if self._lines is not None and self._lines.text is self.text:
                # Share the index already built for change application.
                model.__dict__["lines"] = self._lines
            self._model = model
        return self._model

    def frozen(self) -> DocumentState:
        """This version for a request computed off the event loop: the same text, model and
        findings, caches of its own; later edits change the document, not the copy. Only for a
        version whose model is built."""
        copy = DocumentState(self.uri, self.text, self.version, self.encoding, self.language_id)
        copy._model = self._model if self.model_ready else None
        copy.findings, copy.findings_key = self.findings, self.findings_key
        return copy

    def current_model(self) -> tuple[str, Dockerfile] | None:
        """The current text and its model if that is built (never builds one: for a worker)."""
        with self.lock:
            model = self._model
            return (self.text, model) if model is not None and model.text is self.text else None

    def install_model(self, text: str, model: Dockerfile) -> bool:
        """Keep a model a worker built for ``text``, if that is still the current text."""
        with self.lock:
            if self.text is not text:
                return False
            if not self.model_ready:
                self._model = model
            self.edit_head = None  # it holds the model of an earlier version
            return True

    def attach_worker(self) -> None:
        """From now on a worker analyses this document (see ``background``)."""
        with self.lock:
            if self.background:
                return
            self.background = True
            parsed = self._parsed if self._parsed is not None and self._parsed.text is self.text else None
            self._base, self._base_text, self._edit, self._edit_known = parsed, self.text, None, True
            model = self._model if self.model_ready else None
            self._base_model = (
                model if parsed is not None and model is not None and model.parsed is parsed else None
            )

    def take_snapshot(self) -> Snapshot:
        """The current version for a worker, with the parse lineage (see ``background``)."""
        with self.lock:
            base = self._base
            if base is None or base.text is not self._base_text or not self._edit_known:
                base = None
            base_model = self._base_model
            if base is None or base_model is None or base_model.parsed is not base:
                base_model = None
            snap = Snapshot(self.text, self.version, base, self._edit if base is not None else None,
                            self._model if self.model_ready else None, base_model)
            self._base, self._base_text, self._edit, self._edit_known = None, self.text, None, True
            self._base_model = None
            return snap

    def return_lineage(self, parsed: ParseResult, model: Dockerfile | None = None) -> None:
        """A worker is done with ``parsed`` (the model built on it, ``model``, is no longer read by
        it): the next snapshot may re-parse incrementally from it (and take that model's stages for
        its edit head)."""
        with self.lock:
            if self._base_text is parsed.text:
                self._base = parsed
                self._base_model = model if model is not None and model.parsed is parsed else None

    def apply_change(self, text: str, rng: ChangeRange | None) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (full text when ``rng`` is None)."""
        if rng is None:
            with self.lock:
                self.text = text
                self._parsed = None
                self._edit_known = False
        else:
            lines = self.lines
            start = lines.offset(rng.start)
            end = lines.offset(rng.end)
            if end < start:
                start, end = end, start
            old = self.text
            new_text = old[:start] + text + old[end:]
            if self.background:
                # The worker re-parses, from its last parse, the one region all edits since touched.
                with self.lock:
                    self.text = new_text
                    self._parsed = None
                    self._edit = combine_edits(self._edit, (start, end, start + len(text)))
            else:
                self.text = new_text
                prev = self._parsed
                # Re-parse only what the edit touches; the previous parse is consumed.
                if prev is not None and prev.text is old:
                    self._parsed = parse_incremental(prev, self.text, start, end, start + len(text))
                else:
                    self._parsed = None
        if self.background:
            with self.lock:
                self._dropped.append((self._lines, self._model, self.findings, self.cache))
                # Never more than a few old versions' worth waits for the worker (memory).
                del self._dropped[:-DROPPED_VERSIONS]
            self.cache = {}
        else:
            self.cache.clear()
        self._lines = None
        self._model = None
        self.findings = None


def build_model(
    uri: str, text: str, encoding: PositionEncoding, parsed: ParseResult, reuse: ReusableStages | None = None
) -> Dockerfile:
    """The model of one version of the document at ``uri`` (``reuse``: see ``Dockerfile``)."""
    model = Dockerfile(text, encoding, parsed=parsed, reuse=reuse)
    if uri.startswith("file:"):
        # The build context splitStages reads (cgo, runtime folders): the file's folder.
        path = unquote(urlparse(uri).path)
        model.context_dir = os.path.dirname(path)
        model.file_name = os.path.basename(path) or None
    return model


class EditedModel:
    """The model of the version an edit changed, until what later models reuse of it is taken
    (the stages before the edit, and its keyword counts) and it is released: held through the new
    version's parse and model, two whole models were 200 MB more at 50,000 stages."""

    def __init__(self, model: Dockerfile | None) -> None:
        self._model = model
        self._taken: tuple[ReusableStages | None, tuple[int, int] | None] | None = None

    def take(self, parsed: ParseResult) -> tuple[ReusableStages | None, tuple[int, int] | None]:
        """For ``parsed`` (the new version's parse, or the prefix parse handed over on the way,
        which keep the same instructions): the stages it may reuse, and the whole new version's
        keyword counts when the edited version's were known (see ``completion.document_facts``)."""
        if self._taken is None:
            model = self._model
            if model is None:
                self._taken = (None, None)
            else:
                counts = None
                facts = known_document_facts(model)
                if facts is not None:
                    kept, (replaced, reparsed) = parsed.kept, parsed.replaced
                    gone = keyword_counts(model.instructions[kept : kept + replaced])
                    came = keyword_counts(parsed.instructions[kept : kept + reparsed])
                    counts = (facts.keywords - gone[0] + came[0], facts.lowercase_keywords - gone[1] + came[1])
                self._taken = (reusable_stages(model, parsed), counts)
        return self._taken

    def release(self) -> None:
        """Let the model go (freeing what nothing reuses: tens of milliseconds at 50,000 stages,
        kept off the way to the edit head)."""
        self._model = None


# Called with the prefix parse (see ``parse_incremental``) and what it may reuse.
EditedPrefixHook = Callable[[ParseResult, ReusableStages | None, tuple[int, int] | None], None]


def analyse_snapshot(
    uri: str,
    encoding: PositionEncoding,
    snap: Snapshot,
    edited: EditedModel | None = None,
    on_prefix: EditedPrefixHook | None = None,
    checkpoint: Callable[[], object] | None = None,
    prefix_after: int = 0,
) -> Dockerfile:
    """Parse (incrementally when the snapshot allows) and model one version, off the event loop;
    ``edited``: the model of the version edited (its stages before the edit are reused);
    ``on_prefix`` and ``prefix_after``: see ``parse_incremental``; ``checkpoint``: see ``parse`` (a whole parse only:
    an incremental one moves the instructions after the edit, a tenth of the time)."""
    if snap.model is not None:
        return snap.model
    with collector_paused(len(snap.text)):
        reuse = None
        if snap.base is not None and snap.edit is None:
            parsed = snap.base  # nothing changed since the base was parsed
        elif snap.base is not None and snap.edit is not None:
            hook = None
            if on_prefix is not None:
                report = on_prefix

                def hook(prefix: ParseResult) -> None:
                    report(prefix, *(edited.take(prefix) if edited is not None else (None, None)))
                    if edited is not None:
                        edited.release()

            parsed = parse_incremental(snap.base, snap.text, *snap.edit, on_prefix=hook, prefix_after=prefix_after)
            if edited is not None:
                reuse = edited.take(parsed)[0]
                edited.release()
        else:
            parsed = parse(snap.text, checkpoint)
        model = build_model(uri, snap.text, encoding, parsed, reuse)
        _ = model.lines  # built here rather than by the first request on the loop
    return model


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

    @contextmanager
    def serving(self, stand_in: DocumentState) -> Iterator[None]:
        """While a request's (synchronous) handler runs, ``get`` gives ``stand_in`` for its uri: a
        long document's first lines (head.py), answering a request about them before the whole
        document is modelled."""
        uri = stand_in.uri
        real = self._docs.get(uri)
        if real is None:
            raise DocumentError(f"not open: {uri}")
        self._docs[uri] = stand_in
        try:
            yield
        finally:
            if self._docs.get(uri) is stand_in:
                self._docs[uri] = real

    def all(self) -> list[DocumentState]:
        return list(self._docs.values())
