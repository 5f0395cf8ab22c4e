"""## What it does
Flags `dnf install` (or `microdnf install`) not followed by `dnf clean all` in the same `RUN`.
hadolint rule `DL3040`.

Deleting `/var/cache/dnf` or `/var/cache/yum` instead, or mounting a cache there, also counts.

## Why is this bad?
dnf keeps repository metadata and downloaded packages in its cache directory; unless the same
`RUN` removes them they stay in the layer and make the image bigger for nothing.

## Example
```dockerfile
RUN dnf install -y httpd-2.4.46
```

## Fix
```dockerfile
RUN dnf install -y httpd-2.4.46 && dnf clean all
```
The quick fix appends `&& dnf clean all` (`microdnf clean all` for microdnf).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import YUM_VALUE_FLAGS, missing_cache_cleanup, subcommand_in

_DNFS = ("dnf", "microdnf", "dnf5")


def _clean(c: SimpleCommand) -> bool:
    if subcommand_in(c, _DNFS, ("clean",), YUM_VALUE_FLAGS) is not None:
        return True
    return c.name == "rm" and any(w.value.startswith(("/var/cache/yum", "/var/cache/dnf")) for w in c.args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_cache_cleanup(
        ctx, RULE, _DNFS, ("install",), YUM_VALUE_FLAGS, ("/var/cache/dnf", "/var/cache/yum"), _clean,
        "`dnf clean all` missing after dnf command.", lambda cmd: f"{cmd.name} clean all",
    )


RULE = Rule(
    code="DL3040",
    name="dnf-clean-all",
    summary="dnf clean all missing after dnf install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
