"""## What it does
Flags a stage named `scratch` or `context` (`FROM alpine AS scratch`). hadolint rule `DL3063`.

It reports what BuildKit's `ReservedStageName` reports: when both run, one diagnostic is shown (the
BuildKit one, saying it also stands for `DL3063`), and either code suppresses it. Names are compared
without regard to case, as BuildKit does.

## Why is this bad?
`scratch` is the empty base image and `context` names the build context: `FROM scratch` or
`COPY --from=context` after such a stage is ambiguous, and BuildKit refuses the name.

## Example
```dockerfile
FROM alpine:3.20 AS scratch
```

## Fix
```dockerfile
FROM alpine:3.20 AS base
```
No quick fix: renaming a stage is a rename (F2 on the stage name), which updates its references.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.model import RESERVED_STAGE_NAMES
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.doc.stages:
        if stage.key in RESERVED_STAGE_NAMES and stage.name_span is not None:
            yield RULE.finding(stage.name_span, "stage name should not be a reserved word")


RULE = Rule(
    code="DL3063",
    name="reserved-stage-name",
    summary="Stage name is a reserved word (scratch, context)",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
