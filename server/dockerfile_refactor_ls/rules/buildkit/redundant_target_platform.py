"""## What it does
Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`, also with a `:-` default): the
platform BuildKit uses for a base image when `--platform` is not given. BuildKit check
`RedundantTargetPlatform`, with its message word for word (it quotes the flag's value as written).
A value that combines `TARGETPLATFORM` with anything else is not reported.

## Why is this bad?
The flag repeats the default and suggests to readers that the stage is special.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20 AS builder
```

## Fix
```dockerfile
FROM alpine:3.20 AS builder
```
The quick fix removes the flag; it is safe (the base image's platform is the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.base_images import remove_quotes
from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext

_ONLY_TARGET = re.compile(r"^\$(?:TARGETPLATFORM|\{TARGETPLATFORM(?::?-[^}]*)?\})$")


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in doc.stages:
        flag = stage.platform
        if flag is None or flag.value is None:
            continue
        if not _ONLY_TARGET.match(remove_quotes(flag.value, doc.escape)):
            continue
        end = flag.span.end
        while end < len(doc.text) and doc.text[end] in " \t":
            end += 1
        yield RULE.finding(
            flag.span,
            f"Setting platform to predefined {flag.value} in FROM is redundant as this is the default behavior",
            fixes=[Fix("Remove the --platform flag", [Edit(Span(flag.span.start, end), "")], preferred=True)],
            unnecessary=True,
        )


RULE = Rule(
    code="RedundantTargetPlatform",
    name="redundant-target-platform",
    summary="FROM --platform=$TARGETPLATFORM repeats the default",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
