"""## What it does
Flags a `LABEL` whose name is given the type `rfc3339` in `.hadolint.yaml's `label-schema` and
whose value is not an RFC 3339 date-time (`2024-05-01T12:00:00Z`, `2024-05-01T14:00:00.5+02:00`;
the date must exist). hadolint rule `DL3053`. Does nothing without a `label-schema`.

A value holding a variable (`$BUILD_DATE`, the usual way to stamp the build time) is known only at
build time and is not checked (hadolint checks the text as written and would report it).

## Why is this bad?
`org.opencontainers.image.created` and similar labels are read by machines; a date in another
format (`2024-05-01`, `May 1st`) cannot be parsed by them.

## Example
With `label-schema: {org.opencontainers.image.created: rfc3339}`:
```dockerfile
LABEL org.opencontainers.image.created="2024-05-01"
```

## Fix
```dockerfile
ARG BUILD_DATE
LABEL org.opencontainers.image.created="${BUILD_DATE}"
```
and build with `--build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)`. No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import bad_values, is_rfc3339


def check(ctx: RuleContext) -> Iterator[Finding]:
    for label in bad_values(ctx, "rfc3339", is_rfc3339):
        yield RULE.finding(label.value_span, f"Label `{label.name}` is not a valid time format - must conform to RFC3339.")


RULE = Rule(
    code="DL3053",
    name="label-not-rfc3339",
    summary="A label-schema label of type rfc3339 is not an RFC 3339 date-time",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
