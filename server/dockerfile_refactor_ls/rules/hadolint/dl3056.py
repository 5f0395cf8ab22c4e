"""## What it does
Flags a `LABEL` whose name is given the type `semver` in `.hadolint.yaml's `label-schema` and
whose value is not a [semantic version](https://semver.org/) (`1.2.3`, `2.0.1-rc1`, `1.0.0+build.5`;
not `1.2`, `v1.2.3` or `01.2.3`). hadolint rule `DL3056`. Does nothing without a `label-schema`.

A value holding a variable (`$VERSION`) is known only at build time and is not checked (hadolint
checks the text as written and would report it).

## Why is this bad?
Tools that sort or compare image versions by the label need a version they can parse.

## Example
With `label-schema: {org.opencontainers.image.version: semver}`:
```dockerfile
LABEL org.opencontainers.image.version="v1.2"
```

## Fix
```dockerfile
LABEL org.opencontainers.image.version="1.2.0"
```
No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import bad_values, is_semver


def check(ctx: RuleContext) -> Iterator[Finding]:
    for label in bad_values(ctx, "semver", is_semver):
        yield RULE.finding(label.value_span, f"Label `{label.name}` does not conform to semantic versioning.")


RULE = Rule(
    code="DL3056",
    name="label-not-semver",
    summary="A label-schema label of type semver is not a semantic version",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
