"""## What it does
Flags `COPY --from=<name>` where `<name>` is the stage the instruction is in. hadolint rule
`DL3023`.

## Why is this bad?
A stage cannot copy from itself: its files are not built yet. BuildKit fails with a circular
dependency, or pulls an image of that name if it looks like one.

## Example
```dockerfile
FROM debian:12 AS build
COPY --from=build /src /src
```

## Fix
Copy from the stage that produces the files, or from the build context (`COPY src /src`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        if stage.key is None:
            continue
        for ins in stage.instructions:
            if ins.cmd != "copy":
                continue
            flag = ins.flag("from")
            if flag is not None and flag.value and flag.value.lower() == stage.key:
                yield RULE.finding(
                    flag.value_span or flag.span,
                    "`COPY --from` cannot reference its own `FROM` alias",
                )


RULE = Rule(
    code="DL3023",
    name="copy-from-own-stage",
    summary="COPY --from cannot reference its own FROM alias",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
    per_stage=True,
)
