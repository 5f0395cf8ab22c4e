"""## What it does
Flags `FROM --platform=<fixed platform>`. hadolint rule `DL3029`.

A platform given by a variable (`--platform=$BUILDPLATFORM`, the usual cross-compilation pattern)
is not reported.

Differs from hadolint: any variable counts, as BuildKit expands them all (`--platform=${MYARCH}`);
hadolint accepts only values that mention `BUILDPLATFORM` or `TARGETPLATFORM`, so a misspelt
`$BULIDPLATFORM` is reported there and expands to the empty default platform here.

## Why is this bad?
A hard-coded platform makes the image build for that platform only, whatever the builder is asked
for: `docker buildx build --platform linux/arm64` then silently produces an amd64 stage (run under
emulation, if at all).

## Example
```dockerfile
FROM --platform=linux/amd64 debian:12
```

## Fix
```dockerfile
FROM debian:12
```
or, for a build stage that should run natively: `FROM --platform=$BUILDPLATFORM golang:1.23 AS build`.
On a Go or Rust builder stage the refactoring crossPlatformBuilder (`refactor.rewrite.crossPlatformBuilder`)
is the quick fix: it sets `$BUILDPLATFORM` and makes the build cross-compile to the target.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from .._platform import cross_builder
from ..base import Rule, RuleContext
from ._common import has_variable


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.doc.stages:
        flag = stage.platform
        if flag is None or not flag.value or has_variable(flag.value):
            continue
        yield RULE.finding(flag.span, "Do not use --platform flag with FROM", refactorable=cross_builder(ctx.doc, stage))


RULE = Rule(
    code="DL3029",
    name="no-fixed-platform",
    summary="Do not use --platform flag with FROM",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
