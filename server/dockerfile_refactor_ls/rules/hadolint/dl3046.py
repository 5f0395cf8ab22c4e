"""## What it does
Flags `useradd` with a long UID (more than five digits) and without `-l`/`--no-log-init`.
hadolint rule `DL3046`.

## Why is this bad?
`useradd` records the user in `/var/log/lastlog` and `/var/log/faillog`, sparse files indexed by
UID. A high UID makes them huge; Docker's layer storage does not keep files sparse, so the image
can grow by gigabytes.

## Example
```dockerfile
RUN useradd -u 123456 app
```

## Fix
```dockerfile
RUN useradd -l -u 123456 app
```
The quick fix adds `-l`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ..base import Rule, RuleContext
from ._common import insert_after


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands("useradd"):
        if cmd.has_flag("l", "no-log-init"):
            continue
        uids = cmd.flag_values("u", "uid")
        if any(len(u) > 5 and u.isdigit() for u in uids):
            yield RULE.finding(
                cmd.word.span,
                "`useradd` without flag `-l` and high UID will result in excessively large Image.",
                fixes=[Fix("Add -l (--no-log-init)", [insert_after(cmd.word, " -l")], preferred=True)],
            )


RULE = Rule(
    code="DL3046",
    name="useradd-no-log-init",
    summary="useradd without -l and a high UID makes the image huge",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
