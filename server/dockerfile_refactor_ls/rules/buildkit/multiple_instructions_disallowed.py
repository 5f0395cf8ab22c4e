"""## What it does
Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one of the same kind in the same stage
overrides. BuildKit check `MultipleInstructionsDisallowed`.

## Why is this bad?
Only the last one takes effect; the earlier one is dead code that misleads readers.

## Example
```dockerfile
CMD ["node", "a.js"]
CMD ["node", "b.js"]
```

## Fix
Delete all but the last one (the quick fix does this).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in ctx.stages():
        # Each instruction is reported with the name (as written) of the one that overrides it,
        # which is what BuildKit's message carries.
        following: dict[int, str] = {}
        seen: dict[str, int] = {}
        for i, ins in enumerate(stage.instructions):
            if ins.cmd in ("cmd", "entrypoint", "healthcheck"):
                if ins.cmd in seen:
                    following[seen[ins.cmd]] = ins.keyword
                seen[ins.cmd] = i
        for i, ins in enumerate(stage.instructions):
            if i in following:
                # Delete the whole line, including its line break.
                start = doc.lines.line_start(doc.lines.line_of(ins.span.start))
                end_line = doc.lines.line_of(ins.span.end)
                end = (
                    doc.lines.line_start(end_line + 1) if end_line + 1 < doc.lines.line_count else ins.span.end
                )
                yield RULE.finding(
                    ins.keyword_span,
                    f"Multiple {following[i]} instructions should not be used in the same stage "
                    "because only the last one will be used",
                    fixes=[Fix(f"Remove this overridden {ins.keyword.upper()}", [Edit(Span(start, end), "")])],
                    unnecessary=True,
                )


RULE = Rule(
    code="MultipleInstructionsDisallowed",
    name="multiple-instructions-disallowed",
    summary="An overridden CMD, ENTRYPOINT or HEALTHCHECK",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    per_stage=True,
)
