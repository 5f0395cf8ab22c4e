"""Code Climate issues: ``codeclimate`` (the engine stream) and ``gitlab_codeclimate`` (GitLab Code
Quality's report file)."""

from __future__ import annotations

import json
from typing import Any

from .base import Reporter
from .model import Entry, FileResult, Stats

# Code Climate's severities, mapped from hadolint's levels as hadolint maps them.
SEVERITY = {"error": "blocker", "warning": "major", "info": "info", "style": "minor"}


def issue(path: str, e: Entry) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": e.code,
        "description": e.message,
        "categories": ["Style"] if e.level == "style" else ["Bug Risk"],
        "location": {"path": path, "lines": {"begin": e.line, "end": e.end_line}},
        "severity": SEVERITY[e.level],
        "fingerprint": e.fingerprint,
    }


class CodeclimateReporter(Reporter):
    """The Code Climate engine specification's stream: each issue as JSON followed by a NUL byte
    (what hadolint's ``codeclimate`` prints)."""

    name = "codeclimate"

    def add(self, result: FileResult) -> None:
        self.out.write("".join(json.dumps(issue(result.path, e), ensure_ascii=False) + "\0" for e in result.entries))


class GitlabCodeclimateReporter(Reporter):
    """One JSON array of issues with fingerprints: the file GitLab's ``codequality`` report
    artifact expects. Fingerprints hash the path, code and flagged text, not line numbers, so the
    merge request widget does not report a finding as fixed and new when lines move."""

    name = "gitlab_codeclimate"

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._issues: list[dict[str, Any]] = []

    def add(self, result: FileResult) -> None:
        self._issues.extend(issue(result.path, e) for e in result.entries)

    def finish(self, stats: Stats) -> None:
        json.dump(self._issues, self.out, ensure_ascii=False)
        self.out.write("\n")
