"""## What it does
Flags `COPY --from=<stage> / /`: copying the whole file system of another stage or image into the
root of this one. hadolint rule `DL3067`. Quoted paths (`"/"`) count too.

## Why is this bad?
It defeats the point of a multi-stage build: everything of the other stage (compilers, caches,
package lists, its `/etc/passwd`) ends up in the image, over the files of this stage's base.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12
COPY --from=build / /
```

## Fix
Copy only what the image needs:
```dockerfile
COPY --from=build /out/app /app
```
No quick fix: which files are needed is not written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def _is_root(path: str) -> bool:
    return path.strip("'\"") == "/"


def check(ctx: RuleContext) -> Iterator[Finding]:
    for ins in ctx.doc.instructions:
        if ins.cmd != "copy" or ins.flag("from") is None or len(ins.args) < 2:
            continue
        *sources, dest = ins.args
        root = next((s for s in sources if _is_root(s.value)), None)
        if root is not None and _is_root(dest.value):
            yield RULE.finding(root.span, "Do not copy an entire filesystem from another stage")


RULE = Rule(
    code="DL3067",
    name="copy-entire-filesystem",
    summary="Do not copy an entire filesystem from another stage",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
