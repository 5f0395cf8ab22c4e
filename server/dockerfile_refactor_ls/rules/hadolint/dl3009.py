r"""## What it does
Flags a `RUN` that runs `apt-get update` (or `apt update`, `aptitude update`) but does not delete
the package lists (`rm -rf /var/lib/apt/lists/*`) in the same instruction. hadolint rule `DL3009`.

Only stages whose layers end up in an image are checked: the final stage and stages other stages
are built `FROM`; an `ONBUILD RUN` always is (it runs in the images built on this one). As in
hadolint, a BuildKit cache or tmpfs mount keeps the lists out of the layer: on
`/var/lib/apt/lists`, or on both `/var/lib/apt` and `/var/cache/apt`.

Differs from hadolint: `apt-get dist-clean` (apt 2.7+, Debian 13's images use it), which deletes
the lists, counts as cleaning up (hadolint does not know it).

## Why is this bad?
The package lists weigh tens of megabytes. Deleting them in a later `RUN` does not help: they stay
in the layer that created them, and every image built on it carries them.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Fix
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
```
The quick fix appends `&& rm -rf /var/lib/apt/lists/*`. It is not applied by "fix all": a later
`RUN apt-get install` without its own `apt-get update` would then fail.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import APT_VALUE_FLAGS, append_fix, is_shipped, mounts_with

_APT = ("apt-get", "apt", "aptitude")


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage, ins, script in ctx.runs():
        # An ONBUILD RUN runs in the images built on this one: those are shipped.
        if ins.sub is None and not is_shipped(doc, stage):
            continue
        updates = [
            c for c in script.named(*_APT)
            if (sub := c.subcommand(APT_VALUE_FLAGS)) is not None and sub.value == "update"
        ]
        if not updates:
            continue
        cleaned = any(
            w.value.startswith("/var/lib/apt/lists") for c in script.named("rm") for w in c.args
        ) or any(
            (s := c.subcommand(APT_VALUE_FLAGS)) is not None and s.value == "dist-clean"
            for c in script.named("apt-get", "apt")
        )
        if cleaned or mounts_with(ins, "/var/lib/apt/lists"):
            continue
        if mounts_with(ins, "/var/lib/apt") and mounts_with(ins, "/var/cache/apt"):
            continue
        cmd = updates[0]
        yield RULE.finding(
            cmd.span,
            "Delete the apt lists (/var/lib/apt/lists) after installing something",
            fixes=append_fix(script, "Delete the apt lists at the end of this RUN", "rm -rf /var/lib/apt/lists/*", safe=False),
        )


RULE = Rule(
    code="DL3009",
    name="apt-get-delete-lists",
    summary="Delete the apt-get lists after installing something",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    # Depends on the stage graph too, which only non-RUN instructions change (see the runner).
    per_run=True,
)
