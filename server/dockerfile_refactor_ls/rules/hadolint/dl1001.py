"""## What it does
Flags every inline ignore pragma (`# hadolint ignore=DL3008`). hadolint rule `DL1001`.

**Off by default**, as in hadolint. Teams that want every exception to live in `.hadolint.yaml`,
where it is reviewed once, turn it on by listing `DL1001` under one of the severities of `override`
in `.hadolint.yaml` (for example `override: {warning: [DL1001]}`) or under `rules.severity` in the
editor settings. `# hadolint global ignore=` and `# hadolint stage ignore=` are not reported, as
in hadolint; nor is a comment that is not a valid pragma (hadolint ignores those).

## Why is this bad?
Inline ignores scatter exceptions over the Dockerfiles of a repository; nobody sees the full list,
and they outlive the reason they were added for.

## Example
```dockerfile
# hadolint ignore=DL3008
RUN apt-get install -y curl
```

## Fix
Fix the finding, or move the exception to `.hadolint.yaml` (`ignored: [DL3008]`). The quick fix
deletes the pragma line; it is not safe (the finding it hid comes back) and not part of "fix all".
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.settings import parse_ignore_pragma
from ...engine.text import Span
from ..base import Rule, RuleContext
from .dl3057 import enabled


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not enabled(ctx, "DL1001"):
        return
    from ..registry import all_rules

    known = frozenset(r.code for r in all_rules())
    doc = ctx.doc
    for c in doc.parsed.comments:
        parsed = parse_ignore_pragma(doc.text[c.start : c.end], known)
        if parsed is None or parsed[0] != "":
            continue
        line = doc.lines.line_of(c.start)
        start = doc.lines.line_start(line)
        end = doc.lines.line_start(line + 1) if line + 1 < doc.lines.line_count else len(doc.text)
        yield RULE.finding(
            c,
            "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.",
            fixes=[Fix("Remove the ignore pragma", [Edit(Span(start, end), "")], safe=False)],
        )


RULE = Rule(
    code="DL1001",
    name="no-inline-ignore-pragmas",
    summary="Inline ignore pragmas (off by default)",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
)
