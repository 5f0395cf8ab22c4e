"""Answers about stage chains (a stage and the stages it is built ``FROM``), remembered for one analysis.

Rules ask, for every stage, things such as "does a parent stage set a WORKDIR?" or "which stage
does this chain start from?". Walking the chain for each stage is quadratic on a long chain
(``FROM s1 AS s2``, ``FROM s2 AS s3``, ...: 2,000 stages made four rules walk 2 million parents).
Here each answer is computed once per stage from its base stage's answer, so one analysis costs
O(stages) whatever the depth. The runner creates one :class:`StageChains` per analysis
(``RuleContext.chains()``): nothing is kept on engine objects, so an edit can never leave a stale
answer behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..engine.images import StageForest
from ..engine.images import base_stage as _resolved_base
from ..engine.model import Dockerfile, Stage

T = TypeVar("T")


class StageChains:
    def __init__(self, doc: Dockerfile) -> None:
        self.doc = doc
        # (key, via_args) -> {id(stage): answer}
        self._memo: dict[tuple[object, bool], dict[int, object]] = {}
        self._bases: dict[int, Stage | None] = {}
        # How many times an answer was computed from a stage's own instructions: the work the
        # memo saves is measured by tests in these units (tests/test_chain_work.py).
        self.steps = 0
        self._forest: StageForest | None = None
        self._declarers: dict[str, list[Stage]] | None = None

    def base(self, stage: Stage, via_args: bool = True) -> Stage | None:
        """The stage ``stage`` is built on; ``via_args`` also follows names that only appear once
        global ARGs are substituted (``FROM ${BASE}``), as :func:`engine.images.base_stage`."""
        if not via_args:
            return stage.base_stage
        key = id(stage)
        if key not in self._bases:
            self._bases[key] = _resolved_base(stage, self.doc)
        return self._bases[key]

    def fold(
        self,
        stage: Stage,
        key: object,
        own: Callable[[Stage], T],
        combine: Callable[[T, T], T],
        via_args: bool = True,
    ) -> T:
        """``combine(own(stage), fold(base))`` up the chain (``own(root)`` at its start), each
        stage's answer computed once per ``key``. Iterative: 50,000 stages deep is no recursion."""
        memo = self._memo.setdefault((key, via_args), {})
        got = memo.get(id(stage))
        if got is not None or id(stage) in memo:
            return got  # type: ignore[return-value]
        path: list[Stage] = []
        on_path: set[int] = set()
        st: Stage | None = stage
        above: T | None = None
        found = False
        while st is not None and id(st) not in on_path:
            if id(st) in memo:
                above, found = memo[id(st)], True  # type: ignore[assignment]
                break
            path.append(st)
            on_path.add(id(st))
            st = self.base(st, via_args)
        for s in reversed(path):
            self.steps += 1
            mine = own(s)
            value = combine(mine, above) if found else mine  # type: ignore[arg-type]
            memo[id(s)] = value
            above, found = value, True
        return memo[id(stage)]  # type: ignore[return-value]

    def parents_have(self, stage: Stage, cmd: str, via_args: bool = True) -> bool:
        """Whether a stage ``stage`` is built on (not ``stage`` itself) has a ``cmd`` instruction."""
        base = self.base(stage, via_args)
        if base is None:
            return False
        return self.fold(
            base, ("has", cmd), lambda s: any(i.cmd == cmd for i in s.instructions), lambda a, b: a or b, via_args
        )

    def root(self, stage: Stage, via_args: bool = True) -> Stage:
        """The first stage of the chain: the one that names an image (or cannot be followed)."""
        return self.fold(stage, "root", lambda s: s, lambda _mine, above: above, via_args)

    def declares(self, stage: Stage, name: str) -> bool:
        """Whether ``stage`` or a stage it is built on (``FROM <stage>``, as written) has an ARG
        or ENV called ``name``: a lookup in an index of declarations, not a walk up the chain."""
        if self._declarers is None or self._forest is None:
            self._index()
        assert self._declarers is not None and self._forest is not None
        return any(self._forest.in_chain(stage, self._declarers.get(name, ()), include_self=True))

    def _index(self) -> None:
        """Who declares each name, and the "built on" forest, so that "is an ancestor of" is two
        comparisons."""
        stages = self.doc.stages
        forest = StageForest(stages)
        declarers: dict[str, list[Stage]] = {}
        for st in stages:
            for d in st.args + st.envs:
                lst = declarers.setdefault(d.name, [])
                if not lst or lst[-1] is not st:
                    lst.append(st)
        self._forest, self._declarers = forest, declarers

    def names(self) -> set[str]:
        """Every ARG and ENV name declared in some stage."""
        if self._declarers is None:
            self._index()
        assert self._declarers is not None
        return set(self._declarers)
