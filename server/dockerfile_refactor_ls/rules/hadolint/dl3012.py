"""## What it does
Flags every `HEALTHCHECK` after the first in a stage. hadolint rule `DL3012`.

## Why is this bad?
Only the last `HEALTHCHECK` of a stage takes effect; the others are dead code that misleads
readers.

## Example
```dockerfile
HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
HEALTHCHECK CMD wget -qO- http://localhost/health || exit 1
```

## Fix
Keep only the `HEALTHCHECK` you mean.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import repeated


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        for ins in repeated(stage.instructions, "healthcheck"):
            yield RULE.finding(ins.keyword_span, "Multiple `HEALTHCHECK` instructions.")


RULE = Rule(
    code="DL3012",
    name="single-healthcheck",
    summary="Multiple HEALTHCHECK instructions",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
    per_stage=True,
)
