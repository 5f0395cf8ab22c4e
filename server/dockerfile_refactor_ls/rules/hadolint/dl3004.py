"""## What it does
Flags `sudo` in `RUN`. hadolint rule `DL3004`.

## Why is this bad?
Build steps run as the current `USER`; when that is root, `sudo` adds nothing, and when it is not,
`sudo` needs a TTY or a password-less rule in `/etc/sudoers`. Its signal and TTY handling make it
behave unpredictably as a container process, and leaving it in the image gives an attacker an easy
way to root.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y curl
```

## Fix
```dockerfile
USER root
RUN apt-get install -y curl
USER app
```
Use `gosu` or `su-exec` to drop privileges in an entrypoint script.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        if cmd.name == "sudo":
            span = cmd.word.span
        elif "sudo" in cmd.wrappers:
            span = Span(cmd.span.start, cmd.word.span.end)
        else:
            continue
        yield RULE.finding(
            span,
            "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
        )


RULE = Rule(
    code="DL3004",
    name="no-sudo",
    summary="Do not use sudo",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
    per_run=True,
)
