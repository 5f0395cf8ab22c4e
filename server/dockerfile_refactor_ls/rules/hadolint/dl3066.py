"""## What it does
Flags `USER` with a user name instead of a numeric user id (`USER app` rather than `USER 10001`),
unless the id comes from a build argument declared earlier (`ARG APP_UID` ... `USER ${APP_UID}`).
Only the user part counts: `USER 1000:app` passes, `USER app:1000` does not. hadolint rule `DL3066`.

## Why is this bad?
A name is resolved through the image's `/etc/passwd`. Kubernetes' `runAsNonRoot` cannot verify a
name and refuses the pod, and host tools (volume permissions, audit logs) see only numbers.

## Example
```dockerfile
RUN useradd --uid 10001 app
USER app
```

## Fix
```dockerfile
RUN useradd --uid 10001 app
USER 10001
```
No quick fix: the id a name stands for is decided when the image is built.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def _uses_arg(uid: str, args: set[str]) -> bool:
    return any(f"${{{a}}}" in uid or f"${a}" in uid for a in args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    args: set[str] = set()
    for ins in ctx.doc.instructions:
        if ins.cmd == "arg":
            args.update(kv.key.value for kv in ins.pairs)
        elif ins.cmd == "user" and ins.args:
            token = ins.args[0]
            uid = token.value.split(":", 1)[0]
            if uid.isdigit() or not uid or _uses_arg(uid, args):
                continue
            yield RULE.finding(token.span, "Non-numeric user-id may not be resolvable by host system")


RULE = Rule(
    code="DL3066",
    name="non-numeric-user",
    summary="Non-numeric user id in USER",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
)
