"""## What it does
Flags a stage name with upper-case letters. BuildKit check `StageNameCasing`.

## Why is this bad?
BuildKit lower-cases stage names, so `AS Builder` is referenced as `builder`; mixed case suggests a
distinction that does not exist.

## Example
```dockerfile
FROM golang:1.22 AS Builder
```

## Fix
```dockerfile
FROM golang:1.22 AS builder
```
The quick fix renames the stage and every reference to it (`FROM <stage>`, `COPY --from`); it is
safe, since BuildKit matches stage names case-insensitively. Matches BuildKit's check and message;
no deliberate difference.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in doc.stages:
        if stage.name is None or stage.name_span is None or stage.name == stage.name.lower():
            continue
        lower = stage.name.lower()
        edits = [Edit(stage.name_span, lower)]
        for other in doc.stages[stage.index + 1 :]:
            if other.base_stage is stage and other.image is not None:
                edits.append(Edit(other.image.span, lower))
            for cf in other.copies_from:
                if cf.stage is stage and cf.flag.value_span is not None:
                    edits.append(Edit(cf.flag.value_span, lower))
        yield RULE.finding(
            stage.name_span,
            f"Stage name {stage.name!r} should be lowercase",
            fixes=[Fix(f"Rename stage to {lower!r}", edits, preferred=True)],
        )


RULE = Rule(
    code="StageNameCasing",
    name="stage-name-casing",
    summary="Stage name is not lower case",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
