"""The terminal view, after ruff's: a header line per finding, the source with the range underlined,
the fix on offer, and a summary line."""

from __future__ import annotations

import unicodedata

from ..engine.text import LineIndex, PositionEncoding
from .base import Reporter
from .model import Entry, FileResult, Stats, clean

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_CYAN = "\x1b[36m"
_BLUE = "\x1b[34m"
_LEVEL_COLOR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;32m", "style": "\x1b[1;36m"}
# Lines of a long finding shown before the excerpt is cut (the rest is elided).
MAX_SPAN_LINES = 6
TAB = "    "


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


def _visible(s: str) -> str:
    return clean(s).replace("\t", TAB)


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class TtyReporter(Reporter):
    name = "tty"

    def _c(self, code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if self.options.color else s

    def add(self, result: FileResult) -> None:
        if result.error is not None:
            self.out.write(f"{self._c(_BOLD, result.path)}: {self._c(_LEVEL_COLOR['error'], 'error')}: {result.error}\n")
        if not result.entries:
            return
        lines = LineIndex(result.text, PositionEncoding.UTF32) if result.text is not None else None
        chunks = [self._entry(result.path, e, lines) for e in result.entries]
        self.out.write("".join(chunks))

    def _entry(self, path: str, e: Entry, lines: LineIndex | None) -> str:
        mark = f" {self._c(_CYAN, '[*]')}" if e.fixable else ""
        head = (
            f"{self._c(_BOLD, path)}:{e.line}:{e.column}: {self._c(_LEVEL_COLOR[e.level], e.code)}{mark} {e.message}"
            f" {self._c(_DIM, f'({e.level})')}\n"
        )
        if lines is None or e.line > lines.line_count:
            return head + "\n"
        first, last = e.line - 1, min(e.end_line - 1, lines.line_count - 1)
        shown = list(range(max(0, first - 1), min(lines.line_count, last + 2)))
        # Long spans: keep the first lines and the last one, elide the middle.
        if last - first + 1 > MAX_SPAN_LINES:
            shown = [n for n in shown if n <= first + MAX_SPAN_LINES - 2 or n >= last]
        gutter = len(str(shown[-1] + 1))
        bar = self._c(_BLUE, " " * gutter + " |")
        out = [head, bar + "\n"]
        prev = None
        for n in shown:
            if prev is not None and n != prev + 1:
                out.append(self._c(_BLUE, "." * gutter + " |") + "\n")
            prev = n
            raw = lines.line_text(n)
            text = _visible(raw)
            out.append(f"{self._c(_BLUE, f'{n + 1:>{gutter}} |')} {text}".rstrip() + "\n")
            if first <= n <= last:
                a = e.column - 1 if n == first else len(raw) - len(raw.lstrip())
                b = e.end_column - 1 if n == last else len(raw)
                a = min(a, len(raw))
                b = max(a, min(b, len(raw)))
                pad = _width(_visible(raw[:a]))
                carets = max(1, _width(_visible(raw[a:b])))
                label = f" {e.code}" if n == last else ""
                out.append(f"{bar} {' ' * pad}{self._c(_LEVEL_COLOR[e.level], '^' * carets + label)}\n")
        out.append(bar + "\n")
        safe = next((fx for fx in e.fixes if fx.safe), None)
        if safe is not None:
            out.append(f"{' ' * gutter} {self._c(_CYAN, '= help:')} {safe.title}\n")
        out.append("\n")
        return "".join(out)

    def finish(self, stats: Stats) -> None:
        if not self.options.summary:
            return
        self.out.write(summary_line(stats) + "\n")


def summary_line(stats: Stats) -> str:
    """``12 findings (3 fixable with --fix) in 4 files`` (of how many were checked)."""
    parts = []
    if stats.findings:
        line = plural(stats.findings, "finding")
        if stats.fixable:
            line += f" ({stats.fixable:,} fixable with --fix)"
        line += f" in {plural(stats.files_with_findings, 'file')}"
        if stats.files != stats.files_with_findings:
            line += f" ({stats.files:,} checked)"
        parts.append(line)
    else:
        parts.append(f"No findings in {plural(stats.files, 'file')}")
    if stats.fixed:
        parts.append(f"{plural(stats.fixed, 'fix')} applied")
    if stats.unreadable:
        parts.append(f"{plural(stats.unreadable, 'file')} could not be read")
    return "; ".join(parts) + "."
