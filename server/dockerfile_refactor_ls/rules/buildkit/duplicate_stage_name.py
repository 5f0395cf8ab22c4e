"""## What it does
Flags a stage whose name (compared case-insensitively, as BuildKit does) was already used by an
earlier stage. BuildKit check `DuplicateStageName`.

## Why is this bad?
`COPY --from=<name>`, `FROM <name>` and `--target <name>` pick one of the stages and silently ignore
the other, so a build can use a stage you did not mean.

## Example
```dockerfile
FROM golang:1.22 AS build
FROM node:20 AS build
```

BuildKit reports this as a warning (an error with `# check=error=true`); the build itself goes on.
A `# check=skip=` comment above the `FROM` does not silence it, because BuildKit checks stage names
over the whole file (use the `# check=skip=DuplicateStageName` directive on the first line).

## Fix
Give each stage its own name:
```dockerfile
FROM golang:1.22 AS build-api
FROM node:20 AS build-web
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import go_quote


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for stage in ctx.doc.stages:
        if stage.key is None or stage.name_span is None:
            continue
        if stage.key in seen:
            yield RULE.finding(
                stage.name_span, f"Duplicate stage name {go_quote(stage.key)}, stage names should be unique"
            )
        seen.add(stage.key)


RULE = Rule(
    code="DuplicateStageName",
    name="duplicate-stage-name",
    summary="Two stages share a name",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    file_scoped=True,
)
