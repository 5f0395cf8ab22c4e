"""## What it does
Flags a stage name (`FROM ... AS <name>`) used by an earlier stage already. hadolint rule `DL3024`.

Names are compared the way BuildKit does, without regard to case.

## Why is this bad?
BuildKit refuses the build ("duplicate stage name"); older builders let the later stage shadow the
earlier one, so `COPY --from=<name>` silently copies from a different stage than intended.

## Example
```dockerfile
FROM node:22 AS build
FROM golang:1.23 AS build
```

## Fix
Give every stage its own name.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for stage in ctx.doc.stages:
        key = stage.key
        if key is None or stage.name_span is None:
            continue
        if key in seen:
            yield RULE.finding(stage.name_span, "FROM aliases (stage names) must be unique")
        seen.add(key)


RULE = Rule(
    code="DL3024",
    name="unique-stage-names",
    summary="FROM aliases (stage names) must be unique",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
