"""## What it does
Flags a `dnf` (or `microdnf`, `dnf5`) command that fills the package cache (`install`/`in`,
`upgrade`/`up`, `upgrade-minimal`/`up-min`, `reinstall`/`rei`) not followed by `<same tool> clean
all` in the same `RUN`. hadolint rule `DL3040`.

As in hadolint, the clean must come after the install and be done by the same tool (`dnf install`
then `microdnf clean all` is reported); `rm -rf /var/cache/libdnf5*` after it counts too (and, for
dnf 4, `/var/cache/dnf` or `/var/cache/yum`), and so does a BuildKit cache or tmpfs mount on
`/var/cache/libdnf5`, `.cache/libdnf5`, `/var/cache/dnf` or `/var/cache/yum`.

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
The quick fix appends `&& dnf clean all` (`microdnf clean all` for microdnf); it is safe and part
of "fix all".
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import YUM_VALUE_FLAGS, append_fix, mounts_with, subcommand_in

_DNFS = ("dnf", "microdnf", "dnf5")
INSTALLS = ("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei")
_CACHES = ("/var/cache/libdnf5", ".cache/libdnf5", "/var/cache/dnf", "/var/cache/yum")


def _cleans(c: SimpleCommand, tool: str) -> bool:
    if c.name == tool and (sub := c.subcommand(YUM_VALUE_FLAGS)) is not None and sub.value == "clean":
        return True
    return c.name == "rm" and any(w.value.startswith(_CACHES[:1] + _CACHES[2:]) for w in c.args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, ins, script in ctx.runs():
        if any(mounts_with(ins, cache) for cache in _CACHES):
            continue
        for cmd in script.commands:
            sub = subcommand_in(cmd, _DNFS, INSTALLS, YUM_VALUE_FLAGS)
            if sub is None:
                continue
            if any(c.index > cmd.index and _cleans(c, cmd.name) for c in script.commands):
                continue
            clean = f"{cmd.name} clean all"
            yield RULE.finding(
                cmd.head_span(sub),
                "`dnf clean all` missing after dnf command.",
                fixes=append_fix(script, f"Append {clean}", clean),
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
