"""## What it does
Flags `ONBUILD FROM`, `ONBUILD MAINTAINER` and `ONBUILD ONBUILD`. hadolint rule `DL3043`.

## Why is this bad?
Docker does not allow these instructions as `ONBUILD` triggers; a build that uses the image as a
base fails.

## Example
```dockerfile
ONBUILD FROM debian:12
```

## Fix
Remove the trigger, or put the instruction in the downstream Dockerfile.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for ins in ctx.doc.instructions:
        if ins.cmd == "onbuild" and ins.sub is not None and ins.sub.cmd in ("from", "maintainer", "onbuild"):
            yield RULE.finding(
                ins.sub.keyword_span,
                "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
            )


RULE = Rule(
    code="DL3043",
    name="onbuild-forbidden-trigger",
    summary="ONBUILD, FROM or MAINTAINER triggered from within ONBUILD",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
