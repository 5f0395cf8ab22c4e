"""## What it does
Flags instructions before the first `FROM` other than `ARG`. hadolint rule `DL3061`.

## Why is this bad?
A Dockerfile must start with `FROM`; only `ARG` (for values used in `FROM` lines), comments and
parser directives may come before it. Anything else is an error when the build starts.

## Example
```dockerfile
LABEL org.opencontainers.image.source="https://example.com/repo"
FROM alpine:3.20
```

## Fix
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://example.com/repo"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for ins in ctx.doc.preamble:
        if ins.cmd == "arg" or ins.cmd not in _INSTRUCTIONS:
            continue
        yield RULE.finding(
            ins.keyword_span,
            "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
        )


_INSTRUCTIONS = frozenset(
    (
        "add", "cmd", "copy", "entrypoint", "env", "expose", "healthcheck", "label", "maintainer",
        "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
    )
)  # fmt: skip


RULE = Rule(
    code="DL3061",
    name="from-first",
    summary="Dockerfile must begin with FROM, ARG or comment",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
