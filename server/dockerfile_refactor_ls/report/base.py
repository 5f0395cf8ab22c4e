"""The reporter interface every format implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from .model import FileResult, Stats


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
