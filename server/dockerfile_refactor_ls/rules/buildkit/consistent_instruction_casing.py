"""## What it does
Flags an instruction keyword that is neither all upper case nor all lower case (`From`, `EntryPoint`),
or whose case differs from the majority of the file's instructions. BuildKit check
`ConsistentInstructionCasing`, with its message word for word.

As in BuildKit, the instructions of the stages are counted and checked (`FROM` and everything after
it, not `ARG`s before the first `FROM`); only consistently cased keywords vote, and a tie counts as
upper case. BuildKit checks this over the whole file, so a `# check=skip=` comment above one
instruction does not silence it.

## Why is this bad?
Mixed-case keywords are harder to read and to search for; a file that mixes `RUN` and `run` looks
as if it were written by several people with different conventions.

## Example
```dockerfile
FROM alpine:3.20
copy app /app
Run make
```

## Fix
```dockerfile
FROM alpine:3.20
COPY app /app
RUN make
```
The quick fix rewrites the keyword in the majority's case; it is safe (keywords are
case-insensitive). Matches BuildKit's check and message; no deliberate difference.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.parser import KNOWN_INSTRUCTIONS, Instruction
from ..base import Rule, RuleContext
from ._common import write_fix


def _stage_instructions(ctx: RuleContext) -> list[Instruction]:
    return [
        ins
        for stage in ctx.doc.stages
        for ins in [stage.from_instruction, *stage.instructions]
        if ins.cmd in KNOWN_INSTRUCTIONS and ins.keyword
    ]


def check(ctx: RuleContext) -> Iterator[Finding]:
    instructions = _stage_instructions(ctx)
    lower = sum(1 for i in instructions if i.keyword == i.keyword.lower())
    upper = sum(1 for i in instructions if i.keyword == i.keyword.upper() and i.keyword != i.keyword.lower())
    majority_lower = lower > upper
    for ins in instructions:
        kw = ins.keyword
        if majority_lower and kw != kw.lower():
            want, casing = kw.lower(), "lowercase"
        elif not majority_lower and kw != kw.upper():
            want, casing = kw.upper(), "uppercase"
        else:
            continue
        yield RULE.finding(
            ins.keyword_span,
            f"Command '{kw}' should match the case of the command majority ({casing})",
            fixes=[write_fix(ins.keyword_span, want)],
        )


RULE = Rule(
    code="ConsistentInstructionCasing",
    name="consistent-instruction-casing",
    summary="Instruction keywords are not consistently cased",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    file_scoped=True,
)
