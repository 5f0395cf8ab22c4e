"""## What it does
Flags a stage named `scratch` or `context`. BuildKit check `ReservedStageName`.

## Why is this bad?
`scratch` is the empty base image and `context` names the build context; a stage with either name
cannot be referenced reliably.

BuildKit reports this as a warning (an error with `# check=error=true`), for the whole file: a
`# check=skip=` comment above the `FROM` does not silence it.

## Example
```dockerfile
FROM alpine:3.20 AS scratch
```

## Fix
```dockerfile
FROM alpine:3.20 AS base
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.model import RESERVED_STAGE_NAMES
from ..base import Rule, RuleContext
from ._common import go_quote


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.doc.stages:
        if stage.key in RESERVED_STAGE_NAMES and stage.name_span is not None:
            yield RULE.finding(
                stage.name_span,
                f"Stage name should not use the same name as reserved stage {go_quote(stage.key)}",
            )


RULE = Rule(
    code="ReservedStageName",
    name="reserved-stage-name",
    summary="A stage uses a reserved name (scratch, context)",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    file_scoped=True,
)
