"""Test helpers for the rule tests beside each rule module (not a rule: the underscore keeps it out
of the registry)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

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


def label_type_tests(
    code: str, label_type: str, valid: list[str], invalid: list[str]
) -> tuple[Callable[[str], None], Callable[[str], None], Callable[[], None]]:
    """The tests every label-type rule (DL3052-DL3058: a label whose schema type is ``url``,
    ``rfc3339``, ...) shares, for that rule's valid and invalid values. A rule test module binds
    them to its own ``test_*`` names, so they are collected and reported under that module."""
    schema = {"lbl": label_type, "other": "text"}

    @pytest.mark.parametrize("value", valid)
    def valid_values_pass(value: str) -> None:
        assert flagged(code, f'FROM a:1\nLABEL lbl="{value}"\n', label_schema=schema) == []

    @pytest.mark.parametrize("value", invalid)
    def invalid_values(value: str) -> None:
        text = f'FROM a:1\nLABEL lbl="{value}"\n'
        assert flagged(code, text, label_schema=schema) == [f'"{value}"']
        assert "`lbl`" in findings(code, text, label_schema=schema)[0].message
        # ONBUILD LABEL and a fragment without FROM are checked too.
        assert len(findings(code, f'FROM a:1\nONBUILD LABEL lbl="{value}"\n', label_schema=schema)) == 1
        assert len(findings(code, f'LABEL lbl="{value}"\n', label_schema=schema)) == 1

    def other_labels_variables_and_no_schema() -> None:
        assert flagged(code, 'FROM a:1\nLABEL other="-- not checked --"\n', label_schema=schema) == []
        assert flagged(code, 'FROM a:1\nLABEL lbl="${VALUE}"\n', label_schema=schema) == []
        assert flagged(code, 'FROM a:1\nLABEL lbl="-- not checked --"\n') == []

    return valid_values_pass, invalid_values, other_labels_variables_and_no_schema


def assert_version_variable_pins_only_in_the_runs_environment(code: str, image: str, tool: str) -> None:
    """For the package-pinning rules of RPM tools (``yum``, ``dnf``…): ``git-core-${version}`` is
    pinned only where the RUN's environment has ``version`` (an ENV or ARG of its stage or the stage
    it is built FROM, as BuildKit expands it), and a package list held in a variable or a command
    substitution is left alone."""
    run = f"RUN {tool} -y install git-core-${{version}}\n"
    for pre in ("ENV version=2.51.0-2.fc42\n", "ARG version=2.51.0-2.fc42\n",
                f"FROM {image} AS build\nENV version=2.51.0-2.fc42\nFROM build\n",
                f"FROM {image}\nARG version\n"):
        text = pre + run if pre.startswith("FROM") else f"FROM {image}\n" + pre + run
        assert flagged(code, text) == [], text
    # An ENV or ARG of another stage is not in this RUN's environment (BuildKit), nor a global
    # ARG the stage does not declare again.
    for pre in (f"FROM {image} AS build\nENV version=2.51.0-2.fc42\nFROM {image}\n",
                f"FROM {image} AS build\nARG version=2.51.0-2.fc42\nFROM {image}\n",
                f"ARG version=1\nFROM {image}\n", f"FROM {image}\n"):
        assert flagged(code, pre + run) == [f"{tool} -y install"], pre
    assert flagged(code, f"FROM {image}\nARG PKGS\nRUN {tool} install -y $PKGS\n") == []
    assert flagged(code, f"FROM {image}\nRUN {tool} install -y $(cat /pkgs)\n") == []
