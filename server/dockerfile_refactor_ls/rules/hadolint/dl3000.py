"""## What it does
Flags a `WORKDIR` with a relative path. hadolint rule `DL3000`.

Paths that start with `/`, a Windows drive (`C:`), or a variable (`$HOME/app`) are accepted.

## Why is this bad?
A relative `WORKDIR` is resolved against the previous working directory, which may have been set
by the base image. The resulting path depends on something the Dockerfile does not show, and
changes silently when the base image does.

## Example
```dockerfile
WORKDIR app
```

## Fix
```dockerfile
WORKDIR /app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext, instructions_of


def _absolute(path: str) -> bool:
    path = path.strip("'\"")
    if not path:
        return True
    if path.startswith(("/", "$", "\\")):
        return True
    return len(path) >= 2 and path[0].isalpha() and path[1] == ":"


def check(ctx: RuleContext) -> Iterator[Finding]:
    for target in instructions_of(ctx.doc, "workdir"):
        if _absolute(target.args_text):
            continue
        yield RULE.finding(target.args_span, "Use absolute WORKDIR")


RULE = Rule(
    code="DL3000",
    name="absolute-workdir",
    summary="Use absolute WORKDIR",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
