"""## What it does
Flags `dnf install` (and `groupinstall`, `localinstall`; also `microdnf` and `dnf5`) without
`-y`/`--assumeyes`. hadolint rule `DL3038`.

`microdnf` asks for confirmation like dnf since 2021 (the microdnf of EL9 and current Fedora
images does; only older EL8 builds assumed yes), so it is reported too. Not
reported when an earlier `RUN` of the stage sets `assumeyes` in the dnf configuration.

Differs from hadolint: `dnf5` is checked as well (hadolint knows only `dnf` and `microdnf`), and
an `assumeyes` set in the configuration by an earlier `RUN` counts.

## Why is this bad?
A build cannot answer dnf's "Is this ok [y/N]" prompt; without `-y` the install is aborted.

## Example
```dockerfile
RUN dnf install httpd-2.4.46 && dnf clean all
```

## Fix
```dockerfile
RUN dnf install -y httpd-2.4.46 && dnf clean all
```
The quick fix adds `-y` after the subcommand.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import missing_assume_yes


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_assume_yes(ctx, RULE, ("dnf", "microdnf", "dnf5"), "Use the -y switch to avoid manual input `dnf install -y <package>`.")


RULE = Rule(
    code="DL3038",
    name="dnf-yes",
    summary="Use the -y switch with dnf install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
