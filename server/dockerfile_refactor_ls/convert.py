"""Conversions between engine values and lsprotocol types (the only place that knows both).

The plain-JSON forms of the hot paths are in :mod:`.wire`.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from .engine.findings import Finding
from .engine.model import Dockerfile
from .engine.text import Position, Range, Span
from .rules.registry import rule_by_code
from .wire import SOURCE, doc_url


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
        code_description=lsp.CodeDescription(href=doc_url(f.code, rule.url if rule else None)),
        source=SOURCE,
        tags=tags or None,
    )
