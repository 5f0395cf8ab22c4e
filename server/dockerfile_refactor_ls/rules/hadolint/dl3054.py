"""## What it does
Flags a `LABEL` whose name is given the type `spdx` in `.hadolint.yaml's `label-schema` and whose
value is not an identifier from the [SPDX license list](https://spdx.org/licenses/) (`MIT`,
`Apache-2.0`, `BSD-3-Clause`). hadolint rule `DL3054`. Does nothing without a `label-schema`.

As in hadolint a single identifier is expected, not an expression (`MIT OR Apache-2.0` is
reported). Identifiers are compared without regard to case, as SPDX specifies; the list is the one
the `packaging` library ships.

## Why is this bad?
License scanners match the label against the SPDX list; `Apache 2`, `BSD` or `GPL` match nothing
and the image is treated as unlicensed.

## Example
With `label-schema: {org.opencontainers.image.licenses: spdx}`:
```dockerfile
LABEL org.opencontainers.image.licenses="Apache 2"
```

## Fix
```dockerfile
LABEL org.opencontainers.image.licenses="Apache-2.0"
```
No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import bad_values, is_spdx


def check(ctx: RuleContext) -> Iterator[Finding]:
    for label in bad_values(ctx, "spdx", is_spdx):
        yield RULE.finding(label.value_span, f"Label `{label.name}` is not a valid SPDX identifier.")


RULE = Rule(
    code="DL3054",
    name="label-not-spdx",
    summary="A label-schema label of type spdx is not an SPDX license identifier",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
