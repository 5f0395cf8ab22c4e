"""## What it does
Flags `ENV` and `LABEL` in the legacy form that separates key and value with whitespace
(`ENV key value`). BuildKit check `LegacyKeyValueFormat`, with its message word for word (it
names the instruction as written). `ARG` has no such form: `ARG a b` declares two arguments.

## Why is this bad?
The legacy form is deprecated. It takes the whole rest of the line as the value, so
`ENV PATH /opt/bin:$PATH other` sets one variable where a reader may see two, and it cannot set
more than one variable per instruction.

## Example
```dockerfile
FROM alpine:3.20
ENV APP_HOME /opt/app
LABEL maintainer Jane Doe
```

## Fix
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/opt/app
LABEL maintainer="Jane Doe"
```
The quick fix writes `key=value`, quoting a value that contains whitespace. It is offered, and
safe, when the value is on one line and has no quotes or escapes, so the new form gives the same
value; otherwise rewrite it by hand (mind the leading whitespace of continuation lines, which the
legacy form keeps in the value). Matches BuildKit's check and message; no deliberate difference.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext, instructions_of


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for target in instructions_of(doc, "env", "label"):
        for kv in target.pairs:
            if kv.separator != "" or kv.value is None:
                continue
            name = target.keyword
            span = Span(kv.key.span.start, kv.value.span.end)
            fixes: list[Fix] = []
            raw = doc.text[kv.value.span.start : kv.value.span.end]
            if raw == kv.value.value and not any(c in raw for c in "\"'\\`\n"):
                value = f'"{raw}"' if any(c.isspace() for c in raw) else raw
                fixes.append(Fix(f"Use {name} {kv.key.value}={value}", [Edit(span, f"{kv.key.value}={value}")], preferred=True))
            yield RULE.finding(
                span,
                f'"{name} key=value" should be used instead of legacy "{name} key value" format',
                fixes=fixes,
                deprecated=True,
            )


RULE = Rule(
    code="LegacyKeyValueFormat",
    name="legacy-key-value-format",
    summary="ENV or LABEL in the legacy 'key value' form",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
