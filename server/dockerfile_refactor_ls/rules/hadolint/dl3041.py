"""## What it does
Flags `dnf install` (or `microdnf install`) of packages without a version (`httpd` instead of
`httpd-2.4.46`), and `dnf module install` of modules without a stream (`nodejs` instead of
`nodejs:20`). hadolint rule `DL3041`.

A package counts as versioned when a part after a `-` looks like a version (starts with a digit).
Local `.rpm` files, paths, URLs, `@group`s and packages given by a variable are not reported.

## Why is this bad?
Without a version dnf installs the newest package on the day of the build: builds are not
reproducible and can break without any change to the Dockerfile.

## Example
```dockerfile
RUN dnf install -y httpd && dnf clean all
```

## Fix
```dockerfile
RUN dnf install -y httpd-2.4.46 && dnf clean all
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import iter_runs
from ..base import Rule, RuleContext
from ._common import YUM_VALUE_FLAGS, has_variable, shown

_VERSION_PART = re.compile(r"^[A-Za-z0-9.~^_:+]+$")


def _pinned(p: str) -> bool:
    if has_variable(p) or "/" in p or p.endswith(".rpm") or p.startswith("@") or any(c in p for c in "=<>"):
        return True
    parts = p.split("-")
    if len(parts) <= 1:
        return False
    rest = parts[1:]
    return all(_VERSION_PART.match(x) for x in rest) and any(x[:1].isdigit() for x in rest)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, _ins, script in iter_runs(ctx.doc):
        for cmd in script.commands:
            if cmd.name not in ("dnf", "microdnf", "dnf5"):
                continue
            pos = cmd.positional(YUM_VALUE_FLAGS)
            if not pos:
                continue
            if pos[0].value == "module" and len(pos) > 1 and pos[1].value == "install":
                sub = pos[1]
                loose = [w.value for w in pos[2:] if ":" not in w.value and not has_variable(w.value)]
            elif pos[0].value == "install":
                sub = pos[0]
                loose = [w.value for w in pos[1:] if not _pinned(w.value)]
            else:
                continue
            if loose:
                yield RULE.finding(
                    cmd.head_span(sub),
                    f"Specify version with `dnf install -y <package>-<version>`. (unpinned: {shown(loose)})",
                )


RULE = Rule(
    code="DL3041",
    name="dnf-pin-versions",
    summary="Specify version with dnf install -y <package>-<version>",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
