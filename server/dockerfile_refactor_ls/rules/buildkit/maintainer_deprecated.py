"""## What it does
Flags the `MAINTAINER` instruction. BuildKit check `MaintainerDeprecated`.

## Why is this bad?
`MAINTAINER` has been deprecated since Docker 1.13; the OCI label
`org.opencontainers.image.authors` carries the same information where tools look for it.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Fix
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
```
The quick fix writes that label for a one-line `MAINTAINER`. It is offered as safe, although the
image's legacy `Author` field is then no longer set (nothing current reads it). Matches BuildKit's
check and message; no deliberate difference.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for ins in ctx.doc.instructions:
        if ins.cmd != "maintainer":
            continue
        fixes = []
        if ins.args_text and "\n" not in ctx.doc.text[ins.span.start : ins.span.end]:
            keyword = "LABEL" if ins.keyword.isupper() else "label"
            new = f"{keyword} org.opencontainers.image.authors={json.dumps(ins.args_text)}"
            fixes.append(Fix("Replace with an OCI authors label", [Edit(ins.span, new)], preferred=True))
        yield RULE.finding(
            ins.keyword_span,
            "Maintainer instruction is deprecated in favor of using label",
            fixes=fixes,
            deprecated=True,
        )


RULE = Rule(
    code="MaintainerDeprecated",
    name="maintainer-deprecated",
    summary="MAINTAINER is deprecated",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
