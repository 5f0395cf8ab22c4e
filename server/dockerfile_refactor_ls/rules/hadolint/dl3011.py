"""## What it does
Flags `EXPOSE` ports outside the range 0 to 65535. hadolint rule `DL3011`.

Ports given by a variable are not checked.

## Why is this bad?
TCP and UDP ports are 16-bit numbers; Docker rejects anything larger when the image is built or
run.

## Example
```dockerfile
EXPOSE 80800
```

## Fix
```dockerfile
EXPOSE 8080
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext, instructions_of

_PORT = re.compile(r"^(?:[\d.]*:)?(?:\d+:)?(\d+)(?:-(\d+))?(?:/\w+)?$")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for target in instructions_of(ctx.doc, "expose"):
        for tok in target.args:
            m = _PORT.match(tok.value.strip("'\""))
            if m is None:
                continue
            ports = [int(p) for p in m.groups() if p is not None]
            if any(p > 65535 for p in ports):
                yield RULE.finding(tok.span, "Valid UNIX ports range from 0 to 65535")


RULE = Rule(
    code="DL3011",
    name="valid-port",
    summary="Valid UNIX ports range from 0 to 65535",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
