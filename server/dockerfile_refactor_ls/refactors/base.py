"""The refactoring interface: one module per refactoring in this package, each defining ``REFACTORING``.

A refactoring is a pure function from a parsed document (and the span the user is looking at) to a
list of minimal edits, or None where it does not apply. Where it can say why it does not apply it
raises ``NotApplicable(reason)`` instead of returning None, so the CLI can print the reason and the
language server can return the action disabled with that reason. The language server offers it as a
code action of ``kind``; the CLI runs it with ``fix --action <name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine.findings import Edit
from ..engine.model import Dockerfile
from ..engine.text import Span


class NotApplicable(Exception):
    """Raised by a plan function that does not apply, with one line saying why (shown to the user)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
