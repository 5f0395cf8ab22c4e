"""## What it does
Flags `FROM --platform=<constant>` (`--platform=linux/amd64`), unless the stage's name contains the
platform's OS or architecture (`AS build_amd64`, `AS linux`): BuildKit's own exception for stages
that exist to build for one platform. BuildKit check `FromPlatformFlagConstDisallowed`, with its
message word for word. A value with a variable (`$BUILDPLATFORM`) is never reported, nor one that
is not a valid platform (the build reports that).

## Why is this bad?
A constant platform pins the stage to one platform: building the image for several platforms
(`docker build --platform linux/amd64,linux/arm64`) silently builds this stage for the pinned one
only, or runs it under emulation.

## Example
```dockerfile
FROM --platform=linux/amd64 alpine:3.20 AS base
```

## Fix
Drop the flag (and pass `--platform` to `docker build`), use a variable
(`--platform=$BUILDPLATFORM` for a stage that runs build tools), or name the stage after its
platform:
```dockerfile
FROM --platform=linux/amd64 alpine:3.20 AS base-amd64
```
The quick fix removes the flag; on a Go or Rust builder stage the refactoring crossPlatformBuilder
(`refactor.rewrite.crossPlatformBuilder`) is offered too, which sets `$BUILDPLATFORM` and
cross-compiles. Neither is applied by "fix all": on a machine of another
architecture the stage then builds for that architecture instead. Matches BuildKit's check and
message; no deliberate difference.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.images import remove_quotes
from ...engine.platforms import parse_platform
from ...engine.text import Span
from .._platform import cross_builder
from ..base import Rule, RuleContext
from ._common import go_quote


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in doc.stages:
        flag = stage.platform
        if flag is None or not flag.value or "$" in flag.value:
            continue
        value = remove_quotes(flag.value, doc.escape)
        platform = parse_platform(value)
        if platform is None:
            continue
        name = stage.key or ""
        if platform[0] in name or platform[1] in name:
            continue
        end = flag.span.end
        while end < len(doc.text) and doc.text[end] in " \t":
            end += 1
        yield RULE.finding(
            flag.value_span or flag.span,
            f"FROM --platform flag should not use constant value {go_quote(value)}",
            fixes=[Fix("Remove the --platform flag", [Edit(Span(flag.span.start, end), "")], safe=False)],
            refactorable=cross_builder(doc, stage),
        )


RULE = Rule(
    code="FromPlatformFlagConstDisallowed",
    name="from-platform-flag-const-disallowed",
    summary="FROM --platform with a constant value",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
