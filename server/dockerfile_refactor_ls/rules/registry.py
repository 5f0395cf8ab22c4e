"""Discovers rule modules and runs them."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache

from ..engine.findings import Finding
from .base import Rule, RuleContext

log = logging.getLogger(__name__)
_PACKAGES = ("syntax", "buildkit", "hadolint", "own")


@cache
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for pkg in _PACKAGES:
        base = importlib.import_module(f"{__package__}.{pkg}")
        for info in pkgutil.iter_modules(base.__path__):
            if info.name.endswith("_test") or info.name.startswith("_"):
                continue
            mod = importlib.import_module(f"{base.__name__}.{info.name}")
            rule = getattr(mod, "RULE", None)
            if isinstance(rule, Rule):
                rule.doc = (mod.__doc__ or "").strip()
                rule.module = mod.__name__
                rules.append(rule)
    rules.sort(key=lambda r: (_PACKAGES.index(r.module.split(".")[-2]), r.code))
    return tuple(rules)


def rule_by_code(code: str) -> Rule | None:
    for r in all_rules():
        if r.code == code:
            return r
    return None


def run_rules(ctx: RuleContext, enabled: frozenset[str] | None = None) -> list[Finding]:
    """Every finding of every rule; a rule that raises is logged and skipped, never fatal."""
    out: list[Finding] = []
    for rule in all_rules():
        if enabled is not None and rule.code not in enabled:
            continue
        try:
            out.extend(rule.check(ctx))
        except Exception:  # a bug in one rule must not hide the others
            log.exception("rule %s failed", rule.code)
    return out
