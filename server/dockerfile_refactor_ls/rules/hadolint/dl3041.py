"""## What it does
Flags `dnf install` (or `microdnf install`) of packages without a version (`httpd` instead of
`httpd-2.4.46`), and `dnf module install` of modules without a stream (`nodejs` instead of
`nodejs:20`). hadolint rule `DL3041`.

A package counts as versioned when a part after a `-` looks like a version (starts with a digit).
Local `.rpm` files, paths, URLs and `@group`s are not reported. A package with a variable
(`git-core-${version}`) counts as versioned when the `RUN` has the variable: an `ENV` or `ARG` of
its stage, or of a stage it is built on; an `ENV` of an unrelated stage does not pin it.

Differs from hadolint: an `ARG` of an unrelated stage does not pin it either (hadolint counts any
`ARG` of the file, but BuildKit gives a `RUN` only its own stage's), and a word with no `-` given
by a variable (`$PACKAGES`) is read like any other variable (hadolint reports it).

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

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import has_variable, missing_rpm_pins


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_rpm_pins(
        ctx, RULE, ("dnf", "microdnf", "dnf5"), "Specify version with `dnf install -y <package>-<version>`.", has_variable
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
