"""The reporter interface every format implements."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from .model import Entry, FileResult, Stats


@dataclass(slots=True)
class ReportOptions:
    # ANSI colour (tty only): decided by the caller from the terminal, NO_COLOR and --no-color.
    color: bool = False
    # Print the closing summary line (tty).
    summary: bool = True


class Reporter:
    """Receives each file's result in input order, then the run's totals.

    Line formats write as results arrive (a long run shows output early and a closed pipe stops it
    early); document formats (JSON array, SARIF, checkstyle…) write everything in ``finish``.
    """

    name = ""

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        self.out = out
        self.options = options or ReportOptions()

    def add(self, result: FileResult) -> None:
        raise NotImplementedError

    def finish(self, stats: Stats) -> None:
        pass


class JsonArrayReporter(Reporter):
    """A format that is one JSON array of an object per finding (``item``), printed in ``finish``."""

    # json.dump's separators: its default (None) unless the format is compact.
    separators: tuple[str, str] | None = None

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        super().__init__(out, options)
        self._items: list[dict[str, Any]] = []

    def item(self, path: str, entry: Entry) -> dict[str, Any]:
        raise NotImplementedError

    def add(self, result: FileResult) -> None:
        self._items.extend(self.item(result.path, e) for e in result.entries)

    def finish(self, stats: Stats) -> None:
        json.dump(self._items, self.out, ensure_ascii=False, separators=self.separators)
        self.out.write("\n")
