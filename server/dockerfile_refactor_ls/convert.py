"""Conversions between engine values and lsprotocol types (the only place that knows both)."""

from __future__ import annotations

from functools import cache

from lsprotocol import types as lsp

from .engine.findings import Edit, Finding
from .engine.model import Dockerfile
from .engine.text import Position, Range, Span
from .rules.registry import rule_by_code

SOURCE = "dockerfile-refactor-ls"


def lsp_position(p: Position) -> lsp.Position:
    return lsp.Position(line=p.line, character=p.character)


def lsp_range(r: Range) -> lsp.Range:
    return lsp.Range(start=lsp_position(r.start), end=lsp_position(r.end))


def engine_position(p: lsp.Position) -> Position:
    return Position(p.line, p.character)


def span_of(doc: Dockerfile, r: lsp.Range) -> Span:
    lines = doc.lines
    a = lines.offset(engine_position(r.start))
    b = lines.offset(engine_position(r.end))
    return Span(min(a, b), max(a, b))


def text_edit(doc: Dockerfile, e: Edit) -> lsp.TextEdit:
    return lsp.TextEdit(range=lsp_range(doc.range(e.span)), new_text=e.new_text)


def _doc_url(code: str, rule_url: str | None) -> str:
    if rule_url is not None:
        return rule_url
    if code.startswith("SC") and code[2:].isdigit():
        return f"https://www.shellcheck.net/wiki/{code}"
    return "https://github.com/dockerfile-refactor-ls/dockerfile-refactor-ls/blob/main/docs/rules/README.md"


def diagnostic(doc: Dockerfile, f: Finding) -> lsp.Diagnostic:
    rule = rule_by_code(f.code)
    tags = []
    if f.unnecessary:
        tags.append(lsp.DiagnosticTag.Unnecessary)
    if f.deprecated:
        tags.append(lsp.DiagnosticTag.Deprecated)
    return lsp.Diagnostic(
        range=lsp_range(doc.range(f.span)),
        message=f.message,
        severity=lsp.DiagnosticSeverity(int(f.severity)),
        code=f.code,
        code_description=lsp.CodeDescription(href=_doc_url(f.code, rule.url if rule else None)),
        source=SOURCE,
        tags=tags or None,
    )


# -- plain-dict forms, for the two hot paths (publishDiagnostics, codeAction) ------------------------
# lsprotocol objects go through cattrs on the way out, which costs ~40 us per diagnostic; a
# 5,000-line file has hundreds. Plain dicts are serialized by the C json encoder instead.


def range_dict(doc: Dockerfile, span: Span) -> dict[str, dict[str, int]]:
    return doc.lines.range_json(span)


@cache
def _code_description(code: str) -> dict[str, str]:
    # Shared between diagnostics (the JSON encoder does not mind): one dict per rule, not per finding.
    rule = rule_by_code(code)
    return {"href": _doc_url(code, rule.url if rule else None)}


def diagnostic_dict(doc: Dockerfile, f: Finding) -> dict[str, object]:
    d: dict[str, object] = {
        "range": doc.lines.range_json(f.span),
        "severity": int(f.severity),
        "code": f.code,
        "codeDescription": _code_description(f.code),
        "source": SOURCE,
        "message": f.message,
    }
    tags = []
    if f.unnecessary:
        tags.append(1)
    if f.deprecated:
        tags.append(2)
    if tags:
        d["tags"] = tags
    return d


def text_edit_dict(doc: Dockerfile, e: Edit) -> dict[str, object]:
    return {"range": range_dict(doc, e.span), "newText": e.new_text}
