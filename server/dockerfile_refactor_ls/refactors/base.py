"""The refactoring interface: one module per refactoring in this package, each defining ``REFACTORING``.

A refactoring is a pure function from a parsed document (and the span the user is looking at) to a
list of minimal edits, or None where it does not apply. The language server offers it as a code
action of ``kind``; the CLI runs it with ``fix --action <name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine.findings import Edit
from ..engine.model import Dockerfile
from ..engine.text import Span


@dataclass(slots=True)
class RefactorResult:
    title: str
    edits: list[Edit]


PlanFn = Callable[[Dockerfile, Span | None], RefactorResult | None]


@dataclass(slots=True)
class Refactoring:
    name: str  # CLI name, e.g. "splitStages"
    kind: str  # LSP code action kind, e.g. "refactor.rewrite.splitStages"
    title: str
    plan: PlanFn
    doc: str = ""
