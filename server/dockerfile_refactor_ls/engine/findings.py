"""What rules and refactors produce: findings, fixes and text edits, in document offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from .text import Span


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
    title: str
    edits: list[Edit]
    # Safe fixes keep the build's meaning and may run unattended (source.fixAll, `fix --all`).
    safe: bool = True
    kind: str = "quickfix"
    preferred: bool = False


@dataclass(slots=True)
class Finding:
    code: str
    message: str
    span: Span
    severity: Severity
    fixes: list[Fix] = field(default_factory=list)
    unnecessary: bool = False
    deprecated: bool = False
    # Code action kinds (refactorings) that resolve this finding; the LSP layer offers them.
    refactors: tuple[str, ...] = ()
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


def fix_all_edits(findings: list[Finding]) -> list[Edit]:
    """The first safe fix of every finding, skipping fixes that would collide with one already taken."""
    chosen: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for f in findings:
        for fx in f.fixes:
            if not fx.safe:
                continue
            spans = [(e.span.start, e.span.end) for e in fx.edits]
            if any(_collide(a, b, c, d) for a, b in spans for c, d in taken):
                continue
            chosen += fx.edits
            taken += spans
            break
    return chosen


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
        [Fix(x.title, [Edit(sp(e.span), e.new_text) for e in x.edits], x.safe, x.kind, x.preferred) for x in f.fixes],
        f.unnecessary,
        f.deprecated,
        f.refactors,
        f.also,
    )
