"""Code Climate issues: ``codeclimate`` (the engine stream) and ``gitlab_codeclimate`` (GitLab Code
Quality's report file)."""

from __future__ import annotations

import json
from typing import Any

from .base import JsonArrayReporter, Reporter
from .model import Entry, FileResult

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


class GitlabCodeclimateReporter(JsonArrayReporter):
    """One JSON array of issues with fingerprints: the file GitLab's ``codequality`` report
    artifact expects. Fingerprints hash the path, code and flagged text, not line numbers, so the
    merge request widget does not report a finding as fixed and new when lines move."""

    name = "gitlab_codeclimate"

    def item(self, path: str, entry: Entry) -> dict[str, Any]:
        return issue(path, entry)
