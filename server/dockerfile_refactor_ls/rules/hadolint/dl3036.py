"""## What it does
Flags `zypper install` not followed by `zypper clean` (or `zypper cc`) in the same `RUN`.
hadolint rule `DL3036`.

Deleting `/var/cache/zypp` instead, or mounting a cache there, also counts.

## Why is this bad?
zypper keeps repository metadata and downloaded packages in `/var/cache/zypp`; unless the same
`RUN` cleans them they stay in the layer.

## Example
```dockerfile
RUN zypper install -y httpd=2.4.46
```

## Fix
```dockerfile
RUN zypper install -y httpd=2.4.46 && zypper clean
```
The quick fix appends `&& zypper clean`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand, iter_runs
from ..base import Rule, RuleContext
from ._common import ZYPPER_VALUE_FLAGS, append_fix, cleaned_after, has_cache_mount, subcommand_in


def _clean(c: SimpleCommand) -> bool:
    if subcommand_in(c, ("zypper",), ("clean", "cc"), ZYPPER_VALUE_FLAGS) is not None:
        return True
    return c.name == "rm" and any(w.value.startswith("/var/cache/zypp") for w in c.args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, ins, script in iter_runs(ctx.doc):
        if has_cache_mount(ins, "/var/cache/zypp"):
            continue
        for cmd in script.commands:
            sub = subcommand_in(cmd, ("zypper",), ("install", "in"), ZYPPER_VALUE_FLAGS)
            if sub is None or cleaned_after(script.commands, cmd, _clean):
                continue
            yield RULE.finding(
                cmd.head_span(sub),
                "`zypper clean` missing after zypper use.",
                fixes=append_fix(script, "Append zypper clean", "zypper clean"),
            )
            break


RULE = Rule(
    code="DL3036",
    name="zypper-clean",
    summary="zypper clean missing after zypper install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
