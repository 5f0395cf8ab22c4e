"""A long rules run gives way: between two rules the analysis thread runs what a waiting request
submitted, and a run whose text an edit has replaced stops there.

At 50,000 stages a rules run lasts 8-30 s; before, an outline asked for meanwhile waited for the
whole run (8.5 s after a re-diagnosis), and the model of the next keystroke's version too.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from dockerfile_refactor_ls.analysis_thread import Analyser
from dockerfile_refactor_ls.core import Core
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.rules.analysis import diagnose
from dockerfile_refactor_ls.rules.registry import all_rules

from .reliability.adversarial import stages

URI = "file:///tmp/drls-yield/Dockerfile"
# Rules over 3,000 chained stages take about a second: long enough to act in the middle of.
STAGES = 3_000


def test_the_runner_calls_back_after_every_rule_and_lets_its_exception_through() -> None:
    calls = [0]

    def count() -> None:
        calls[0] += 1

    diagnose(Dockerfile("FROM alpine:3.20\nRUN apk add curl\n"), between_rules=count)
    assert calls[0] >= len(all_rules())

    class Stop(Exception):
        pass

    def stop() -> None:
        raise Stop

    with pytest.raises(Stop):  # not taken for a failing rule (those are logged and skipped)
        diagnose(Dockerfile("FROM alpine:3.20\n"), between_rules=stop)


def _started(text: str) -> tuple[Core, Analyser, list[tuple[float, str, tuple[Any, ...]]]]:
    core = Core()
    core.open(URI, text, 1, "dockerfile")
    analyser = Analyser(core)
    events: list[tuple[float, str, tuple[Any, ...]]] = []
    modelled = threading.Event()

    def deliver(kind: str, args: tuple[Any, ...]) -> None:
        events.append((time.monotonic(), kind, args))
        if kind == "model":
            modelled.set()

    analyser.outbox.deliver_to(deliver)
    analyser.analyse(URI)
    assert modelled.wait(60)
    return core, analyser, events


def _wait(what: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_submitted_job_runs_between_two_rules_not_after_the_run() -> None:
    _core, analyser, events = _started(stages(STAGES))
    ran: list[float] = []
    try:
        analyser.submit(lambda post: ran.append(time.monotonic()))
        _wait(lambda: any(kind == "diagnosed" for _t, kind, _a in events))
        diagnosed_at = next(t for t, kind, _a in events if kind == "diagnosed")
        assert ran and ran[0] < diagnosed_at
        findings = next(a for _t, kind, a in events if kind == "diagnosed")[4]
        assert findings, "the run went on to the end after the job"
    finally:
        analyser.stop()


def test_an_edit_stops_the_run_of_the_old_text_and_the_new_one_is_diagnosed() -> None:
    old = stages(STAGES)
    core, analyser, events = _started(old)
    try:
        state = core.documents.get(URI)
        assert state is not None
        new = old + "FROM scratch\n"
        edited_at = time.monotonic()
        core.change(URI, 2, [(new, None)])
        analyser.analyse(URI)
        _wait(lambda: any(kind == "diagnosed" and a[1] is new for _t, kind, a in events))
        assert not any(kind == "diagnosed" and a[1] is old for _t, kind, a in events), "the old run was not stopped"
        models = [t for t, kind, a in events if kind == "model" and a[1] is new]
        assert models and models[0] > edited_at
    finally:
        analyser.stop()
