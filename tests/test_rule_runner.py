"""The rule runner re-checks only what an edit touched, and tells the rules so through their context.

A keystroke inside one RUN makes the runner hand ``per_run`` rules just that RUN through
``RuleContext.runs()``, and ``per_stage`` rules just the RUNs of the edited stage; the engine's
``iter_runs`` keeps yielding every RUN whatever the runner is doing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
from dockerfile_refactor_ls.engine.findings import Finding, Severity
from dockerfile_refactor_ls.engine.shell import iter_runs
from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding
from dockerfile_refactor_ls.rules import registry
from dockerfile_refactor_ls.rules.base import Rule, RuleContext

TEXT = """FROM alpine:3.20 AS build
RUN echo one
RUN echo two

FROM build AS second
RUN echo three
FROM alpine:3.20 AS third
RUN echo four
"""


class Spy:
    """Rules that report one finding per RUN they are handed and remember which RUNs those were."""

    def __init__(self) -> None:
        self.per_run: list[str] = []
        self.per_stage: list[str] = []
        self.engine_runs: list[int] = []

    def rules(self) -> tuple[Rule, ...]:
        def run_local(ctx: RuleContext) -> Iterator[Finding]:
            # The engine's answer does not depend on what the runner selected.
            self.engine_runs.append(sum(1 for _ in iter_runs(ctx.doc)))
            for _stage, ins, _script in ctx.runs():
                self.per_run.append(ins.original.strip())
                yield Finding("SpyRun", "run", ins.args_span, Severity.HINT)

        def stage_local(ctx: RuleContext) -> Iterator[Finding]:
            for _stage, ins, _script in ctx.runs():
                self.per_stage.append(ins.original.strip())
                yield Finding("SpyStage", "stage", ins.args_span, Severity.HINT)

        return (
            Rule("SpyRun", "spy-run", "", Severity.HINT, "test", run_local, per_run=True),
            Rule("SpyStage", "spy-stage", "", Severity.HINT, "test", stage_local, per_stage=True),
        )

    def reset(self) -> None:
        self.per_run.clear()
        self.per_stage.clear()
        self.engine_runs.clear()


def _findings(state: DocumentState) -> list[tuple[str, str]]:
    found = registry.run_rules(RuleContext(state.model, kept=state.kept))
    return sorted((f.code, state.text[f.span.start : f.span.end]) for f in found)


def _type(state: DocumentState, after: str, text: str) -> None:
    offset = state.text.index(after) + len(after)
    idx = LineIndex(state.text)
    state.apply_change(text, ChangeRange(idx.position(offset), idx.position(offset)))


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    spy = Spy()
    monkeypatch.setattr(registry, "all_rules", spy.rules)
    return spy


def test_a_keystroke_in_one_run_rechecks_only_that_run(spy: Spy) -> None:
    state = DocumentState("untitled:Dockerfile", TEXT, 1, PositionEncoding.UTF16)
    first = _findings(state)
    assert spy.per_run == ["RUN echo one", "RUN echo two", "RUN echo three", "RUN echo four"]
    assert spy.per_stage == spy.per_run
    spy.reset()

    _type(state, "echo two", "!")
    found = _findings(state)
    assert spy.per_run == ["RUN echo two!"]
    # The stage edited and the stage built on it; the third stage builds on neither.
    assert spy.per_stage == ["RUN echo one", "RUN echo two!", "RUN echo three"]
    assert spy.engine_runs == [4]
    # Kept findings (moved by the inserted character) with the fresh one equal a full re-check.
    assert found == [(c, t.replace("echo two", "echo two!")) for c, t in first]
    assert found == _findings(DocumentState("untitled:Other", state.text, 1, PositionEncoding.UTF16))


def test_an_edit_outside_every_run_rechecks_no_run(spy: Spy) -> None:
    state = DocumentState("untitled:Dockerfile", TEXT, 1, PositionEncoding.UTF16)
    first = _findings(state)
    spy.reset()
    # Inside the blank line between two stages: no instruction changes, the later ones move.
    _type(state, "echo two\n", "# a comment")
    assert _findings(state) == first
    assert spy.per_run == []
    # Only the first stage's own text changed (not its RUNs); the stage built on it is the same
    # instruction objects with the same text, so its findings are kept.
    assert spy.per_stage == ["RUN echo one", "RUN echo two"]


def test_the_runner_keeps_its_results_off_engine_objects_and_prunes_them() -> None:
    from dockerfile_refactor_ls.rules.analysis import diagnose

    state = DocumentState("untitled:Dockerfile", TEXT, 1, PositionEncoding.UTF16)
    diagnose(state.model, kept=state.kept)
    for _ in range(40):  # each keystroke re-creates the RUN it lands in
        _type(state, "echo two", "x")
        diagnose(state.model, kept=state.kept)
    runner_slots = {"run-findings", "stage-findings", "chain-identity", "uid", "shellcheck", "secrets"}
    assert all(not runner_slots & set(ins.cache) for ins in state.model.instructions)
    kept_runs = state.kept.slot("run-findings")
    live = state.model.instructions
    assert {ins for _stage, ins, _script in iter_runs(state.model)} <= set(kept_runs)
    # 40 dead versions of the edited RUN were dropped once they outnumbered the live instructions.
    assert len(kept_runs) <= 2 * len(live) + 16


def test_a_second_run_on_the_same_model_runs_only_rules_whose_outside_state_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The secrets detector or ShellCheck's results arriving re-diagnose the unchanged model: only
    the rule that reads that state runs again (a whole run took seconds at 50,000 stages)."""
    calls: list[str] = []
    outside = {"results": 0}

    def whole(ctx: RuleContext) -> Iterator[Finding]:
        calls.append("whole")
        yield Finding("SpyWhole", "whole", ctx.doc.instructions[0].span, Severity.HINT)

    def reads_outside(ctx: RuleContext) -> Iterator[Finding]:
        calls.append("outside")
        for ins in ctx.doc.instructions[: outside["results"]]:
            yield Finding("SpyOutside", "outside", ins.span, Severity.HINT)

    def per_run(ctx: RuleContext) -> Iterator[Finding]:
        calls.append("per_run")
        for _stage, ins, _script in ctx.runs():
            yield Finding("SpyRun", "run", ins.args_span, Severity.HINT)

    rules = (
        Rule("SpyWhole", "spy-whole", "", Severity.HINT, "test", whole),
        Rule("SpyOutside", "spy-outside", "", Severity.HINT, "test", reads_outside,
             outside_state=lambda: outside["results"]),
        Rule("SpyRun", "spy-run", "", Severity.HINT, "test", per_run, per_run=True),
    )
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    state = DocumentState("untitled:Dockerfile", TEXT, 1, PositionEncoding.UTF16)

    def codes(options: dict[str, object] | None = None) -> list[str]:
        ctx = RuleContext(state.model, kept=state.kept, options=options or {})
        return sorted(f.code for f in registry.run_rules(ctx))

    first = codes()
    assert calls == ["whole", "outside", "per_run"] and "SpyOutside" not in first
    calls.clear()
    assert codes() == first and calls == []  # nothing changed: no rule runs
    calls.clear()
    outside["results"] = 2
    assert codes() == sorted([*first, "SpyOutside", "SpyOutside"]) and calls == ["outside"]
    calls.clear()
    # Other options, or a new model (a keystroke), run every rule that is not kept per RUN.
    codes({"strict_labels": True})
    assert calls == ["whole", "outside", "per_run"]
    calls.clear()
    _type(state, "echo two", "!")
    codes({"strict_labels": True})
    assert calls == ["whole", "outside", "per_run"]
