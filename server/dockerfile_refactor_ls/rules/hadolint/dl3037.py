"""## What it does
Flags `zypper install` of packages without a version (`httpd` instead of `httpd=2.4.46` or
`'httpd>=2.4'`). hadolint rule `DL3037`.

Local `.rpm` files, paths, URLs and packages given by a variable are not reported.

## Why is this bad?
Without a version zypper installs the newest package available on the day of the build: builds are
not reproducible and can break without any change to the Dockerfile.

## Example
```dockerfile
RUN zypper install -y httpd && zypper clean
```

## Fix
```dockerfile
RUN zypper install -y httpd=2.4.46 && zypper clean
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import ZYPPER_VALUE_FLAGS, has_variable, packages_after, subcommand_in, unpinned


def _pinned(p: str) -> bool:
    return has_variable(p) or any(c in p for c in "=<>") or p.endswith(".rpm") or "/" in p


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        sub = subcommand_in(cmd, ("zypper",), ("install", "in"), ZYPPER_VALUE_FLAGS)
        if sub is None:
            continue
        loose = [w.value for w in packages_after(cmd, sub, ZYPPER_VALUE_FLAGS) if not _pinned(w.value)]
        yield from unpinned(
            RULE, cmd.head_span(sub), loose,
            "Specify version with `zypper install -y <package>=<version>`.",
        )


RULE = Rule(
    code="DL3037",
    name="zypper-pin-versions",
    summary="Specify version with zypper install -y <package>=<version>",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
