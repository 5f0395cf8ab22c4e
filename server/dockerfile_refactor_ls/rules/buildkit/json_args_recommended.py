"""## What it does
Flags `CMD` and `ENTRYPOINT` in shell form (`CMD node server.js`) when no `SHELL` is in effect at
that point: neither earlier in the stage nor in a stage it is built on (`FROM base` inherits the
`SHELL` set in `base`). A `SHELL` after the `CMD` does not count, as in BuildKit, which decides
while it dispatches the `CMD`. BuildKit check `JSONArgsRecommended`; the message names the
instruction as written (`CMD`, `cmd`).

## Why is this bad?
The shell form runs the program as a child of `/bin/sh -c`. The shell is PID 1 and does not pass
`SIGTERM` on, so `docker stop` waits ten seconds and then kills the process without a clean
shutdown.

## Example
```dockerfile
CMD node server.js
```

## Fix
```dockerfile
CMD ["node", "server.js"]
```
The quick fix is offered when the command is plain words (no quotes, variables, pipes or `&&` that
need a shell); it is safe then. A `SHELL` set in the base image's own configuration (some Windows
images) is not known offline, so such stages are reported where BuildKit would not.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from .._exec_form import exec_form_fixes
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        # A SHELL anywhere in a parent stage is in the image this stage starts from.
        shell_set = ctx.chains().parents_have(stage, "shell", via_args=False)
        for ins in stage.instructions:
            if ins.cmd == "shell":
                shell_set = True
                continue
            if shell_set or ins.cmd not in ("cmd", "entrypoint") or ins.json or not ins.args_text:
                continue
            fixes = exec_form_fixes(ctx, stage, ins, ins.args_text, ins.args_span)
            yield RULE.finding(
                ins.args_span,
                f"JSON arguments recommended for {ins.keyword} to prevent unintended behavior "
                "related to OS signals",
                fixes=fixes,
            )


RULE = Rule(
    code="JSONArgsRecommended",
    name="json-args-recommended",
    summary="CMD/ENTRYPOINT in shell form",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    per_stage=True,
)
