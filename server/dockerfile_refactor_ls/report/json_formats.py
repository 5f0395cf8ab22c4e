"""``json`` (one array of hadolint's objects) and ``jsonl`` (one object per line)."""

from __future__ import annotations

import json
from typing import Any

from .base import Reporter
from .model import Entry, FileResult, Stats

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


class JsonReporter(Reporter):
    """What hadolint's ``--format json`` prints: a single JSON array, ``[]`` when all is clean."""

    name = "json"

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._items: list[dict[str, Any]] = []

    def add(self, result: FileResult) -> None:
        self._items.extend(hadolint_object(result.path, e) for e in result.entries)

    def finish(self, stats: Stats) -> None:
        # Compact, as hadolint prints it.
        json.dump(self._items, self.out, ensure_ascii=False, separators=(",", ":"))
        self.out.write("\n")


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
