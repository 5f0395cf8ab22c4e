"""## What it does
Flags the `MAINTAINER` instruction. hadolint rule `DL4000`.

## Why is this bad?
`MAINTAINER` is deprecated since Docker 1.13. A label carries the same information and, unlike
`MAINTAINER`, shows up where tools look for metadata (`docker inspect`, registries, scanners).

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Fix
```dockerfile
LABEL maintainer="Jane Doe <jane@example.com>"
```
The quick fix rewrites the instruction as that label.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.cmd != "maintainer":
            continue
        fixes = []
        if ins.args_text and "\n" not in doc.text[ins.span.start : ins.span.end]:
            keyword = "label" if ins.keyword.islower() else "LABEL"
            new = f"{keyword} maintainer={json.dumps(ins.args_text, ensure_ascii=False)}"
            fixes.append(Fix("Replace with LABEL maintainer=...", [Edit(ins.span, new)], preferred=True))
        yield RULE.finding(ins.keyword_span, "MAINTAINER is deprecated", fixes=fixes, deprecated=True)


RULE = Rule(
    code="DL4000",
    name="maintainer-deprecated",
    summary="MAINTAINER is deprecated",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
