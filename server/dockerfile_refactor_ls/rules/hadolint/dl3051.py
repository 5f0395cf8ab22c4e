"""## What it does
Flags a `LABEL` named in `.hadolint.yaml`'s `label-schema` (whatever its type) whose value is
empty (`LABEL version=""`). hadolint rule `DL3051`. Does nothing without a `label-schema`.

## Why is this bad?
The schema says the label must carry information; an empty value satisfies "the label is present"
(DL3049) without carrying any.

## Example
With `label-schema: {org.opencontainers.image.version: semver}`:
```dockerfile
LABEL org.opencontainers.image.version=""
```

## Fix
Give the label its value, or pass it at build time:
```dockerfile
ARG VERSION
LABEL org.opencontainers.image.version="${VERSION}"
```
No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import label_schema, labels


def check(ctx: RuleContext) -> Iterator[Finding]:
    schema = label_schema(ctx)
    if not schema:
        return
    for label in labels(ctx.doc):
        if label.name in schema and label.value == "":
            yield RULE.finding(label.span, f"label `{label.name}` is empty.")


RULE = Rule(
    code="DL3051",
    name="label-empty",
    summary="A label-schema label is empty",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
