"""The engine's front door: text in, findings out. Used by the language server and the CLI."""

from __future__ import annotations

from ..rules.base import RuleContext
from ..rules.registry import all_rules, run_rules
from .findings import Finding
from .model import Dockerfile
from .settings import Settings, apply_settings


def buildkit_codes() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if r.origin == "buildkit")


def diagnose(doc: Dockerfile, settings: Settings | None = None, dockerignore: str | None = None) -> list[Finding]:
    settings = settings or Settings()
    ctx = RuleContext(
        doc,
        dockerignore=dockerignore,
        options={
            "trusted_registries": settings.trusted_registries,
            "shellcheck_enable": settings.shellcheck_enable,
            "shellcheck_path": settings.shellcheck_path,
            # Off-by-default rules (DL3057) run when the user gave them a severity.
            "optional_rules": frozenset(code for code, sev in settings.severity.items() if sev is not None),
        },
    )
    findings = run_rules(ctx)
    findings = apply_settings(doc, findings, settings, buildkit_codes())
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return findings
