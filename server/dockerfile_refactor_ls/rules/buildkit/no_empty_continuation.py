"""## What it does
Flags an instruction continued with `\\` over an empty line (a line with nothing or only
whitespace). BuildKit check `NoEmptyContinuation`. A comment line inside a continuation is not
empty and is not reported.

BuildKit reports this while it parses the file, for the whole file: a `# check=skip=` comment
above the instruction does not silence it (the `# check=skip=NoEmptyContinuation` directive on the
first line does). It is reported once per instruction, on its first empty line.

## Why is this bad?
Empty continuation lines are deprecated: a future version of the Dockerfile syntax will refuse
them, and the build will break. They also make it easy to misread where an instruction ends.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add \\

    curl
```

## Fix
```dockerfile
FROM alpine:3.20
RUN apk add \\
    curl
```
The quick fix deletes the instruction's empty continuation lines; it is safe (BuildKit skips them
today, so the build does not change).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.parser import Instruction
from ...engine.text import Span
from ..base import Rule, RuleContext

_SPACE = " \t\v\f\r\x85\xa0"


def empty_lines(ctx: RuleContext, ins: Instruction) -> list[Span]:
    """The empty physical lines inside the instruction's continuation (each with its line break)."""
    doc = ctx.doc
    lines = doc.lines
    end = ins.line_span.end if ins.line_span is not None else ins.span.end
    first = lines.line_of(ins.span.start)
    last = lines.line_of(end)
    out: list[Span] = []
    for n in range(first + 1, last):
        start, stop = lines.line_start(n), lines.line_end(n)
        if not doc.text[start:stop].strip(_SPACE):
            out.append(Span(start, lines.line_start(n + 1)))
    return out


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    warned = {issue.span.start for issue in doc.parsed.warnings}
    for ins in doc.instructions:
        if ins.line_span is None or ins.line_span.start not in warned:
            continue
        spans = empty_lines(ctx, ins)
        if not spans:
            continue
        first = spans[0]
        where = Span(first.start, doc.lines.line_end(doc.lines.line_of(first.start)))
        yield RULE.finding(
            where,
            "Empty continuation line",
            fixes=[Fix("Remove the empty continuation lines", [Edit(s, "") for s in spans], preferred=True)],
            deprecated=True,
        )


RULE = Rule(
    code="NoEmptyContinuation",
    name="no-empty-continuation",
    summary="An empty line inside a line continuation",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    file_scoped=True,
)
