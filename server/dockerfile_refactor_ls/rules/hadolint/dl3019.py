"""## What it does
Flags `apk add` without `--no-cache`. hadolint rule `DL3019`.

Not reported when the same `RUN` deletes `/var/cache/apk`, or mounts a cache on it
(`RUN --mount=type=cache,target=/var/cache/apk`).

## Why is this bad?
`apk add` keeps the package index (and with `--update`, a fresh copy of it) in `/var/cache/apk`.
It ends up in the layer and makes the image bigger for nothing. `--no-cache` fetches the index
into a temporary place and keeps nothing, so neither `apk update` nor `rm -rf /var/cache/apk/*`
is needed.

## Example
```dockerfile
RUN apk add --update curl
```

## Fix
```dockerfile
RUN apk add --no-cache curl
```
The quick fix adds `--no-cache` after `add`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ..base import Rule, RuleContext
from ._common import has_cache_mount, insert_after
from .dl3018 import apk_add


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, ins, script in ctx.runs():
        if has_cache_mount(ins, "/var/cache/apk", "/etc/apk/cache"):
            continue
        if any(w.value.startswith("/var/cache/apk") for c in script.commands if c.name == "rm" for w in c.args):
            continue
        for cmd in script.commands:
            sub = apk_add(cmd)
            if sub is None or cmd.has_flag("no-cache"):
                continue
            yield RULE.finding(
                cmd.head_span(sub),
                "Use the `--no-cache` switch to avoid the need to use `--update` and remove "
                "`/var/cache/apk/*` when done installing packages",
                fixes=[Fix("Add --no-cache", [insert_after(sub, " --no-cache")], preferred=True,
                           drops=("/var/cache/apk", "/etc/apk/cache"))],
            )


RULE = Rule(
    code="DL3019",
    name="apk-no-cache",
    summary="Use the --no-cache switch with apk add",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    per_run=True,
)
