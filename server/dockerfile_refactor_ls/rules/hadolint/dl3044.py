"""## What it does
Flags a reference, in an `ENV` instruction, to a variable that the same instruction defines (and
that was not defined before). hadolint rule `DL3044`.

## Why is this bad?
All the values of one `ENV` are expanded before any of them is set, so the reference sees the
*previous* value of the variable, usually none:
`ENV PATH_BASE=/opt/app BIN=$PATH_BASE/bin` sets `BIN` to `/bin`.

## Example
```dockerfile
ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin
```

## Fix
```dockerfile
ENV APP_HOME=/opt/app
ENV APP_BIN=$APP_HOME/bin
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.model import scan_variables
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    known: set[str] = set()
    for ins in doc.instructions:
        target = ins.sub if ins.sub is not None else ins
        if target.cmd == "arg":
            known.update(kv.key.value for kv in target.pairs)
            continue
        if target.cmd != "env":
            continue
        names = [kv.key.value for kv in target.pairs]
        for i, kv in enumerate(target.pairs):
            if kv.value is None:
                continue
            others = {n for j, n in enumerate(names) if j != i}
            for name, whole, _name_span, _default in scan_variables(
                doc.text, kv.value.span.start, kv.value.span.end, doc.escape
            ):
                if name in others and name not in known:
                    yield RULE.finding(
                        whole,
                        "Do not refer to an environment variable within the same `ENV` statement where it is defined.",
                    )
        known.update(names)


RULE = Rule(
    code="DL3044",
    name="env-self-reference",
    summary="Do not refer to an environment variable within the same ENV statement where it is defined",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
