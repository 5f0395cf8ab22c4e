"""## What it does
Flags commands in `RUN` that make no sense while building an image: `ssh`, `vim`, `shutdown`,
`service`, `ps`, `free`, `top`, `kill`, `mount`. hadolint rule `DL3001`.

## Why is this bad?
A build step runs without a terminal, without an init system and without other processes worth
looking at. Interactive tools hang or fail, services started with `service` do not survive the
step, and process tools show only the build shell. Such commands usually come from copying an
interactive session into a Dockerfile.

## Example
```dockerfile
RUN service nginx start
```

## Fix
Start long-running processes from `CMD`/`ENTRYPOINT`, and edit files with `sed`, `COPY` or a
heredoc instead of an editor.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext

_POINTLESS = frozenset(("free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"))


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        if cmd.name in _POINTLESS:
            yield RULE.finding(
                cmd.word.span,
                "For some bash commands it makes no sense running them in a Docker container like "
                f"`ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount` (`{cmd.name}`)",
            )


RULE = Rule(
    code="DL3001",
    name="pointless-commands",
    summary="Command makes no sense in a Docker build (ssh, vim, service, ...)",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    per_run=True,
)
