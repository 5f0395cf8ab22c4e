"""## What it does
Flags uses of `apt` in `RUN`. hadolint rule `DL3027`.

## Why is this bad?
`apt` is the interactive front end for people at a terminal: its output and behaviour may change
between releases, and it warns that it "does not have a stable CLI interface. Use with caution in
scripts." `apt-get` and `apt-cache` are the stable tools for scripts.

## Example
```dockerfile
RUN apt update && apt install -y curl
```

## Fix
```dockerfile
RUN apt-get update && apt-get install -y curl
```
The quick fix replaces `apt` with `apt-get` for the subcommands `apt-get` has (`install`,
`update`, `upgrade`, `remove`, ...).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext
from ._common import APT_VALUE_FLAGS

_APT_GET_SUBCOMMANDS = frozenset(
    (
        "install",
        "update",
        "upgrade",
        "dist-upgrade",
        "remove",
        "purge",
        "autoremove",
        "clean",
        "autoclean",
        "build-dep",
        "source",
        "download",
        "satisfy",
    )
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands("apt"):
        fixes = []
        sub = cmd.subcommand(APT_VALUE_FLAGS)
        if sub is not None and sub.value in _APT_GET_SUBCOMMANDS and cmd.word.raw == "apt":
            fixes.append(Fix("Use apt-get", [Edit(cmd.word.span, "apt-get")], preferred=True))
        yield RULE.finding(
            cmd.word.span,
            "Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead",
            fixes=fixes,
        )


RULE = Rule(
    code="DL3027",
    name="no-apt",
    summary="Do not use apt; use apt-get or apt-cache",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
