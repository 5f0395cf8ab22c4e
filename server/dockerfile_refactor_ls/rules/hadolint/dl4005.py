"""## What it does
Flags `RUN ln ... /bin/sh`: replacing the default shell with a symbolic link. hadolint rule
`DL4005`.

## Why is this bad?
Overwriting `/bin/sh` changes the shell for every program in the image, not only for the build,
and breaks system scripts that expect the distribution's `sh`. The `SHELL` instruction changes the
shell used by later `RUN` instructions without touching the image's files.

## Example
```dockerfile
RUN ln -sf /bin/bash /bin/sh
```

## Fix
```dockerfile
SHELL ["/bin/bash", "-c"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands("ln"):
        pos = cmd.positional(("t", "target-directory", "S", "suffix"))
        if len(pos) >= 2 and pos[-1].value.rstrip("/") == "/bin/sh":
            yield RULE.finding(cmd.span, "Use SHELL to change the default shell")


RULE = Rule(
    code="DL4005",
    name="use-shell-instruction",
    summary="Use SHELL to change the default shell",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
