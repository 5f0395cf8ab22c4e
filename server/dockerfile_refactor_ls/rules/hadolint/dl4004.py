"""## What it does
Flags every `ENTRYPOINT` after the first in a stage. hadolint rule `DL4004`.

## Why is this bad?
Only the last `ENTRYPOINT` of a stage takes effect; the earlier ones are dead code that misleads
readers.

## Example
```dockerfile
ENTRYPOINT ["/docker-entrypoint.sh"]
ENTRYPOINT ["/usr/bin/tini", "--"]
```

## Fix
Keep one `ENTRYPOINT`; chain the programs inside it if both are needed
(`ENTRYPOINT ["/usr/bin/tini", "--", "/docker-entrypoint.sh"]`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import repeated


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        for ins in repeated(stage.instructions, "entrypoint"):
            yield RULE.finding(
                ins.keyword_span,
                "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` "
                "then only the last `ENTRYPOINT` will take effect",
            )


RULE = Rule(
    code="DL4004",
    name="single-entrypoint",
    summary="Multiple ENTRYPOINT instructions found",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
    per_stage=True,
)
