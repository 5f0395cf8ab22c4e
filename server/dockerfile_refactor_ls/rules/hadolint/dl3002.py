"""## What it does
Flags a `USER root` (also `USER 0`, `USER root:<group>` and `USER 0:<group>`) that is the last
`USER` instruction of the final stage, or of the stage it is built on (`FROM base`) when the final
stage sets none. hadolint rule `DL3002`.

Differs from hadolint: hadolint reports every stage whose last `USER` is root; here only the user
the image runs as is checked, since build stages often need root and never run as containers. Windows images are
skipped.

## Why is this bad?
The container then runs as root. A process that is compromised, or simply buggy, can change
anything in the container, and a container escape starts with root privileges on the host's
kernel.

## Example
```dockerfile
FROM node:20-alpine
USER node
COPY . .
USER root
RUN npm ci
CMD ["node", "server.js"]
```

## Fix
Switch back to an unprivileged user once root is no longer needed. The refactoring
"Add non-root user" (`refactor.rewrite.nonRootUser`) does this:
```dockerfile
FROM node:20-alpine
USER node
COPY . .
USER root
RUN npm ci
USER node
CMD ["node", "server.js"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.final_stage import exposed_low_ports, final_stage, low_port_note
from ...engine.findings import Finding, Severity
from ...engine.images import stage_chain
from ...engine.users import is_root_user
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    info = final_stage(ctx.doc)
    if info is None or info.windows:
        return
    last = info.own_last_user
    if last is None and ctx.doc.final_stage is not None:
        # Set by a stage the final one is built on (`FROM base`): the image runs as that user.
        for st in stage_chain(ctx.doc.final_stage)[1:]:
            last = st.last("user")
            if last is not None:
                break
    if last is not None and is_root_user(last.args_text):
        message = "Last USER should not be root"
        note = low_port_note(exposed_low_ports(ctx.doc, info.stage))
        if note:
            message += f" (with a non-root USER, {note})"
        yield RULE.finding(last.line_span or last.span, message, refactorable=info.skip is None)


RULE = Rule(
    code="DL3002",
    name="last-user-root",
    summary="Last USER should not be root",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
