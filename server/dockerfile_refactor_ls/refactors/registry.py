"""Discovers the refactoring modules of this package."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache

from ..engine.model import Dockerfile
from ..engine.text import Span
from .base import NotApplicable, Refactoring, RefactorResult

log = logging.getLogger(__name__)


@cache
def all_refactorings() -> tuple[Refactoring, ...]:
    pkg = importlib.import_module(__package__)
    found: list[Refactoring] = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name in ("base", "registry") or info.name.startswith("_") or info.name.endswith("_test"):
            continue
        mod = importlib.import_module(f"{__package__}.{info.name}")
        ref = getattr(mod, "REFACTORING", None)
        if isinstance(ref, Refactoring):
            ref.doc = (mod.__doc__ or "").strip()
            found.append(ref)
    found.sort(key=lambda r: r.name)
    return tuple(found)


def resolving(code: str) -> tuple[Refactoring, ...]:
    """The refactorings that declare they resolve findings with ``code`` (``Refactoring.resolves``)."""
    return tuple(r for r in all_refactorings() if code in r.resolves)


def refactoring_named(name: str) -> Refactoring | None:
    for r in all_refactorings():
        if r.name == name or r.kind == name:
            return r
    return None


def plan(ref: Refactoring, doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    """Run one refactoring; a failure is logged and means "not offered", never a crash."""
    result = plan_or_reason(ref, doc, span)
    return result if isinstance(result, RefactorResult) else None


def plan_or_reason(ref: Refactoring, doc: Dockerfile, span: Span | None) -> RefactorResult | NotApplicable:
    """The refactoring's edits, or why it does not apply (a generic reason where it gives none)."""
    try:
        result = ref.plan(doc, span)
    except NotApplicable as why:
        return why
    except Exception:
        log.exception("refactoring %s failed", ref.name)
        return NotApplicable(f"{ref.name} failed on this file (see the server log)")
    if result is None:
        return NotApplicable(f"{ref.name} does not apply here")
    return result
