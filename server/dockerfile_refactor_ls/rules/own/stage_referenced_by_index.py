"""## What it does
Flags `COPY --from=<n>` and `ADD --from=<n>` that refer to an earlier stage by its position in the
file. Severity: information.

## Why is this bad?
An index counts `FROM` lines: adding a stage above (a `deps` stage, a test stage) or removing one
silently makes the instruction copy from a different stage, and the build may still succeed with the
wrong files. A name keeps pointing at the same stage and says what is copied from where; it also
makes `docker build --target <name>` possible.

## Example
```dockerfile
FROM golang:1.23
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=0 /out/app /usr/local/bin/app
```

## Fix
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /out/app .
FROM alpine:3.20 AS runtime
COPY --from=builder /out/app /usr/local/bin/app
```
The refactoring "Name the stages" (`refactor.rewrite.nameStages`) names every unnamed stage after what
it does and rewrites the indexes; it is this diagnostic's quick fix. (`RUN --mount=from=<n>` is not
flagged: BuildKit reads a number there as an image name, not a stage.)
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.stage_reads import index_references
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cf in index_references(ctx.doc):
        assert cf.stage is not None
        image = cf.stage.image.text if cf.stage.image is not None else "?"
        yield RULE.finding(
            cf.flag.value_span or cf.flag.span,
            f"{cf.instruction.cmd.upper()} --from={cf.flag.value} refers to stage {cf.stage.index} ({image}) by its "
            "position: adding or removing a stage before it changes what is copied; refer to it by name",
            # nameStages can always name the stage; where it still refuses (syntax errors), the
            # code action layer, which asks it, offers nothing.
            refactorable=True,
        )


RULE = Rule(
    code="StageReferencedByIndex",
    name="stage-referenced-by-index",
    summary="COPY/ADD --from refers to a stage by its index instead of its name",
    severity=Severity.INFORMATION,
    origin="dockerfile-refactor-ls",
    check=check,
)
