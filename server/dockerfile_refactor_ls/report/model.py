"""What every output format is written from: one ``FileResult`` per checked file.

Findings are turned into ``Entry`` objects once, in the process that analysed the file (they are
plain, picklable data, so parallel workers can hand them back), with 1-based lines and columns
counted in Unicode code points, end columns exclusive (as SARIF counts them).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from ..engine.findings import Finding, Severity
from ..engine.text import LineIndex, PositionEncoding

# hadolint's level names, in its order (a lower number is more severe).
LEVELS = ("error", "warning", "info", "style")
_LEVEL_OF = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "info", Severity.HINT: "style"}


def level_name(severity: Severity | int) -> str:
    """hadolint's name for a severity: error, warning, info or style (the LSP's hint)."""
    return _LEVEL_OF.get(Severity(int(severity)), "info")


def clean(text: str) -> str:
    """``text`` with the lone surrogates of undecodable bytes shown as U+FFFD, so it can be printed
    and serialised whatever the file held."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").encode("utf-8", "replace").decode()


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace the region (1-based, end column exclusive) with ``text``."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True, slots=True)
class FixView:
    title: str
    safe: bool
    replacements: tuple[Replacement, ...]


@dataclass(slots=True)
class Entry:
    code: str
    level: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fixes: tuple[FixView, ...] = ()
    # Stable across runs and across edits elsewhere in the file (see ``fingerprints``).
    fingerprint: str = ""

    @property
    def fixable(self) -> bool:
        """True when ``--fix`` (and ``fix --all``) would apply one of its fixes."""
        return any(f.safe for f in self.fixes)


@dataclass(slots=True)
class FileResult:
    # The path as reports show it (``--stdin-filename``/``--file-path-in-report`` already applied).
    path: str
    entries: list[Entry] = field(default_factory=list)
    # The analysed text, for source excerpts; None when the file could not be read.
    text: str | None = None
    # Why the file could not be checked (unreadable, vanished); it then has no entries.
    error: str | None = None
    # Safe fixes applied by --fix, and the fixed text when it was not written to the file (stdin).
    fixed_count: int = 0
    fixed_text: str | None = None
    # Whether a finding reaches the file's failure threshold (its own configuration decides).
    failed: bool = False


@dataclass(slots=True)
class Stats:
    files: int = 0
    unreadable: int = 0
    findings: int = 0
    fixable: int = 0
    files_with_findings: int = 0
    fixed: int = 0
    by_level: Counter[str] = field(default_factory=Counter)

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.error is not None:
            self.unreadable += 1
        self.fixed += result.fixed_count
        if result.entries:
            self.files_with_findings += 1
        for e in result.entries:
            self.findings += 1
            self.by_level[e.level] += 1
            if e.fixable:
                self.fixable += 1


def entries_from_findings(text: str, findings: list[Finding], path: str) -> list[Entry]:
    """Entries for ``findings`` of ``text``, in the order given, with their fingerprints."""
    lines = LineIndex(text, PositionEncoding.UTF32)
    out: list[Entry] = []
    for f in findings:
        sl, sc, el, ec = _region(lines, f.span.start, f.span.end)
        fixes = tuple(
            FixView(
                clean(fx.title),
                fx.safe,
                tuple(Replacement(*_region(lines, e.span.start, e.span.end, keep_eol=True), clean(e.new_text)) for e in fx.edits),
            )
            for fx in f.fixes
        )
        out.append(Entry(f.code, level_name(f.severity), clean(f.message), sl, sc, el, ec, fixes))
    fingerprints(path, lines, findings, out)
    return out


def _region(lines: LineIndex, start: int, end: int, keep_eol: bool = False) -> tuple[int, int, int, int]:
    a = lines.position(start)
    b = lines.position(max(start, end))
    if not keep_eol and b.line > a.line and b.character == 0:
        # A span that ends with its line break ends on that line, not at the start of the next.
        b = lines.position(lines.line_end(b.line - 1))
    return a.line + 1, a.character + 1, b.line + 1, b.character + 1


def fingerprints(path: str, lines: LineIndex, findings: list[Finding], entries: list[Entry]) -> None:
    """Give each entry a fingerprint that survives re-runs and edits on other lines.

    It hashes the path, the code and the whitespace-normalised text of the lines the finding
    covers (not their numbers), plus how many identical (path, code, text) findings came before it.
    GitLab's Code Quality widget and GitHub code scanning match findings between a merge request's
    base and head by it, so a finding does not show as fixed-and-new when a line is added above it.
    """
    seen: Counter[tuple[str, str]] = Counter()
    for f, e in zip(findings, entries, strict=True):
        first = lines.line_of(f.span.start)
        last = max(first, e.end_line - 1)
        content = " ".join(" ".join(lines.line_text(i).split()) for i in range(first, min(last, first + 20) + 1))
        key = (e.code, content)
        n = seen[key]
        seen[key] += 1
        raw = "\0".join((path, e.code, content, str(n))).encode("utf-8", "surrogateescape")
        e.fingerprint = hashlib.sha256(raw).hexdigest()[:40]
