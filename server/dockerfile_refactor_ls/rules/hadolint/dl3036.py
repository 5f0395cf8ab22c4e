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
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import ZYPPER_VALUE_FLAGS, missing_cache_cleanup, subcommand_in


def _clean(c: SimpleCommand) -> bool:
    if subcommand_in(c, ("zypper",), ("clean", "cc"), ZYPPER_VALUE_FLAGS) is not None:
        return True
    return c.name == "rm" and any(w.value.startswith("/var/cache/zypp") for w in c.args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_cache_cleanup(
        ctx, RULE, ("zypper",), ("install", "in"), ZYPPER_VALUE_FLAGS, ("/var/cache/zypp",), _clean,
        "`zypper clean` missing after zypper use.", lambda cmd: "zypper clean",
    )


RULE = Rule(
    code="DL3036",
    name="zypper-clean",
    summary="zypper clean missing after zypper install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
