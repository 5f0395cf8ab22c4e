"""What rules and refactors produce: findings, fixes and text edits, in document offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from .text import Span

if TYPE_CHECKING:
    from .model import Dockerfile


class Severity(IntEnum):
    # Same numbers as the LSP's DiagnosticSeverity.
    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @classmethod
    def parse(cls, name: str) -> Severity | None:
        return {
            "error": cls.ERROR,
            "warning": cls.WARNING,
            "info": cls.INFORMATION,
            "information": cls.INFORMATION,
            "hint": cls.HINT,
            "style": cls.HINT,
        }.get(name.strip().lower())


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of the document with ``new_text``."""

    span: Span
    new_text: str


@dataclass(slots=True)
class Fix:
    """A quick fix. Two safety levels (docs/fixes.md):

    - ``safe``: keeps what the build does (the same stages, instructions, commands, files other
      stages read, and what the container runs): spelling and casing, metadata forms, flags that
      only quiet output or skip a cache, an instruction BuildKit would reject made valid. Applied
      unattended by ``source.fixAll``, ``fix --all`` and ``check --fix``, unless ``drops`` says
      what the fix removes and another stage (or a later instruction) reads it;
    - not safe (``safe=False``): may change what the image contains or how it runs; offered as a
      quick fix only, for the user to review.
    """

    title: str
    edits: list[Edit]
    safe: bool = True
    kind: str = "quickfix"
    preferred: bool = False
    # Paths the fix stops writing or deletes (a package manager's cache): the fix is unsafe where
    # another stage reads them (COPY --from, RUN --mount from=, FROM), or a later instruction of
    # the stage or of a stage built on it names them or one of ``read_by``.
    drops: tuple[str, ...] = ()
    read_by: tuple[str, ...] = ()


@dataclass(slots=True)
class Finding:
    code: str
    message: str
    span: Span
    severity: Severity
    fixes: list[Fix] = field(default_factory=list)
    unnecessary: bool = False
    deprecated: bool = False
    # A refactoring resolves this finding (the one whose ``resolves`` names this code): the LSP layer
    # offers it as a quick fix. The rule only says whether this occurrence is one the refactoring
    # handles; which refactoring that is, the refactoring declares, so rules never name refactorings.
    refactorable: bool = False
    # Other codes this finding stands for (the hadolint twin of a BuildKit check, DL3024 for
    # DuplicateStageName): shown after the message, which stays the upstream text word for word.
    also: tuple[str, ...] = ()

    @property
    def shown_message(self) -> str:
        return f"{self.message} (also hadolint {', '.join(self.also)})" if self.also else self.message


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if e.span.start < pos:
            raise ValueError("overlapping edits")
        out.append(text[pos : e.span.start])
        out.append(e.new_text)
        pos = e.span.end
    out.append(text[pos:])
    return "".join(out)


def fix_all_edits(findings: list[Finding], doc: Dockerfile | str | None = None) -> list[Edit]:
    """The first safe fix of every finding, skipping fixes that would collide with one already taken.

    ``doc`` (the document or its text) is needed to judge fixes that drop something another stage
    may read; without it they are left out.
    """
    chosen: list[Edit] = []
    taken: list[tuple[int, int]] = []
    model: Dockerfile | None = None
    for f in findings:
        for fx in f.fixes:
            if not fx.safe:
                continue
            if fx.drops or fx.read_by:
                if doc is None:
                    continue
                if model is None:
                    from .model import Dockerfile as _Dockerfile

                    model = doc if isinstance(doc, _Dockerfile) else _Dockerfile(doc)
                if _read_elsewhere(model, fx):
                    continue
            spans = [(e.span.start, e.span.end) for e in fx.edits]
            if any(_collide(a, b, c, d) for a, b in spans for c, d in taken):
                continue
            chosen += fx.edits
            taken += spans
            break
    return chosen


def _read_elsewhere(doc: Dockerfile, fx: Fix) -> bool:
    from .stage_reads import reads_from

    at = min(e.span.start for e in fx.edits) if fx.edits else 0
    stage = doc.stage_at(at)
    return stage is not None and reads_from(doc, stage, fx.drops, fx.read_by, after=at)


def _collide(a: int, b: int, c: int, d: int) -> bool:
    # Overlapping ranges, or two insertions at one point (their order would be ambiguous).
    return (a < d and c < b) or (a == b == c == d)


def shifted(f: Finding, d: int) -> Finding:
    """A copy of ``f`` for text that moved by ``d`` characters."""

    def sp(span: Span) -> Span:
        return Span(span.start + d, span.end + d)

    return Finding(
        f.code,
        f.message,
        sp(f.span),
        f.severity,
        [Fix(x.title, [Edit(sp(e.span), e.new_text) for e in x.edits], x.safe, x.kind, x.preferred, x.drops, x.read_by)
         for x in f.fixes],
        f.unnecessary,
        f.deprecated,
        f.refactorable,
        f.also,
    )
