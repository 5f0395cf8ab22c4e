"""## What it does
Flags a relative `WORKDIR` in a stage that has not set an absolute one before. BuildKit check
`WorkdirRelativePath`.

## Why is this bad?
A relative `WORKDIR` is resolved against the base image's working directory, which can change when
the base image changes.

## Example
```dockerfile
FROM node:20
WORKDIR app
```

## Fix
```dockerfile
FROM node:20
WORKDIR /app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext


def _is_absolute(path: str) -> bool:
    path = path.strip("\"'")
    # Windows paths (C:\app, c:/app) and variables (resolved at build time) count as absolute.
    return path.startswith(("/", "\\", "$")) or (len(path) > 1 and path[1] == ":")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        absolute_seen = False
        for ins in stage.instructions:
            if ins.cmd != "workdir" or not ins.args_text:
                continue
            if _is_absolute(ins.args_text):
                absolute_seen = True
                continue
            if absolute_seen:
                continue
            yield RULE.finding(
                ins.args_span,
                f"Relative workdir {ins.args_text!r} can have unexpected results if the base image changes",
                fixes=[Fix(f"Use /{ins.args_text}", [Edit(ins.args_span, "/" + ins.args_text)], safe=False)],
            )


RULE = Rule(
    code="WorkdirRelativePath",
    name="workdir-relative-path",
    summary="Relative WORKDIR without an absolute one before it",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    per_stage=True,
)
