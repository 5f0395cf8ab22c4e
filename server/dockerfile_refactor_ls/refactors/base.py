"""The refactoring interface: one module per refactoring in this package, each defining ``REFACTORING``.

A refactoring is a pure function from a parsed document (and the span the user is looking at) to a
list of minimal edits, or None where it does not apply. Where it can say why it does not apply it
raises ``NotApplicable(reason)`` instead of returning None, so the CLI can print the reason and the
language server can return the action disabled with that reason. The language server offers it as a
code action of ``kind``; the CLI runs it with ``fix --action <name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine.findings import Edit
from ..engine.model import Dockerfile
from ..engine.not_applicable import NotApplicable as NotApplicable  # re-exported: the engine defines it
from ..engine.text import Span


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file the refactoring creates beside the Dockerfile (``path`` is absolute, on disk)."""

    path: str
    text: str


@dataclass(slots=True)
class RefactorResult:
    title: str
    edits: list[Edit]
    # Files to create (addDockerignore): the language server sends them as CreateFile operations,
    # only to clients that support them; the CLI writes them with --write.
    new_files: list[NewFile] = field(default_factory=list)


PlanFn = Callable[[Dockerfile, Span | None], RefactorResult | None]


@dataclass(slots=True)
class Refactoring:
    kind: str  # LSP code action kind, e.g. "refactor.rewrite.splitStages"
    title: str
    plan: PlanFn
    doc: str = ""
    # Diagnostic codes whose findings (when marked ``refactorable``) this refactoring resolves; the
    # code-action feature offers it as their quick fix.
    resolves: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The CLI name (``fix --action splitStages``): the kind's last part, so the two cannot
        drift apart."""
        return self.kind.rsplit(".", 1)[-1]
