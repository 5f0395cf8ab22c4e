"""Output formats of ``check``: one module per family, one ``Reporter`` class per ``--format``.

``text``, ``tty``, ``gnu``, ``github``, ``jsonl`` and ``codeclimate`` stream as files are checked;
``json``, ``sarif``, ``checkstyle`` and ``gitlab_codeclimate`` are single documents written at the end.
"""

from __future__ import annotations

from typing import TextIO

from .base import Reporter, ReportOptions
from .checkstyle import CheckstyleReporter
from .codeclimate import CodeclimateReporter, GitlabCodeclimateReporter
from .json_formats import JsonLinesReporter, JsonReporter
from .lines import GithubReporter, GnuReporter, TextReporter
from .model import Entry, FileResult, FixView, Replacement, Stats, entries_from_findings, level_name
from .sarif import SarifReporter
from .tty import TtyReporter, summary_line

REPORTERS: dict[str, type[Reporter]] = {
    r.name: r
    for r in (
        TtyReporter,
        TextReporter,
        JsonReporter,
        JsonLinesReporter,
        SarifReporter,
        CheckstyleReporter,
        CodeclimateReporter,
        GitlabCodeclimateReporter,
        GnuReporter,
        GithubReporter,
    )
}
FORMATS = tuple(REPORTERS)


def make_reporter(name: str, out: TextIO, options: ReportOptions | None = None) -> Reporter:
    return REPORTERS[name](out, options)


__all__ = [
    "FORMATS",
    "REPORTERS",
    "Entry",
    "FileResult",
    "FixView",
    "Replacement",
    "ReportOptions",
    "Reporter",
    "Stats",
    "entries_from_findings",
    "level_name",
    "make_reporter",
    "summary_line",
]
