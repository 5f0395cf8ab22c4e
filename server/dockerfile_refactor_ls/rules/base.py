"""The rule interface: each rule module defines ``RULE`` and a ``check`` function.

A rule's module docstring is its documentation, in ruff's shape ("## What it does", "## Why is this
bad?", "## Example", "## Fix"); ``scripts/gen_rule_docs.py`` renders it to ``docs/rules/<code>.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..engine.findings import Finding, Severity
from ..engine.model import Dockerfile

DOCS_BASE_URL = "https://github.com/dockerfile-refactor-ls/dockerfile-refactor-ls/blob/main/docs/rules/"


@dataclass(slots=True)
class RuleContext:
    doc: Dockerfile
    # Files of the workspace a rule may read (only .dockerignore for now), already loaded by the
    # caller so that rules stay pure.
    dockerignore: str | None = None
    options: dict[str, object] = field(default_factory=dict)


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

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}.md"

    def finding(
        self, span: object, message: str, severity: Severity | None = None, **kw: object
    ) -> Finding:
        from ..engine.text import Span

        assert isinstance(span, Span)
        return Finding(self.code, message, span, severity or self.severity, **kw)  # type: ignore[arg-type]
