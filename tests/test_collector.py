"""The cyclic collector around big documents: a dropped model frees itself by refcounts, what a
pause allocates is frozen, and the frozen garbage is reclaimed only when the process has grown.

At 50,000 stages a full collection walks the heap for 1.6-3.5 s with the GIL held; these are the
properties that keep such collections off the keystroke path (docs/reliability.md)."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator

import pytest

from dockerfile_refactor_ls import analysis_thread, documents
from dockerfile_refactor_ls.engine.model import Dockerfile, Stage, VarDecl, reusable_stages
from dockerfile_refactor_ls.engine.navigation import stage_refs, variable_index
from dockerfile_refactor_ls.engine.parser import ParseResult, parse, parse_incremental

TEXT = """ARG BASE=alpine
FROM ${BASE} AS base
ARG V=1
ENV PATH=/opt/bin:$PATH
RUN echo $V
FROM base AS next
ENV W=$PATH
COPY --from=base /a /b
RUN echo $W
"""


@pytest.fixture()
def collector_quiet() -> Iterator[None]:
    """No automatic collection during the test, no debug flags or frozen objects after it."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def test_a_dropped_model_leaves_no_garbage_cycles(collector_quiet: None) -> None:
    doc = Dockerfile(TEXT)
    variable_index(doc)
    stage_refs(doc)
    assert doc.stages[0].args and doc.stages[1].envs  # the stage <-> declaration links exist
    stages = len(doc.stages)
    del doc
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    left = [o for o in gc.garbage if isinstance(o, (Dockerfile, Stage, VarDecl))]
    assert stages == 2 and left == []


def test_a_live_model_keeps_its_declarations(collector_quiet: None) -> None:
    doc = Dockerfile(TEXT)
    gc.collect()
    assert [d.name for d in doc.stages[0].args] == ["V"]
    assert [d.name for d in doc.stages[1].envs] == ["W"]


def test_a_pause_freezes_what_it_allocated(collector_quiet: None) -> None:
    gc.enable()
    before = gc.get_freeze_count()
    with documents.collector_paused(documents.GC_PAUSE_CHARS):
        assert not gc.isenabled()
        kept = [[i] for i in range(10_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    with documents.collector_paused(documents.GC_PAUSE_CHARS - 1):
        assert gc.isenabled()  # a small document: no pause, nothing frozen


def test_frozen_garbage_is_reclaimed_once_the_process_has_grown(
    collector_quiet: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    gc.enable()
    resident = [100 * 2**20]
    monkeypatch.setattr(documents, "_resident_bytes", lambda: resident[0])
    monkeypatch.setattr(documents, "_resident_after_reclaim", None)
    assert not documents.reclaim_frozen_garbage()  # the first call notes the size

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle only the collector can free
    freed = threading.Event()
    ref = weakref.ref(a)
    weakref.finalize(a, freed.set)
    with documents.collector_paused(documents.GC_PAUSE_CHARS):
        pass  # frozen with the pause's objects
    del a, b
    gc.collect()
    assert ref() is not None  # frozen: collections skip it

    resident[0] = 100 * 2**20 + documents.RECLAIM_MIN_GROWTH_BYTES  # grown, but not past the bar
    assert not documents.reclaim_frozen_garbage()
    assert ref() is not None
    resident[0] = 100 * 2**20 + documents.RECLAIM_MIN_GROWTH_BYTES + 1
    assert documents.reclaim_frozen_garbage()
    assert ref() is None and freed.is_set()
    gc.disable()
    with documents.collector_paused(documents.GC_PAUSE_CHARS):
        pass
    assert not documents.reclaim_frozen_garbage()  # collector paused (another thread's pause)


def test_idle_work_waits_for_a_pause_in_the_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    idle = 1.0
    monkeypatch.setattr(analysis_thread, "IDLE_SECONDS", idle)
    idle_at: list[float] = []
    done: list[float] = []
    worker = analysis_thread.AnalysisWorker(when_idle=lambda: idle_at.append(time.monotonic()))
    try:
        for _ in range(5):  # keystrokes 50 ms apart
            worker.submit(lambda: done.append(time.monotonic()))
            time.sleep(0.05)
        deadline = time.monotonic() + 10
        while not idle_at and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(done) == 5 and len(idle_at) == 1
        # Only after IDLE_SECONDS without a job (a loaded machine may stretch the gaps above, never
        # shorten this one).
        assert idle_at[0] - done[-1] >= idle
        time.sleep(1.5 * idle)
        assert len(idle_at) == 1  # once per pause, not every IDLE_SECONDS
        worker.submit(lambda: done.append(time.monotonic()))
        deadline = time.monotonic() + 10
        while len(idle_at) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(idle_at) == 2 and idle_at[1] - done[-1] >= idle
    finally:
        worker.stop()


CHAIN = "".join(f"FROM alpine AS s{k}\nARG V{k}=1\nENV W{k}=2\nRUN echo {k}\n" for k in range(6))


def _edited_prefix_model(text: str) -> tuple[Dockerfile, Dockerfile]:
    """The model of a version and the model of the next version's prefix that took its stages."""
    prev = parse(text)
    old = Dockerfile(text, parsed=prev)
    at = text.index("echo 3") + 6
    prefixes: list[ParseResult] = []
    parse_incremental(prev, text[:at] + "x" + text[at:], at, at, at + 1, on_prefix=prefixes.append)
    (prefix,) = prefixes
    model = Dockerfile(prefix.text, parsed=prefix, reuse=reusable_stages(old, prefix))
    assert model.reused_stages == 3
    return old, model


@pytest.mark.parametrize("first_gone", ["old", "prefix"])
def test_models_sharing_stages_keep_them_until_both_are_gone(collector_quiet: None, first_gone: str) -> None:
    old, prefix = _edited_prefix_model(CHAIN)
    shared = prefix.stages[:3]
    assert all(a is b for a, b in zip(shared, old.stages, strict=False))
    if first_gone == "old":
        del old
        survivor = prefix
    else:
        del prefix
        survivor = old
    gc.collect()
    # The one left still reads the shared stages' declarations.
    assert [d.name for d in survivor.stages[1].args] == ["V1"]
    assert [d.name for d in survivor.stages[2].envs] == ["W2"]
    del survivor, shared
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    left = [o for o in gc.garbage if isinstance(o, (Dockerfile, Stage, VarDecl))]
    assert left == []
