"""## What it does
Flags `apk add` of packages without a version (`curl` instead of `curl=8.11.0-r2`). hadolint rule
`DL3018`.

Packages with a version constraint (`=`, `~`, `<`, `>`), local `.apk` files, the name given to
`--virtual`/`-t` and packages given by a variable are not reported.

## Why is this bad?
Without a version the build installs whatever the Alpine mirror holds that day: builds are not
reproducible and can break without any change to the Dockerfile.

## Example
```dockerfile
RUN apk add --no-cache curl
```

## Fix
```dockerfile
RUN apk add --no-cache curl=8.11.0-r2
```
`curl~8.11` pins the minor version and still takes security fixes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand, Word
from ..base import Rule, RuleContext
from ._common import has_variable, unpinned

APK_VALUE_FLAGS = (
    "t", "virtual", "X", "repository", "p", "root", "arch", "cache-dir", "keys-dir",
    "repositories-file", "cache-max-age", "timeout",
)  # fmt: skip


def apk_add(cmd: SimpleCommand) -> Word | None:
    if cmd.name != "apk":
        return None
    sub = cmd.subcommand(APK_VALUE_FLAGS)
    return sub if sub is not None and sub.value == "add" else None


def _pinned(pkg: str) -> bool:
    return has_variable(pkg) or any(c in pkg for c in "=~<>") or pkg.endswith(".apk")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        sub = apk_add(cmd)
        if sub is None:
            continue
        loose = [w.value for w in cmd.positional(APK_VALUE_FLAGS)[1:] if not _pinned(w.value)]
        yield from unpinned(
            RULE, cmd.head_span(sub), loose,
            "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
        )


RULE = Rule(
    code="DL3018",
    name="apk-pin-versions",
    summary="Pin versions in apk add",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
