"""## What it does
Flags every `CMD` after the first in a stage, or before the first `FROM` of a fragment (a snippet
without `FROM`). hadolint rule `DL4003`.

## Why is this bad?
Only the last `CMD` of a stage takes effect; the earlier ones are dead code that misleads readers.

## Example
```dockerfile
CMD ["nginx"]
CMD ["nginx", "-g", "daemon off;"]
```

## Fix
Keep only the `CMD` you mean.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import repeated


def check(ctx: RuleContext) -> Iterator[Finding]:
    # A fragment's instructions before any FROM are one more unit, as in hadolint.
    for _stage, instructions in ctx.units():
        for ins in repeated(instructions, "cmd"):
            yield RULE.finding(
                ins.keyword_span,
                "Multiple `CMD` instructions found. If you list more than one `CMD` then only the "
                "last `CMD` will take effect",
            )


RULE = Rule(
    code="DL4003",
    name="single-cmd",
    summary="Multiple CMD instructions found",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
