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
from ...engine.shell import SimpleCommand, iter_runs
from ..base import Rule, RuleContext
from ._common import YUM_VALUE_FLAGS, append_fix, cleaned_after, has_cache_mount, subcommand_in

_DNFS = ("dnf", "microdnf", "dnf5")


def _clean(c: SimpleCommand) -> bool:
    if subcommand_in(c, _DNFS, ("clean",), YUM_VALUE_FLAGS) is not None:
        return True
    return c.name == "rm" and any(w.value.startswith(("/var/cache/yum", "/var/cache/dnf")) for w in c.args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, ins, script in iter_runs(ctx.doc):
        if has_cache_mount(ins, "/var/cache/dnf", "/var/cache/yum"):
            continue
        for cmd in script.commands:
            sub = subcommand_in(cmd, _DNFS, ("install",), YUM_VALUE_FLAGS)
            if sub is None or cleaned_after(script.commands, cmd, _clean):
                continue
            yield RULE.finding(
                cmd.head_span(sub),
                "`dnf clean all` missing after dnf command.",
                fixes=append_fix(script, f"Append {cmd.name} clean all", f"{cmd.name} clean all"),
            )
            break


RULE = Rule(
    code="DL3040",
    name="dnf-clean-all",
    summary="dnf clean all missing after dnf install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
