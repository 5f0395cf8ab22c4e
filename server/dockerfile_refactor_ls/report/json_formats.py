"""``json`` (one array of hadolint's objects) and ``jsonl`` (one object per line)."""

from __future__ import annotations

import json
from typing import Any

from .base import JsonArrayReporter, Reporter
from .model import Entry, FileResult

_SEVERITY = {"error": "error", "warning": "warning", "info": "info", "style": "hint"}


def hadolint_object(path: str, e: Entry) -> dict[str, Any]:
    """hadolint's JSON object (``file line column level code message``) plus the range's end."""
    return {
        "file": path,
        "line": e.line,
        "column": e.column,
        "level": e.level,
        "code": e.code,
        "message": e.message,
        "endLine": e.end_line,
        "endColumn": e.end_column,
    }


class JsonReporter(JsonArrayReporter):
    """What hadolint's ``--format json`` prints: a single JSON array, ``[]`` when all is clean."""

    name = "json"
    separators = (",", ":")  # compact, as hadolint prints it

    def item(self, path: str, entry: Entry) -> dict[str, Any]:
        return hadolint_object(path, entry)


class JsonLinesReporter(Reporter):
    """One object per line as findings arrive: hadolint's fields, plus the LSP's ``severity`` name
    (what ``--format json`` printed before it became hadolint's array) and ``fixable``."""

    name = "jsonl"

    def add(self, result: FileResult) -> None:
        lines = []
        for e in result.entries:
            obj = hadolint_object(result.path, e)
            obj["severity"] = _SEVERITY[e.level]
            obj["fixable"] = e.fixable
            lines.append(json.dumps(obj, ensure_ascii=False) + "\n")
        self.out.write("".join(lines))
