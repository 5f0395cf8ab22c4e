"""## What it does
Flags `COPY` to a relative destination in a stage where no `WORKDIR` has been set (in the stage or
the stages it is built on). hadolint rule `DL3045`.

Absolute destinations, Windows drive paths and destinations starting with a variable are accepted.

Differs from hadolint: any destination in a stage built `FROM scratch` is accepted, since BuildKit
gives such a stage the working directory `/` (hadolint reports those).

## Why is this bad?
A relative destination is resolved against the working directory of the base image, which the
Dockerfile does not show and which can change with a new base image version.

## Example
```dockerfile
FROM node:22
COPY package.json .
```

## Fix
```dockerfile
FROM node:22
WORKDIR /app
COPY package.json .
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def _absolute(dest: str) -> bool:
    d = dest.strip("'\"")
    if d.startswith(("/", "$", "\\")):
        return True
    return len(d) >= 3 and d[0].isalpha() and d[1] == ":" and d[2] in "/\\"


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage, instructions in ctx.units():
        root = stage.root_image() if stage is not None else None
        # In a stage built from scratch the working directory is known to be `/`. The parents'
        # WORKDIRs: one answer per stage for the whole analysis (a walk per stage was quadratic).
        workdir = (root is not None and root.is_scratch) or (
            stage is not None and ctx.chains().parents_have(stage, "workdir")
        )
        for ins in instructions:
            if ins.cmd == "workdir":
                workdir = True
            if workdir or ins.cmd != "copy" or len(ins.args) < 2:
                continue
            dest = ins.args[-1]
            raw = ctx.doc.text[dest.span.start : dest.span.end]
            if not _absolute(dest.value) and not _absolute(raw):
                yield RULE.finding(dest.span, "`COPY` to a relative destination without `WORKDIR` set.")


RULE = Rule(
    code="DL3045",
    name="copy-relative-without-workdir",
    summary="COPY to a relative destination without WORKDIR set",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
