"""Discovers rule modules and runs them."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache
from typing import cast

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
    return _by_code().get(code)


@cache
def _by_code() -> dict[str, Rule]:
    # Looked up once per published diagnostic: thousands of times per keystroke on a huge file.
    return {r.code: r for r in all_rules()}


def run_rules(ctx: RuleContext, enabled: frozenset[str] | None = None) -> list[Finding]:
    """Every finding of every rule; a rule that raises is logged and skipped, never fatal."""
    out: list[Finding] = []
    per_run: list[Rule] = []
    for rule in all_rules():
        if enabled is not None and rule.code not in enabled:
            continue
        if rule.per_run:
            per_run.append(rule)
            continue
        _run(rule, ctx, out)
    if per_run:
        _run_per_run(per_run, ctx, out)
    return out


def _run(rule: Rule, ctx: RuleContext, out: list[Finding]) -> None:
    try:
        out.extend(rule.check(ctx))
    except Exception:  # a bug in one rule must not hide the others
        log.exception("rule %s failed", rule.code)


def _run_per_run(rules: list[Rule], ctx: RuleContext, out: list[Finding]) -> None:
    """Run RUN-local rules only on RUNs whose findings are not already kept on the instruction.

    Kept findings are valid while (a) the instruction object is the same (incremental parsing
    re-creates the ones an edit touched), (b) the rule set is the same, and (c) no FROM or SHELL
    instruction changed: those decide whether a stage's RUNs go to a POSIX shell, which image a
    stage starts from and which stages end up in the image, the only context per-RUN rules read.
    The signature below is the identity of those instructions.
    """
    from ..engine.findings import shifted
    from ..engine.shell import iter_runs, only_runs

    doc = ctx.doc
    signature = (
        tuple(r.code for r in rules),
        hash(tuple(id(i) for i in doc.instructions if i.cmd in ("from", "shell"))),
    )
    runs = [ins for _stage, ins, _script in iter_runs(doc)]
    stale = [ins for ins in runs if not _fresh(ins.cache.get("run-findings"), signature)]
    if stale:
        fresh: dict[int, list[Finding]] = {id(ins): [] for ins in stale}
        with only_runs(doc, stale):
            for rule in rules:
                found: list[Finding] = []
                _run(rule, ctx, found)
                for f in found:
                    ins = doc.instruction_at(f.span.start)
                    bucket = fresh.get(id(ins)) if ins is not None else None
                    if bucket is None:
                        out.append(f)  # outside any re-checked RUN: report, do not keep
                    else:
                        bucket.append(f)
        for ins in stale:
            ins.cache["run-findings"] = (signature, ins.span.start, fresh[id(ins)])
    for ins in runs:
        entry = cast(tuple[object, int, list[Finding]], ins.cache["run-findings"])
        base, findings = entry[1], entry[2]
        d = ins.span.start - base
        if d:
            findings = [shifted(f, d) for f in findings]
            ins.cache["run-findings"] = (signature, ins.span.start, findings)
        out.extend(findings)


def _fresh(entry: object, signature: object) -> bool:
    return isinstance(entry, tuple) and entry[0] == signature
