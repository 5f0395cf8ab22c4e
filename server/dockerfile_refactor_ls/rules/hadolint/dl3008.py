"""## What it does
Flags `apt-get install` of packages without a pinned version (`curl` instead of
`curl=7.88.1-10+deb12u5`). hadolint rule `DL3008`.

Packages with a version (`pkg=1.2`), a target release (`pkg/bookworm-backports`), a local `.deb`
file, or a shell variable (whose value cannot be known here) are not reported.

## Why is this bad?
Without a pinned version, the same Dockerfile installs whatever the mirror holds on the day of the
build. Builds stop being reproducible and can break (or change behaviour) without any change to the
Dockerfile.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Fix
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
```
Pinning exact Debian versions has a cost (old versions disappear from the mirrors); many teams pin
the base image by digest instead and ignore this rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import APT_VALUE_FLAGS, apt_get_install, has_variable, unpinned


def _pinned(pkg: str) -> bool:
    return "=" in pkg or "/" in pkg or pkg.endswith(".deb") or has_variable(pkg)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        sub = apt_get_install(cmd)
        if sub is None:
            continue
        pkgs = [w.value for w in cmd.positional(APT_VALUE_FLAGS)[1:]]
        loose = [p for p in pkgs if not _pinned(p)]
        yield from unpinned(
            RULE, cmd.head_span(sub), loose,
            "Pin versions in apt get install. Instead of `apt-get install <package>` use "
            "`apt-get install <package>=<version>`",
        )


RULE = Rule(
    code="DL3008",
    name="apt-get-pin-versions",
    summary="Pin versions in apt-get install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
