"""## What it does
Flags `FROM ... as name` when `FROM` is upper case (or `from ... AS name` when it is lower case).
BuildKit check `FromAsCasing`.

## Why is this bad?
Mixed keyword casing within one instruction is harder to read and to search for.

## Example
```dockerfile
FROM golang:1.22 as builder
```

## Fix
```dockerfile
FROM golang:1.22 AS builder
```
The quick fix rewrites `AS` in the case of `FROM`; it is safe (keywords are case-insensitive).
Matches BuildKit's check and message: a `FROM` that is itself mixed case (`From`) is left to
ConsistentInstructionCasing, as in BuildKit.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import write_fix


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in doc.stages:
        if stage.as_span is None:
            continue
        kw = stage.from_instruction.keyword
        as_text = doc.text[stage.as_span.start : stage.as_span.end]
        if kw.isupper() and not as_text.isupper():
            want = "AS"
        elif kw.islower() and not as_text.islower():
            want = "as"
        else:
            continue
        yield RULE.finding(
            stage.as_span,
            f"'{as_text}' and '{kw}' keywords' casing do not match",
            fixes=[write_fix(stage.as_span, want)],
        )


RULE = Rule(
    code="FromAsCasing",
    name="from-as-casing",
    summary="FROM and AS keywords differ in case",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
