"""## What it does
Flags `COPY` with several sources whose destination does not end with `/`. hadolint rule `DL3021`.

Differs from hadolint: a destination given by a variable is not reported (BuildKit expands it),
nor a Windows directory ending with `\\` (hadolint asks for `/` there too).

## Why is this bad?
With more than one source the destination must be a directory, and Docker requires it to end with
`/`; the build fails with "When using COPY with more than one source file, the destination must be
a directory and end with a /".

## Example
```dockerfile
COPY package.json package-lock.json /app
```

## Fix
```dockerfile
COPY package.json package-lock.json /app/
```
The quick fix appends the `/`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext, instructions_of
from ._common import has_variable


def check(ctx: RuleContext) -> Iterator[Finding]:
    for target in instructions_of(ctx.doc, "copy"):
        if len(target.args) < 3:
            continue
        dest = target.args[-1]
        value = dest.value.strip("'\"")
        if not value or value.endswith(("/", "\\")) or has_variable(value):
            continue
        fixes = []
        raw = ctx.doc.text[dest.span.start : dest.span.end]
        if raw and raw[-1] in "'\"" and len(raw) >= 2:
            at = dest.span.end - 1
        elif raw.endswith(value):
            at = dest.span.end
        else:
            at = -1
        if at >= 0:
            fixes.append(Fix("Add a trailing /", [Edit(Span(at, at), "/")], preferred=True))
        yield RULE.finding(
            dest.span,
            "COPY with more than 2 arguments requires the last argument to end with /",
            fixes=fixes,
        )


RULE = Rule(
    code="DL3021",
    name="copy-multiple-sources-dir",
    summary="COPY with more than 2 arguments requires the last argument to end with /",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
