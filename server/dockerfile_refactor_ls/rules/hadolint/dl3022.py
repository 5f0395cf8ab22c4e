"""## What it does
Flags `COPY --from=<name>` where `<name>` is not a stage defined earlier in the file.
hadolint rule `DL3022`.

Values that are clearly image references (they contain `:`, `/` or `@`), numeric stage indexes
and variables are not reported, nor the current stage's own name (see `DL3023`). In a file
without any named stage, `--from=alpine` can only mean an image (or a named build context), so
nothing is reported there.

## Why is this bad?
`--from` takes a stage name, a stage index, an image, or a named build context. A bare name that
is none of the earlier stages is most often a typo or a stage defined further down; BuildKit then
tries to pull an image of that name from Docker Hub. (If you pass it as a named build context with
`docker build --build-context <name>=...`, ignore this rule for the line.)

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=builder /out/app /usr/local/bin/app
```

## Fix
```dockerfile
COPY --from=build /out/app /usr/local/bin/app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not any(s.name for s in ctx.doc.stages):
        return  # without named stages, `--from=<name>` can only mean an image or a build context
    for stage in ctx.doc.stages:
        for cf in stage.copies_from:
            value = cf.flag.value or ""
            if cf.instruction.cmd != "copy" or cf.stage is not None or not value:
                continue
            if any(c in value for c in ":/@$") or value.isdigit():
                continue
            if stage.key is not None and value.lower() == stage.key:
                continue
            yield RULE.finding(
                cf.flag.value_span or cf.flag.span,
                "COPY --from should reference a previously defined FROM alias",
            )


RULE = Rule(
    code="DL3022",
    name="copy-from-previous-stage",
    summary="COPY --from should reference a previously defined FROM alias",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
