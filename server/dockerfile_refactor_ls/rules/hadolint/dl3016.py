"""## What it does
Flags `npm install <package>` without a version (`npm install express` instead of
`npm install express@4.21.1`). hadolint rule `DL3016`.

A plain `npm install` (which installs `package.json`), local folders and tarballs, git URLs with
a `#commit` and packages given by a variable are not reported.

## Why is this bad?
Without a version npm installs the newest release: builds are not reproducible and may break when a
new major version comes out.

## Example
```dockerfile
RUN npm install -g typescript
```

## Fix
```dockerfile
RUN npm install -g typescript@5.6.3
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import has_variable, unpinned

_GIT = ("git://", "git+ssh://", "git+http://", "git+https://")


# npm options whose value is the next word (`--loglevel verbose`): not a package.
NPM_VALUE_FLAGS = ("loglevel", "registry", "prefix", "cache", "userconfig", "globalconfig", "workspace", "w", "tag", "otp")


def _pinned(pkg: str) -> bool:
    if has_variable(pkg):
        return True
    if pkg.startswith(_GIT):
        return "#" in pkg
    if pkg.endswith((".tar", ".tar.gz", ".tgz")) or pkg.startswith(("/", "./", "../", "~/", "file:")):
        return True
    if "://" in pkg:
        return True
    name = pkg.split("/", 1)[1] if pkg.startswith("@") and "/" in pkg else pkg
    return "@" in name


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands("npm"):
        pos = cmd.positional(NPM_VALUE_FLAGS)
        if not pos or pos[0].value != "install":
            continue
        loose = [w.value for w in pos[1:] if not _pinned(w.value)]
        yield from unpinned(
            RULE, cmd.head_span(pos[0]), loose,
            "Pin versions in npm. Instead of `npm install <package>` use `npm install "
            "<package>@<version>`",
        )


RULE = Rule(
    code="DL3016",
    name="npm-pin-versions",
    summary="Pin versions in npm install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
