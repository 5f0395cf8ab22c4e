"""## What it does
Flags a `LABEL` whose name is given the type `email` in `.hadolint.yaml's `label-schema` and
whose value is not an email address (an RFC 5322 `addr-spec`: `local@domain`, without a display
name). hadolint rule `DL3058`. Does nothing without a `label-schema`.

A value holding a variable is known only at build time and is not checked (hadolint checks the text
as written and would report it).

## Why is this bad?
A `maintainer` or contact label is only useful if mail can reach it; `Jane Doe <jane@x.org>` or a
bare name is not an address tools can use.

## Example
With `label-schema: {maintainer: email}`:
```dockerfile
LABEL maintainer="Jane Doe <jane@example.org>"
```

## Fix
```dockerfile
LABEL maintainer="jane@example.org"
```
No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import bad_values, is_email


def check(ctx: RuleContext) -> Iterator[Finding]:
    for label in bad_values(ctx, "email", is_email):
        yield RULE.finding(label.value_span, f"Label `{label.name}` is not a valid email format - must conform to RFC5322.")


RULE = Rule(
    code="DL3058",
    name="label-not-email",
    summary="A label-schema label of type email is not an email address",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
