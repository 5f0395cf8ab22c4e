"""Test helpers for the tests beside this package's rules (not a rule: the underscore keeps it out
of the registry)."""

from __future__ import annotations

from ...engine.findings import Finding, Severity, apply_edits
from ...engine.model import Dockerfile
from ..base import Rule, RuleContext


def checked(rule: Rule, text: str, severity: Severity, *, preferred: bool = False) -> list[tuple[Finding, str, list[str]]]:
    """Each finding of ``rule`` alone on ``text``: the finding, the text it reports and the document
    after each of its fixes. Every finding is asserted to be of ``severity`` and to offer no safe fix
    (these rules' fixes change what the image holds or does), and with ``preferred`` every fix to
    be the preferred one."""
    out = []
    for f in rule.check(RuleContext(Dockerfile(text))):
        assert f.severity is severity
        assert all(not fx.safe and (fx.preferred or not preferred) for fx in f.fixes)
        out.append((f, text[f.span.start : f.span.end], [apply_edits(text, fx.edits) for fx in f.fixes]))
    return out
