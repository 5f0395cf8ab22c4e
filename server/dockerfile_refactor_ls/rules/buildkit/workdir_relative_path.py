"""## What it does
Flags the first `WORKDIR` of a stage's lineage when it is relative: BuildKit checks only the first
`WORKDIR` set in the Dockerfile for a stage, counting the stages it is built `FROM` (a `WORKDIR /app`
in `base` covers a `WORKDIR sub` in `FROM base`), and none after it, since fixing the first fixes
them all. BuildKit check `WorkdirRelativePath`.

A path starting with a variable is resolved only at build time and is not reported; Windows paths
(`C:\\app`, `\\app`) count as absolute, for stages that build Windows images (BuildKit decides
by the stage's platform, which the editor cannot know).

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
The quick fix makes the path absolute from `/`. It is not applied by "fix all": the base image's
working directory may not be `/`, so the result can be a different directory.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.images import remove_quotes
from ..base import Rule, RuleContext
from ._common import go_quote


def _is_absolute(path: str) -> bool:
    path = path.strip("\"'")
    # Windows paths (C:\app, c:/app) and variables (resolved at build time) count as absolute.
    return path.startswith(("/", "\\", "$")) or (len(path) > 1 and path[1] == ":")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        if ctx.chains().parents_have(stage, "workdir", via_args=False):
            continue  # the first WORKDIR of the lineage is in a parent stage
        first = next((i for i in stage.instructions if i.cmd == "workdir" and i.args_text), None)
        if first is None or _is_absolute(first.args_text):
            continue
        path = remove_quotes(first.args_text, ctx.doc.escape)  # what BuildKit's lexer makes of it
        yield RULE.finding(
            first.args_span,
            f"Relative workdir {go_quote(path)} can have unexpected results if the base image changes",
            fixes=[Fix(f"Use /{first.args_text}", [Edit(first.args_span, "/" + first.args_text)], safe=False)],
        )


RULE = Rule(
    code="WorkdirRelativePath",
    name="workdir-relative-path",
    summary="The first WORKDIR of a stage is relative",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    per_stage=True,
)
