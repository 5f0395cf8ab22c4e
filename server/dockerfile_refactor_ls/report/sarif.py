"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: rules with their help, results
with exact regions, fingerprints and fixes, and files that could not be read as notifications."""

from __future__ import annotations

import json
import os
import urllib.parse
from typing import Any

from .. import __version__
from .base import Reporter
from .model import Entry, FileResult, Stats

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note", "style": "note"}


def artifact_uri(path: str) -> str:
    """A relative path stays relative (GitHub resolves it against the repository root); an absolute
    one becomes a ``file://`` URI. Both percent-encoded, as a URI must be."""
    posix = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return "file://" + urllib.parse.quote(posix if posix.startswith("/") else "/" + posix)
    return urllib.parse.quote(posix)


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _rule_descriptor(code: str) -> dict[str, Any]:
    from ..rules.registry import rule_by_code
    from .model import level_name

    rule = rule_by_code(code)
    if rule is None:
        return {"id": code, "shortDescription": {"text": code}}
    doc = rule.doc or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "helpUri": rule.url,
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVEL[level_name(rule.severity)]},
        "properties": {"tags": [rule.origin], "precision": "very-high"},
    }


class SarifReporter(Reporter):
    name = "sarif"

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._results: list[dict[str, Any]] = []
        self._rules: dict[str, int] = {}
        self._notifications: list[dict[str, Any]] = []

    def _result(self, uri: str, e: Entry) -> dict[str, Any]:
        index = self._rules.setdefault(e.code, len(self._rules))
        result: dict[str, Any] = {
            "ruleId": e.code,
            "ruleIndex": index,
            "level": _LEVEL[e.level],
            "message": {"text": e.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": _region(e.line, e.column, e.end_line, e.end_column),
                    }
                }
            ],
            "partialFingerprints": {"dockerfileRefactorLs/v1": e.fingerprint},
        }
        if e.fixes:
            result["fixes"] = [
                {
                    "description": {"text": fx.title + ("" if fx.safe else " (unsafe: review before applying)")},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": uri},
                            "replacements": [
                                {
                                    "deletedRegion": _region(r.line, r.column, r.end_line, r.end_column),
                                    "insertedContent": {"text": r.text},
                                }
                                for r in fx.replacements
                            ],
                        }
                    ],
                }
                for fx in e.fixes
            ]
        return result

    def add(self, result: FileResult) -> None:
        uri = artifact_uri(result.path)
        self._results.extend(self._result(uri, e) for e in result.entries)
        if result.error is not None:
            self._notifications.append(
                {
                    "level": "error",
                    "message": {"text": result.error},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )

    def finish(self, stats: Stats) -> None:
        rules = [_rule_descriptor(code) for code in self._rules]
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "dockerfile-refactor-ls",
                            "fullName": "dockerfile-refactor-ls: BuildKit's checks, hadolint's rules and more",
                            "informationUri": "https://github.com/dockerfile-refactor-ls/dockerfile-refactor-ls",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": rules,
                        }
                    },
                    "invocations": [
                        {
                            "executionSuccessful": not self._notifications,
                            "toolExecutionNotifications": self._notifications,
                        }
                    ],
                    "columnKind": "unicodeCodePoints",
                    "defaultSourceLanguage": "dockerfile",
                    "results": self._results,
                }
            ],
        }
        json.dump(log, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
