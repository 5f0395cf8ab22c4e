"""## What it does
Flags `zypper install` (and `remove`, `source-install`, `patch`, with their short forms) without a
non-interactive switch: `-y`/`--no-confirm` after the subcommand or the global `-n`/
`--non-interactive`. hadolint rule `DL3034`.

## Why is this bad?
A build cannot answer zypper's confirmation prompt, so the command aborts.

## Example
```dockerfile
RUN zypper install httpd=2.4.46 && zypper clean
```

## Fix
```dockerfile
RUN zypper install -y httpd=2.4.46 && zypper clean
```
The quick fix adds `-y` after the subcommand.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import ZYPPER_VALUE_FLAGS, missing_option, subcommand_in

_SUBS = ("install", "in", "remove", "rm", "source-install", "si", "patch")


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_option(
        ctx, RULE, lambda cmd: subcommand_in(cmd, ("zypper",), _SUBS, ZYPPER_VALUE_FLAGS),
        lambda cmd: cmd.has_flag("y", "no-confirm", "n", "non-interactive"), None,
        "Non-interactive switch missing from `zypper` command: `zypper install -y`", "-y",
    )


RULE = Rule(
    code="DL3034",
    name="zypper-yes",
    summary="Non-interactive switch missing from zypper command",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
