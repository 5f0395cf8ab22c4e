"""## What it does
Flags `apt-get install` without `--no-install-recommends`. hadolint rule `DL3015`.

Not reported when the command sets `-o APT::Install-Recommends=false`, or when an earlier `RUN`
of the stage writes an apt configuration that mentions `Install-Recommends`.

## Why is this bad?
By default apt also installs every package the requested ones merely *recommend*: documentation,
optional tools, sometimes whole X11 stacks. Images get bigger and gain attack surface for nothing.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
The quick fix adds the switch after `install`. It is offered but not applied by "fix all": a
program may rely on a recommended package, so check the image still works.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import apt_get_install, missing_option


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_option(
        ctx, RULE, apt_get_install,
        lambda cmd: cmd.has_flag("no-install-recommends") or any("Install-Recommends" in v for v in cmd.values),
        "Install-Recommends", "Avoid additional packages by specifying `--no-install-recommends`",
        "--no-install-recommends", safe=False,
    )


RULE = Rule(
    code="DL3015",
    name="apt-get-no-install-recommends",
    summary="Avoid additional packages by specifying --no-install-recommends",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    per_stage=True,
)
