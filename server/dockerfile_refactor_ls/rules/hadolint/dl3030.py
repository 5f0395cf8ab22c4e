"""## What it does
Flags `yum install` (and `groupinstall`, `localinstall`) without `-y`/`--assumeyes`. hadolint rule
`DL3030`.

Not reported when an earlier `RUN` of the stage sets `assumeyes` in the yum configuration.

## Why is this bad?
A build cannot answer yum's "Is this ok [y/N]" prompt; without `-y` the install is aborted.

## Example
```dockerfile
RUN yum install httpd-2.4.6 && yum clean all
```

## Fix
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
```
The quick fix adds `-y` after the subcommand.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import missing_assume_yes


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_assume_yes(ctx, RULE, ("yum",), "Use the -y switch to avoid manual input `yum install -y <package>`")


RULE = Rule(
    code="DL3030",
    name="yum-yes",
    summary="Use the -y switch with yum install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
