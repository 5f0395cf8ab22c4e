"""The rule interface: each rule module defines ``RULE`` and a ``check`` function.

A rule's module docstring is its documentation, in ruff's shape ("## What it does", "## Why is this
bad?", "## Example", "## Fix"); ``scripts/gen_rule_docs.py`` renders it to ``docs/rules/<code>.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..engine.findings import Finding, Severity
from ..engine.model import Dockerfile, Stage

DOCS_BASE_URL = "https://github.com/dockerfile-refactor-ls/dockerfile-refactor-ls/blob/main/docs/rules/"


@dataclass(slots=True)
class RuleContext:
    doc: Dockerfile
    # Files of the workspace a rule may read (only .dockerignore for now), already loaded by the
    # caller so that rules stay pure.
    dockerignore: str | None = None
    options: dict[str, object] = field(default_factory=dict)
    # The stages a ``per_stage`` rule reports on: all of them (None), or the few whose findings
    # the runner does not keep from an earlier version (see registry.run_rules).
    only_stages: list[Stage] | None = None

    def stages(self) -> list[Stage]:
        """The stages to report on; rules marked ``per_stage`` iterate these, not ``doc.stages``."""
        return self.doc.stages if self.only_stages is None else self.only_stages


CheckFn = Callable[[RuleContext], Iterable[Finding]]


@dataclass(slots=True)
class Rule:
    code: str
    name: str  # a short kebab-case title
    summary: str  # one line, for listings
    severity: Severity
    origin: str  # "buildkit", "hadolint" or "dockerfile-refactor-ls"
    check: CheckFn
    doc: str = ""
    module: str = ""
    # True when the findings for a RUN depend only on that RUN instruction (its text, flags and
    # heredocs). The runner then keeps them on the instruction and re-runs the rule only for RUNs
    # an edit touched (see registry.run_rules).
    per_run: bool = False
    # True when the findings located in a stage depend only on the instructions of that stage and
    # of the stages it is built on (``FROM <stage>``), plus the document's FROM, SHELL and global
    # ARG instructions; and the rule walks stages through ``ctx.stages()`` and RUNs through
    # ``iter_runs``. The runner then keeps the findings per stage and re-runs the rule only for
    # stages an edit touched.
    per_stage: bool = False
    # BuildKit checks: off unless ``# check=experimental=<code>`` (or ``all``) enables it.
    experimental: bool = False
    # BuildKit checks that BuildKit runs over the whole file rather than while dispatching one
    # instruction: a ``# check=`` comment above the instruction does not silence them.
    file_scoped: bool = False

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}.md"

    def finding(
        self, span: object, message: str, severity: Severity | None = None, **kw: object
    ) -> Finding:
        from ..engine.text import Span

        assert isinstance(span, Span)
        return Finding(self.code, message, span, severity or self.severity, **kw)  # type: ignore[arg-type]
