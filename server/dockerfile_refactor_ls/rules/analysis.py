"""The engine's front door: text in, findings out. Used by the language server and the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from ..engine.findings import Finding, Fix
from ..engine.model import Dockerfile
from ..engine.settings import Settings, apply_settings
from .base import RuleContext
from .kept import KeptResults
from .registry import all_rules, run_local_rules, run_rules


@cache
def buildkit_codes() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if r.origin == "buildkit")


@cache
def _buildkit_experimental() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if r.origin == "buildkit" and r.experimental)


@cache
def _buildkit_file_scoped() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if r.origin == "buildkit" and r.file_scoped)


@cache
def rule_codes() -> frozenset[str]:
    return frozenset(r.code for r in all_rules())


@cache
def twins() -> dict[str, tuple[str, ...]]:
    """Each code of :data:`EQUIVALENT` with the codes it is a twin of, in both directions."""
    out: dict[str, list[str]] = {}
    for a, b in EQUIVALENT.items():
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return {k: tuple(v) for k, v in out.items()}


def _context(
    doc: Dockerfile,
    settings: Settings,
    dockerignore: str | None,
    kept: KeptResults | None,
    progress: Callable[[int, int], None] | None = None,
    shellcheck: bool = True,
    between_rules: Callable[[], None] | None = None,
) -> RuleContext:
    return RuleContext(
        doc,
        dockerignore=dockerignore,
        kept=kept if kept is not None else KeptResults(),
        progress=progress,
        between_rules=between_rules,
        options={
            "trusted_registries": settings.trusted_registries,
            "shellcheck_enable": settings.shellcheck_enable and shellcheck,
            "shellcheck_path": settings.shellcheck_path,
            "label_schema": settings.label_schema,
            "strict_labels": settings.strict_labels,
            # Off-by-default rules (DL3057) run when the user gave them a severity.
            "optional_rules": frozenset(code for code, sev in settings.severity.items() if sev is not None),
        },
    )


def diagnose(
    doc: Dockerfile,
    settings: Settings | None = None,
    dockerignore: str | None = None,
    kept: KeptResults | None = None,
    progress: Callable[[int, int], None] | None = None,
    between_rules: Callable[[], None] | None = None,
) -> list[Finding]:
    """``kept``: the store of what the rule runner keeps across versions of this document (the
    server passes one per open document, so a keystroke re-checks only what it touched); without
    it nothing is kept beyond this call. ``progress`` is told ``(rules done, rules in all)``;
    ``between_rules`` is called after each rule (see ``RuleContext.between_rules``)."""
    settings = settings or Settings()
    findings = run_rules(_context(doc, settings, dockerignore, kept, progress, between_rules=between_rules))
    return _settled(doc, findings, settings)


def _settled(doc: Dockerfile, findings: list[Finding], settings: Settings) -> list[Finding]:
    """Findings as the user sees them: suppressions and severities applied, twins merged, in order."""
    findings = apply_settings(
        doc, findings, settings, buildkit_codes(), _buildkit_experimental(), _buildkit_file_scoped(),
        twins(), rule_codes(),
    )
    findings = merge_equivalents(findings)
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return findings


def head_cut(text: str, chars: int) -> int | None:
    """Where the head of ``text`` that :func:`diagnose_head` reads ends: after the line that holds
    character ``chars``; None when there is nothing after it."""
    newline = text.find("\n", chars)
    return None if newline < 0 or newline + 1 >= len(text) else newline + 1


# Pragmas whose reach goes back up the file: one after the head may change what the head reports.
_FILE_WIDE_PRAGMA = re.compile(r"#[ \t]*hadolint[ \t]+(?:global|shell)\b", re.IGNORECASE)


@cache
def _local_codes() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if r.per_run or r.per_stage)


def diagnose_head(
    head: Dockerfile, rest: str, settings: Settings | None = None, dockerignore: str | None = None
) -> list[Finding] | None:
    """The findings of a big file's first lines, published while the whole file's are computed
    (seconds at 50,000 stages): ``head`` is the model of the text up to a line end, ``rest`` the
    text after it. Each is one the whole file's diagnosis reports too — only rules whose findings
    in a stage do not depend on what comes after the stage chain, on the head's stages but its
    last (which may go on after the head, and is the final stage only there); none that has a
    twin code among the other rules (merged with it in the whole file). ShellCheck is left to the
    whole diagnosis: its results come later, and their arrival re-diagnoses every document.
    None when no such finding can be told apart: no whole stage in the head, or a pragma after
    it that reaches back (``# hadolint global ignore=``, ``# hadolint shell=``)."""
    stages = head.stages[:-1]
    if not stages or _FILE_WIDE_PRAGMA.search(rest):
        return None
    settings = settings or Settings()
    ctx = _context(head, settings, dockerignore, None, shellcheck=False)
    local = _local_codes()
    pairs = twins()
    findings = [
        f for f in run_local_rules(ctx, stages) if all(t in local for t in pairs.get(f.code, ()))
    ]
    return _settled(head, findings, settings)


# hadolint rules that report exactly what a BuildKit check (or our own rule) reports. When both fire
# on the same line only the BuildKit one is shown, carrying the fixes of both and saying which
# hadolint code it stands for; either code suppresses both wherever users name rules
# (``# hadolint ignore=DL3025``, ``# check=skip=DuplicateStageName``, .hadolint.yaml, --ignore,
# editor settings): apply_settings reads every code with its twins.
EQUIVALENT = {
    "DL4000": "MaintainerDeprecated",
    "DL3025": "JSONArgsRecommended",
    "DL3024": "DuplicateStageName",
    "DL4003": "MultipleInstructionsDisallowed",
    "DL4004": "MultipleInstructionsDisallowed",
    "DL3022": "UnknownCopyFromStage",
    "DL3063": "ReservedStageName",
}


def merge_equivalents(findings: list[Finding]) -> list[Finding]:
    kept: dict[tuple[str, int], Finding] = {}
    for f in findings:
        if f.code in EQUIVALENT.values():
            kept[(f.code, f.span.start)] = f
    if not kept:
        return findings
    extra: dict[int, list[Fix]] = {}
    stands_for: dict[int, list[str]] = {}
    dropped: set[int] = set()
    for f in findings:
        twin_code = EQUIVALENT.get(f.code)
        twin = kept.get((twin_code, f.span.start)) if twin_code else None
        if twin is not None:
            dropped.add(id(f))
            stands_for.setdefault(id(twin), []).append(f.code)
            titles = {x.title for x in twin.fixes} | {x.title for x in extra.get(id(twin), [])}
            extra.setdefault(id(twin), []).extend(x for x in f.fixes if x.title not in titles)
    # Findings may be cached across versions: build merged copies, never change the originals.
    return [
        replace(
            f,
            fixes=f.fixes + extra.get(id(f), []),
            also=tuple(sorted(set(stands_for[id(f)]))),
        )
        if id(f) in stands_for
        else f
        for f in findings
        if id(f) not in dropped
    ]
