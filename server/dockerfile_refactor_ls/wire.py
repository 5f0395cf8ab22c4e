"""LSP values as plain JSON (dicts), built without lsprotocol.

The two hot paths (publishDiagnostics on every keystroke, whole-document codeAction) send these
dicts straight to the C JSON encoder: lsprotocol objects go through cattrs on the way out, which
costs ~40 us per diagnostic, and a 5,000-line file has hundreds. Importing nothing from pygls or
lsprotocol also lets :mod:`.fast_start` publish the first diagnostics before those ~0.4 s of
imports are done.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Protocol

from .engine.findings import Edit, Finding
from .engine.model import Dockerfile
from .engine.text import LineIndex, Span
from .rules.registry import rule_by_code

SOURCE = "dockerfile-refactor-ls"
PUBLISH_DIAGNOSTICS = "textDocument/publishDiagnostics"


def doc_url(code: str, rule_url: str | None) -> str:
    if rule_url is not None:
        return rule_url
    if code.startswith("SC") and code[2:].isdigit():
        return f"https://www.shellcheck.net/wiki/{code}"
    return "https://github.com/dockerfile-refactor-ls/dockerfile-refactor-ls/blob/main/docs/rules/README.md"


def range_dict(doc: Dockerfile, span: Span) -> dict[str, dict[str, int]]:
    return doc.lines.range_json(span)


@cache
def _code_description(code: str) -> dict[str, str]:
    # Shared between diagnostics (the JSON encoder does not mind): one dict per rule, not per finding.
    rule = rule_by_code(code)
    return {"href": doc_url(code, rule.url if rule else None)}


class HasLines(Protocol):
    """A model, or a document whose line index is enough (no parse needed)."""

    @property
    def lines(self) -> LineIndex: ...


def diagnostic_dict(doc: HasLines, f: Finding) -> dict[str, object]:
    d: dict[str, object] = {
        "range": doc.lines.range_json(f.span),
        "severity": int(f.severity),
        "code": f.code,
        "codeDescription": _code_description(f.code),
        "source": SOURCE,
        "message": f.shown_message,
    }
    tags = []
    if f.unnecessary:
        tags.append(1)  # DiagnosticTag.Unnecessary
    if f.deprecated:
        tags.append(2)  # DiagnosticTag.Deprecated
    if tags:
        d["tags"] = tags
    return d


def text_edit_dict(doc: Dockerfile, e: Edit) -> dict[str, object]:
    return {"range": range_dict(doc, e.span), "newText": e.new_text}


def publish_diagnostics_message(uri: str, version: int | None, items: list[dict[str, object]]) -> dict[str, Any]:
    params: dict[str, Any] = {"uri": uri, "diagnostics": items}
    if version is not None:  # optional in the protocol, and not nullable
        params["version"] = version
    return {"jsonrpc": "2.0", "method": PUBLISH_DIAGNOSTICS, "params": params}


def frame(message: dict[str, Any]) -> bytes:
    """A JSON-RPC message with its base-protocol header, as pygls writes it."""
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n%s" % (len(body), body)


class RawResult(list[Any]):
    """A request's result made of plain JSON values: the server sends it without going through
    cattrs (whole-document code actions carry every diagnostic, and structuring them dominated)."""


class RawObject(dict[str, Any]):
    """Like :class:`RawResult`, for a result that is a JSON object (a completion list: building
    25,000 lsprotocol items and unstructuring them with cattrs took longer than finding them)."""


class EncodedResult(str):
    """A request's result as JSON text, encoded once per document version in the analysis thread
    (outline, folding, semantic tokens, links and lenses of a big file): the loop only frames it."""


def encode_result(result: Any) -> EncodedResult:
    """``result`` (plain JSON values) as :class:`EncodedResult`. ASCII only (``ensure_ascii``), as
    every other message the server sends."""
    return EncodedResult(json.dumps(result, separators=(",", ":")))
