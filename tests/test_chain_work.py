"""The rules' work on a ``FROM <previous stage>`` chain grows linearly with its length.

Counted, not timed: the stage-chain memo's ``steps`` (answers computed from a stage's own
instructions, rules/chains.py) and the Python function calls of one analysis (cProfile), which do
not depend on the machine's load. A rule that walks the chain again for every stage or every
instruction makes both grow with the square of the length: 2N stages then cost about 4x N's.
"""

from __future__ import annotations

import cProfile
import pstats

from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.rules.base import RuleContext
from dockerfile_refactor_ls.rules.registry import all_rules, run_rules

# ShellCheck runs an external program; its Python side asks the same chain index (declares) that
# the other rules do, and its batches are covered by its own tests.
ENABLED = frozenset(r.code for r in all_rules() if r.code != "ShellCheck")
N = 150
# Linear growth doubles the work; a quadratic walk would quadruple the chain-dependent part. The
# slack covers the fixed cost (rule set-up, the first stage) not being exactly proportional.
SLACK = 2.2


def chain(stages: int) -> str:
    """Each stage built on the one before, with an ARG, an ENV that reads it and a RUN that reads
    both (and runs wget, which asks for the chain's root image)."""
    lines = ["FROM debian:12 AS s0"]
    for i in range(1, stages):
        lines += [
            f"FROM s{i - 1} AS s{i}",
            f"ARG A{i}=1",
            f"ENV E{i}=$A{i}",
            f"RUN wget https://example.com/f{i} && echo $A{i} $E{i} > /f{i}",
        ]
    return "\n".join(lines) + "\n"


def work(stages: int) -> tuple[int, int]:
    """(stage-chain steps, Python function calls) of one full analysis of ``chain(stages)``."""
    text = chain(stages)
    profile = cProfile.Profile()
    profile.enable()
    ctx = RuleContext(Dockerfile(text))
    findings = run_rules(ctx, ENABLED)
    profile.disable()
    assert not [f for f in findings if f.code == "UndefinedVar"], "the chain declares every name it uses"
    steps = ctx.chains().steps
    calls = int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]  # untyped in typeshed
    return steps, calls


def test_chain_steps_grow_linearly_with_the_chain() -> None:
    small, _ = work(N)
    large, _ = work(2 * N)
    # The chain answers are asked for at all (so the bound below is not 0 <= 0) ...
    assert small >= N
    # ... and each stage's answer is computed once per question, not once per stage below it.
    assert large <= SLACK * small, (small, large)


def test_analysis_calls_grow_linearly_with_the_chain() -> None:
    _, small = work(N)
    _, large = work(2 * N)
    assert large <= SLACK * small, (small, large)


def _hover_calls(stages: int) -> int:
    """Python calls of the first hover on a FROM halfway down the chain (it builds the variable
    index: every ``$A<i>`` resolved to its declaration)."""
    from dockerfile_refactor_ls.engine.hover import hover

    text = chain(stages)
    doc = Dockerfile(text)
    at = text.index(f"FROM s{stages // 2 - 1} ") + 1
    profile = cProfile.Profile()
    profile.enable()
    hover(doc, at)
    profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]  # untyped in typeshed


def test_hover_calls_grow_linearly_with_the_chain() -> None:
    # Each variable use walked up the chain looking for an inherited ENV: 2,000 stages made 4
    # million calls, and a hover on 50,000 stages did not finish in 10 minutes.
    small = _hover_calls(N)
    large = _hover_calls(2 * N)
    assert large <= SLACK * small, (small, large)


def _index_calls(stages: int) -> int:
    """Python calls of building the variable index of ``stages`` unrelated stages that all set and
    read PATH (the shape of tests/reliability's big_file), plus a short ``FROM <stage>`` branch
    that inherits it, so the inherited lookup is asked both ways."""
    from dockerfile_refactor_ls.engine.navigation import variable_index

    lines: list[str] = []
    for i in range(stages):
        lines += [f"FROM python:3.11-slim AS b{i}", f"ENV PATH=/opt/v{i}/bin:$PATH", f"RUN echo $PATH {i}"]
        if i % 10 == 0:
            lines += [f"FROM b{i} AS c{i}", f"RUN echo $PATH c{i}"]
    doc = Dockerfile("\n".join(lines) + "\n")
    profile = cProfile.Profile()
    profile.enable()
    variable_index(doc)
    profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]  # untyped in typeshed


def test_variable_index_calls_grow_linearly_with_stages_setting_one_env() -> None:
    # Every use of $PATH scanned every stage that sets PATH for the nearest ancestor: 10 MB of such
    # stages took 221 s to index (the first hover, or the analysis thread before any request).
    small = _index_calls(10 * N)
    large = _index_calls(20 * N)
    assert large <= SLACK * small, (small, large)
