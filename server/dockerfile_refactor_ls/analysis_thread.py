"""The analysis thread of one client session: models and findings of each version, off the loop.

Both front ends use it. The early phase (:mod:`.fast_start`, before pygls is imported) hands a
document too large to diagnose inline to :meth:`Analyser.analyse`, so the first diagnostics of a
5,000-line file are computed while pygls loads instead of after it, and a request sent right
after ``didOpen`` does not wait for its rules. At the hand-over the server goes on with the same
:class:`Analyser` — its thread, its queue, the job it may be running — as it goes on with the core.

A job never touches the front end: what it finds it posts to an :class:`Outbox` as an event
(``head``, ``model``, ``diagnosed``, ``publish_current``, ``result``, ``progress``). The early
phase drains the outbox between messages; the server points it at its event loop
(:meth:`Outbox.deliver_to`), and events posted before that are delivered first, in order.

This module imports no pygls and no lsprotocol.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from .core import Core
from .documents import DocumentState, EditedModel, analyse_snapshot, collector_paused, reclaim_frozen_garbage
from .engine.completion import document_facts
from .engine.model import Dockerfile, ReusableStages
from .engine.navigation import index_steps
from .engine.parser import ParseResult
from .head import EDIT_HEAD_AFTER_CHARS, HEAD_CHARS, HEAD_FIRST_CHARS, build_edit_head, build_head
from .workspace import DiagnosisInputs

log = logging.getLogger(__name__)

# A document up to this long is modelled (about 1.5 µs a character) and diagnosed on the loop when
# a request needs it before the analysis thread is done: a few tens of milliseconds, and the
# request sees the version it was sent for even if an edit follows at once. Longer ones park, and
# their navigation indexes are built in the thread.
INLINE_MODEL_CHARS = 50_000
# The longest a job's rules wait for :meth:`Analyser.resume_rules` (a safety net: the server
# resumes them as soon as it has taken over).
RULES_PAUSE_LIMIT = 5.0
# The longest a parse waits for :meth:`Analyser.release_models` (pygls' import alone is 0.4-0.7 s).
MODELS_HOLD_LIMIT = 2.0

# An event a job posts: its kind and its arguments (see the module's docstring).
Event = tuple[str, tuple[Any, ...]]
Post = Callable[..., None]


class RulesOutdated(Exception):
    """Raised between two rules once the text a run diagnoses is no longer the open document's."""


# How long the analysis thread waits after a job, with none queued, before its idle housekeeping.
IDLE_SECONDS = 2.0


class AnalysisWorker:
    """One thread that runs analysis jobs in order, off the event loop.

    A daemon thread, so that ``exit`` never waits for a long analysis; one per session, so one
    client's 10 MB file does not hold up another's keystrokes beyond the GIL's sharing. The loop
    thread still gets the GIL every switch interval (5 ms) while a job computes.
    """

    def __init__(self, when_idle: Callable[[], object] | None = None) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._running = False
        # Run once no job has come for IDLE_SECONDS after the last one (housekeeping that would
        # hold up a keystroke's job).
        self._when_idle = when_idle

    def submit(self, job: Callable[[], None]) -> None:
        if self._stopped:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="analysis", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def stop(self) -> None:
        self._stopped = True
        self._jobs.put(None)

    @property
    def idle(self) -> bool:
        """Whether no job runs or waits (as seen from another thread: a hint, not a guarantee)."""
        return not self._running and self._jobs.empty()

    def _run(self) -> None:
        idle_due = False
        while True:
            try:
                job = self._jobs.get(timeout=IDLE_SECONDS) if idle_due else self._jobs.get()
            except queue.Empty:  # no job for IDLE_SECONDS: the user has stopped typing
                idle_due = False
                try:
                    if self._when_idle is not None:
                        self._when_idle()
                except Exception:
                    log.exception("analysis thread housekeeping failed")
                continue
            if job is None or self._stopped:
                break
            self._running = True
            try:
                job()
            except Exception:
                log.exception("analysis job failed")
            finally:
                self._running = False
            idle_due = self._when_idle is not None


# A rules run shows as work-done progress only once it has taken this long (most take far less:
# no flicker in the status bar), then at most every PROGRESS_EVERY_SECONDS.
PROGRESS_AFTER_SECONDS = 1.0
PROGRESS_EVERY_SECONDS = 0.25


class RulesProgress:
    """How far one rules run is, posted as ``("progress", state, text, percentage)`` events, and
    ``percentage`` None at the end if any was posted. The receiver shows them (``$/progress``)."""

    def __init__(self, post: Post, state: DocumentState, text: str) -> None:
        self._post = post
        self._state = state
        self._text = text
        self._started = time.monotonic()
        self._last: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._started < PROGRESS_AFTER_SECONDS:
            return
        if self._last is not None and now - self._last < PROGRESS_EVERY_SECONDS:
            return
        self._last = now
        self._post("progress", self._state, self._text, min(100, done * 100 // max(total, 1)))

    def end(self) -> None:
        if self._last is not None:
            self._post("progress", self._state, self._text, None)


# The event :meth:`Outbox.post_and_wait` posts after its own: a receiver sets its argument.
HANDLED = "handled"
# How long the analysis thread waits for the loop to take the edited lines' head.
EDIT_HEAD_HANDOFF_SECONDS = 0.1


class Outbox:
    """Where jobs post their events: held until a receiver is attached, then handed to it.

    A receiver is called under the outbox's lock, in the posting thread: so :meth:`hold` returns
    only once no receiver runs any longer (the early phase's hand-over receiver publishes from the
    analysis thread, and the server must not re-point the core's output under it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: list[Event] = []
        self._deliver: Callable[[str, tuple[Any, ...]], None] | None = None

    def post(self, kind: str, *args: Any) -> None:
        with self._lock:
            if self._deliver is None:
                self._held.append((kind, args))
            else:
                self._deliver(kind, args)

    def post_and_wait(self, timeout: float, kind: str, *args: Any) -> None:
        """Post an event, then wait until the receiver has handled it (its ``handled`` event, posted
        after it, is set), at most ``timeout`` seconds; no wait while no receiver is attached.

        For the edited lines' head: the edited version's model is let go right after it, and at 10
        MB freeing it (a cascade of deallocations, which never gives up the GIL) took 0.4 s during
        which the loop could not answer the request parked for the head."""
        handled = threading.Event()
        with self._lock:
            attached = self._deliver is not None
        self.post(kind, *args)
        if attached:
            self.post(HANDLED, handled)
            handled.wait(timeout)

    def hold(self) -> None:
        """Keep events from now on until the next :meth:`deliver_to`."""
        with self._lock:
            self._deliver = None

    def take(self) -> list[Event]:
        """The events held so far (the early phase's drain)."""
        with self._lock:
            held, self._held = self._held, []
            return held

    @property
    def attached(self) -> bool:
        return self._deliver is not None

    def deliver_to(self, deliver: Callable[[str, tuple[Any, ...]], None]) -> None:
        """From now on hand every event to ``deliver`` (called in the posting thread, under the
        lock: it must be quick), those held first — so a new one cannot overtake them."""
        with self._lock:
            held, self._held = self._held, []
            for kind, args in held:
                deliver(kind, args)
            self._deliver = deliver


class Analyser:
    """Queues analyses of the open documents of one core and runs them in the analysis thread."""

    def __init__(self, core: Core) -> None:
        self.core = core
        # Idle, the thread collects the garbage cycles frozen with big documents' models
        # (documents.collector_paused): a full collection, which would hold up a keystroke's job.
        self.worker = AnalysisWorker(when_idle=reclaim_frozen_garbage)
        self.outbox = Outbox()
        # Documents with a job queued and not started yet (it will see the newest text).
        self.pending: set[str] = set()
        # Set by the server: builds the whole-document results it was asked for, right after the
        # model (the early phase builds none).
        self.build_results: Callable[[DocumentState, str, Dockerfile, Post], None] | None = None
        # Those of them that need no navigation index, built before the indexes.
        self.build_first_results: Callable[[DocumentState, str, Dockerfile, Post], None] | None = None
        # Cleared while the rules must wait (models are still built): the early phase ends at a
        # request and the main thread then imports pygls, hundreds of file reads each of which
        # waits for the GIL a busy rules thread holds; the request, which needs only the model,
        # would be answered a second later and after the diagnostics.
        self._rules_allowed = threading.Event()
        self._rules_allowed.set()
        # Cleared while the main thread loads pygls for a request that ended the early phase: a
        # whole parse waits at its checkpoints meanwhile, at most MODELS_HOLD_LIMIT in all. Shared
        # with the parse, the import and the server's set-up took 1.1-1.3 s at 50,000 stages,
        # and the request (answered from the head, or ServerCancelled) waited for all of it.
        self._models_allowed = threading.Event()
        self._models_allowed.set()
        self._models_held_until = 0.0
        # Jobs to run between two rules (submit): a deque, as the loop appends while the thread pops.
        self._soon: collections.deque[Callable[[], None]] = collections.deque()
        self._soon_lock = threading.Lock()

    def analyse(self, uri: str) -> None:
        """Queue an analysis of ``uri``'s newest version unless one is queued already."""
        state = self.core.documents.get(uri)
        if state is None or uri in self.pending:
            return  # closed, or a run is queued that will see the newest text
        state.attach_worker()
        self.pending.add(uri)
        self.worker.submit(lambda: self._job(state))

    def submit(self, job: Callable[[Post], None]) -> None:
        """Run ``job(post)`` in the analysis thread as soon as it can: between two rules of the
        run under way, if any, else as the next job. For the work a waiting request needs (a
        whole-document result of the model built): at 50,000 stages a rules run lasts 8-30 s,
        each rule at most about a second."""
        with self._soon_lock:
            self._soon.append(lambda: job(self.outbox.post))
        self.worker.submit(self._run_soon)

    def _run_soon(self) -> None:
        """In the analysis thread: the jobs :meth:`submit` queued, in order."""
        while True:
            with self._soon_lock:
                if not self._soon:
                    return
                job = self._soon.popleft()
            try:
                job()
            except Exception:
                log.exception("analysis job failed")

    def pause_rules(self) -> None:
        """Let jobs build models but hold their rules until :meth:`resume_rules` (at most
        ``RULES_PAUSE_LIMIT`` seconds per job)."""
        self._rules_allowed.clear()

    def resume_rules(self) -> None:
        self._rules_allowed.set()

    def hold_models(self) -> None:
        """Make a whole parse under way (or the next) wait at its checkpoints until
        :meth:`release_models`, for at most ``MODELS_HOLD_LIMIT`` seconds from now."""
        self._models_held_until = time.monotonic() + MODELS_HOLD_LIMIT
        self._models_allowed.clear()

    def release_models(self) -> None:
        self._models_allowed.set()

    def _parse_checkpoint(self) -> None:
        if not self._models_allowed.is_set():
            self._models_allowed.wait(max(0.0, self._models_held_until - time.monotonic()))

    def stop(self) -> None:
        self.worker.stop()
        self.pending.clear()
        self._rules_allowed.set()
        self._models_allowed.set()

    def _head(self, state: DocumentState, text: str, version: int, generation: int, inputs: DiagnosisInputs | None) -> None:
        """Before a long file is parsed whole (seconds at 50,000 stages) and its rules run (tens of
        seconds): its first lines modelled on their own (:mod:`.head`: requests about them are
        answered from it meanwhile), kept while the text starts with them, and their findings for
        a client that has none for the document yet (``inputs``: None when its rules are not run).
        0.1 s, not held while the rules are: it delays the model a request waits for a few per cent."""
        head = state.head
        try:
            with collector_paused(len(text)):
                fresh = head is None or not head.valid_for(text)
                if fresh:
                    head = build_head(state.uri, text, version, state.encoding)
                if head is None:
                    return
                findings = None
                if inputs is not None and not state.whole_list_sent and state.uri not in self.core.pulled_uris:
                    findings = self.core.config.diagnose_head(text, head, inputs)
        except Exception:
            log.exception("the first lines of %s failed", state.uri)
            return
        if fresh or findings is not None:
            self.outbox.post("head", state, text, generation, head, findings)

    def _edit_head(
        self,
        state: DocumentState,
        text: str,
        version: int,
        generation: int,
        prefix: ParseResult,
        reuse: ReusableStages | None,
        keyword_counts: tuple[int, int] | None,
    ) -> None:
        """In the middle of re-parsing a long file after an edit (the rest of the file still to
        move, then its model: half a second at 50,000 stages): the text up to the stage after the
        edited one, or on past the screenfuls below the edit (``EDIT_HEAD_AFTER_CHARS``), modelled with the edited version's stages before the edit (tens of
        milliseconds), for the requests about the edited lines meanwhile (:mod:`.head`). Not
        without those stages (an edit in the first stages, or no model of the edited version)
        unless the text up to there is short: its own model could take as long as the whole."""
        if reuse is None and len(prefix.text) > HEAD_CHARS:
            return
        try:
            with collector_paused(len(text)):
                head = build_edit_head(state.uri, prefix, reuse, keyword_counts, version, state.encoding)
        except Exception:
            log.exception("the edited lines of %s failed", state.uri)
            return
        if head is not None:
            self.outbox.post_and_wait(EDIT_HEAD_HANDOFF_SECONDS, "head", state, text, generation, head, None)

    def _job(self, state: DocumentState) -> None:
        """Model, then findings, of the newest version of ``state``; each posted, for the receiver
        to keep only if it is still current."""
        core = self.core
        post = self.outbox.post
        uri = state.uri
        self.pending.discard(uri)  # before the snapshot: a change after it queues a new run
        if core.documents.get(uri) is not state:
            return  # closed (or re-opened) meanwhile
        snap = state.take_snapshot()
        # Let go of once the edited lines' head is out (below, in analyse_snapshot).
        dropped = state.take_dropped()
        text = snap.text
        generation = core.settings_generation
        diagnose = core.settings_ready and not (state.text is text and core.findings_ready(state))
        if core.settings_ready and not diagnose:
            # A request (a code action) computed this text's findings on the loop before this run
            # started: nothing would publish them (they were lost, and the client kept the last
            # version's list for good). Published once; a list sent for this version is not resent.
            post("publish_current", state, text)
        inputs = core.config.inputs_for(uri) if diagnose else None
        skipped = core.config.rules_skipped_for(text)
        if inputs is not None and skipped:
            # The notice needs no parse: sent before the model of a huge file is built.
            notice = core.config.diagnose_version(uri, text, lambda: state.model, inputs, state.kept)
            post("diagnosed", state, text, generation, inputs[0], notice)
        if snap.model is None:
            self._head(state, text, snap.version, generation, inputs if not skipped else None)
        # The edited version's model, let go once what the new one reuses of it is taken.
        edited = EditedModel(snap.base_model)
        snap = dataclasses.replace(snap, base_model=None)
        on_prefix = None
        if snap.model is None and snap.edit is not None and len(text) > HEAD_FIRST_CHARS:

            def on_prefix(prefix: ParseResult, reuse: ReusableStages | None, counts: tuple[int, int] | None) -> None:
                self._edit_head(state, text, snap.version, generation, prefix, reuse, counts)

        try:
            model = analyse_snapshot(
                uri, state.encoding, snap, edited, on_prefix, self._parse_checkpoint, EDIT_HEAD_AFTER_CHARS
            )
        except Exception:
            log.exception("analysis failed for %s", uri)
            if inputs is not None and not skipped:
                post("diagnosed", state, text, generation, inputs[0], [])
            return
        finally:
            del edited, dropped
        if len(text) > INLINE_MODEL_CHARS and model is not snap.model:
            # What the first hover, definition or references would otherwise build on the loop
            # (1.5 s at 20,000 stages), cached per model, built here right after the loop gets the
            # model: the lock is taken first, so a request meanwhile that needs an index is
            # answered ServerCancelled rather than building it on the loop (or beside this thread:
            # the indexes are filled in steps), and one that needs none is answered at once.
            with model.index_lock:
                post("model", state, text, model)
                try:
                    with collector_paused(len(text)):
                        # Completion reads only the document facts (0.1 s at 50,000 stages),
                        # and a request finds a built index without taking the lock: built
                        # first, completion is answered while the variable and stage-reference
                        # indexes (1 s there) are still being built.
                        document_facts(model)
                        if self.build_first_results is not None:
                            self.build_first_results(state, text, model, post)
                        # Each index only while the text is current: a keystroke meanwhile queued a
                        # job whose model its requests wait for, and this one's are not read.
                        for step in index_steps(model):
                            if state.text is not text:
                                break
                            step()
                except Exception:  # the request that needs them reports it
                    log.exception("navigation indexes failed for %s", uri)
        else:
            post("model", state, text, model)
        try:
            if self.build_results is not None:
                self.build_results(state, text, model, post)
            if inputs is not None and not skipped:
                self._rules_allowed.wait(RULES_PAUSE_LIMIT)
                progress = RulesProgress(post, state, text)

                def between_rules() -> None:
                    self._run_soon()
                    # Only for an edit (which queues a run for its version) or a close: new
                    # settings do not always queue one, and this run's findings are then kept.
                    if state.text is not text or core.documents.get(uri) is not state:
                        raise RulesOutdated

                try:
                    findings = core.config.diagnose_version(
                        uri, text, lambda: model, inputs, state.kept, progress, between_rules
                    )
                except RulesOutdated:
                    # An edit came (or a close): this run's findings would be dropped, and the
                    # run queued for the new version would wait for it (seconds, at 50,000 stages)
                    # to build the model its requests need. What the finished parts of the run
                    # kept (per RUN, per stage) the next run reuses.
                    log.debug("rules for %s stopped: the text or the settings changed", uri)
                    return
                except Exception:
                    log.exception("diagnostics failed for %s", uri)
                    findings = []
                finally:
                    progress.end()
                post("diagnosed", state, text, generation, inputs[0], findings)
        finally:
            state.return_lineage(model.parsed, model)
