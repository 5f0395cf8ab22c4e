"""Test helpers for the rule tests beside each rule module (not a rule: the underscore keeps it out
of the registry)."""

from __future__ import annotations

from ...engine.findings import Finding, apply_edits
from ...engine.model import Dockerfile
from ..base import RuleContext
from ..registry import rule_by_code


def findings(code: str, text: str, **options: object) -> list[Finding]:
    rule = rule_by_code(code)
    assert rule is not None, f"no rule {code}"
    ctx = RuleContext(Dockerfile(text), options=dict(options))
    out = list(rule.check(ctx))
    for f in out:
        assert f.code == code
        assert 0 <= f.span.start <= f.span.end <= len(text)
    return out


def flagged(code: str, text: str, **options: object) -> list[str]:
    """The text of every finding's span."""
    return [text[f.span.start : f.span.end] for f in findings(code, text, **options)]


def fixed(code: str, text: str, fix: int = 0, **options: object) -> str:
    """Apply fix number ``fix`` of the first finding; check the result parses and is clean."""
    found = findings(code, text, **options)
    assert found, f"{code} found nothing in {text!r}"
    assert found[0].fixes, f"{code} offers no fix"
    new = apply_edits(text, found[0].fixes[fix].edits)
    assert len(findings(code, new, **options)) < len(found), f"{code} still fires after the fix: {new!r}"
    try:
        import dockerfile
    except ImportError:  # the BuildKit parser is a test extra
        return new
    dockerfile.parse_string(new)
    return new
