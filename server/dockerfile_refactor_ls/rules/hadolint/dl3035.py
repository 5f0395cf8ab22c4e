"""## What it does
Flags `zypper dist-upgrade` (`zypper dup`). hadolint rule `DL3035`.

## Why is this bad?
A distribution upgrade inside an image build pulls in whatever the repositories hold that day and
can move the image to a different release than its base. Update the base image instead; use
`zypper patch` or `zypper update` for fixes.

## Example
```dockerfile
RUN zypper dist-upgrade -y
```

## Fix
Use a newer base image tag, or `zypper patch -y` for security fixes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import ZYPPER_VALUE_FLAGS, subcommand_in


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        sub = subcommand_in(cmd, ("zypper",), ("dist-upgrade", "dup"), ZYPPER_VALUE_FLAGS)
        if sub is not None:
            yield RULE.finding(cmd.head_span(sub), "Do not use `zypper dist-upgrade`.")


RULE = Rule(
    code="DL3035",
    name="no-zypper-dist-upgrade",
    summary="Do not use zypper dist-upgrade",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
