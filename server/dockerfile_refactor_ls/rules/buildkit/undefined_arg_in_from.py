"""## What it does
Flags a variable in a `FROM` line that no global `ARG` (an `ARG` before the first `FROM`) declares.
BuildKit check `UndefinedArgInFrom`. The automatic platform arguments (`BUILDPLATFORM`,
`TARGETPLATFORM`, `TARGETARCH`, ...) need no declaration.

## Why is this bad?
Only global ARGs are visible to `FROM`. An undeclared one expands to the empty string, so
`FROM golang:${GO_VERSION}` becomes `FROM golang:` and the build fails, or pulls something else.

## Example
```dockerfile
FROM golang:${GO_VERSION}
```

## Fix
```dockerfile
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}
```
When the name is one or two edits away from a declared global `ARG` or an automatic platform
argument, the message says which (`(did you mean BUILDPLATFORM?)`, as BuildKit's does) and a quick
fix changes the reference to it. A `${NAME:-default}` still counts as a use of `NAME`, as in
BuildKit.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS
from ..base import Rule, RuleContext
from ._common import suggest


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    declared = {d.name for d in doc.global_args}
    for ref in doc.var_refs:
        if ref.stage is None or ref.instruction is not ref.stage.from_instruction:
            continue
        if ref.name in declared or ref.name in AUTOMATIC_PLATFORM_ARGS or ref.name in PREDEFINED_ARGS:
            continue
        message = f"FROM argument '{ref.name}' is not declared"
        close = suggest(ref.name, declared | AUTOMATIC_PLATFORM_ARGS)
        fixes: list[Fix] = []
        if close:
            message += f" (did you mean {close}?)"
            # Unsafe: another variable means another base image.
            fixes.append(Fix(f"Change to {close}", [Edit(ref.name_span, close)], safe=False, preferred=True))
        yield RULE.finding(ref.name_span, message, fixes=fixes)


RULE = Rule(
    code="UndefinedArgInFrom",
    name="undefined-arg-in-from",
    summary="FROM uses an ARG that is not declared before the first FROM",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
