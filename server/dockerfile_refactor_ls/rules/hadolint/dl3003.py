"""## What it does
Flags `cd` in a `RUN` instruction. hadolint rule `DL3003`.

## Why is this bad?
A `cd` only lasts until the end of its `RUN`; the next instruction starts in the `WORKDIR` again.
Scripts that `cd` around are harder to follow than a `WORKDIR`, which also creates the directory
and is visible to every later instruction (`COPY`, `CMD`, ...).

## Example
```dockerfile
RUN cd /usr/src/app && make
```

## Fix
```dockerfile
WORKDIR /usr/src/app
RUN make
```
Use a subshell or `make -C`, `git -C`, `tar -C` where a directory is needed for one command only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands("cd"):
        yield RULE.finding(cmd.span, "Use WORKDIR to switch to a directory")


RULE = Rule(
    code="DL3003",
    name="use-workdir",
    summary="Use WORKDIR to switch to a directory",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
