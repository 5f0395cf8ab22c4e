"""## What it does
Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`). hadolint rule `DL3065`.

BuildKit's `RedundantTargetPlatform` reports the same instruction.

## Why is this bad?
A stage is built for the target platform unless told otherwise: the flag says nothing and suggests
to the reader that the stage is special. (The useful form is `--platform=$BUILDPLATFORM`, for a
stage that cross-compiles on the build machine.)

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20
```

## Fix
```dockerfile
FROM alpine:3.20
```
The quick fix removes the flag; it is safe (the build is the same) and part of "fix all".
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    text = ctx.doc.text
    for stage in ctx.doc.stages:
        flag = stage.platform
        if flag is None or flag.value not in ("$TARGETPLATFORM", "${TARGETPLATFORM}"):
            continue
        end = flag.span.end
        while end < len(text) and text[end] in " \t":
            end += 1
        yield RULE.finding(
            flag.span,
            "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior",
            fixes=[Fix("Remove --platform", [Edit(Span(flag.span.start, end), "")], preferred=True)],
        )


RULE = Rule(
    code="DL3065",
    name="redundant-target-platform",
    summary="FROM --platform=$TARGETPLATFORM is redundant",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
