"""## What it does
With `strict-labels: true` in `.hadolint.yaml`, flags every `LABEL` that sets a label not listed
in `label-schema`. hadolint rule `DL3050`. Off unless `strict-labels` is true.

One finding per `LABEL` instruction, on its first label outside the schema; the message lists all
of them.

## Why is this bad?
A team that fixes its label schema wants every image to carry exactly those labels: extra ones are
usually misspellings of a schema label (`org.opencontainers.image.licence`) or leftovers.

## Example
With `label-schema: {org.opencontainers.image.version: semver}` and `strict-labels: true`:
```dockerfile
LABEL org.opencontainers.image.version="1.2.0" build-host="ci-7"
```

## Fix
Remove the label, or add it to `label-schema`:
```dockerfile
LABEL org.opencontainers.image.version="1.2.0"
```
No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.parser import Instruction
from ..base import Rule, RuleContext
from ._common import shown
from ._labels import Label, label_schema, labels, strict_labels


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not strict_labels(ctx):
        return
    schema = label_schema(ctx)
    extra: dict[int, tuple[Instruction, list[Label]]] = {}
    for label in labels(ctx.doc):
        if label.name not in schema:
            extra.setdefault(id(label.instruction), (label.instruction, []))[1].append(label)
    for _ins, found in extra.values():
        yield RULE.finding(
            found[0].pair.key.span, f"Superfluous label(s) present: {shown([x.name for x in found])}."
        )


RULE = Rule(
    code="DL3050",
    name="superfluous-labels",
    summary="Labels outside the label-schema (with strict-labels)",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
)
