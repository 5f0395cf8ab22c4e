"""## What it does
Flags `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form (`CMD node server.js`).
hadolint rule `DL3025`, with hadolint 2.15's semantics: `HEALTHCHECK CMD` counts (hadolint checks
it too; `HEALTHCHECK NONE` has no command), an `ONBUILD CMD` does not (it runs in another build),
a malformed JSON array (`CMD ['a']`, single quotes) is shell form, and a file with no `FROM` yet is
checked too. The BuildKit twin `JSONArgsRecommended` covers `CMD` and `ENTRYPOINT`; when both fire
on one instruction one diagnostic is shown for both ids.

## Why is this bad?
In shell form the program runs as a child of `/bin/sh -c`. The shell becomes PID 1 and does not
pass signals on, so `docker stop` waits for its timeout and then kills the application without a
clean shutdown. With `ENTRYPOINT` in shell form, `CMD` and `docker run` arguments are ignored too.
A shell-form `HEALTHCHECK CMD` needs a shell in the image: in a distroless or `scratch` image the
check fails every time and the container is reported unhealthy.

## Example
```dockerfile
CMD node server.js
```

## Fix
```dockerfile
CMD ["node", "server.js"]
```
The quick fix is offered when the command is plain words (no quotes, variables, globs or shell
operators). With an `ENTRYPOINT` in the stage it is not applied by "fix all", since the JSON form
passes the words to the entrypoint differently. (`HEALTHCHECK CMD curl -f http://localhost/`
becomes `HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]`.)
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.parser import Instruction
from ...engine.text import Span
from .._exec_form import exec_form_fixes
from ..base import Rule, RuleContext

MESSAGE = "Use arguments JSON notation for CMD and ENTRYPOINT arguments"


def _command(ins: Instruction) -> tuple[str, Span] | None:
    """The shell-form command of a CMD, ENTRYPOINT or HEALTHCHECK CMD, and where it is."""
    if ins.json:
        return None
    if ins.cmd in ("cmd", "entrypoint") and ins.args_text:
        return ins.args_text, ins.args_span
    if ins.cmd == "healthcheck" and len(ins.args) == 2 and ins.args[0].value.upper() == "CMD":
        return ins.args[1].value, ins.args[1].span
    return None


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage, instructions in ctx.units():
        for ins in instructions:
            found = _command(ins)
            if found is None:
                continue
            text, span = found
            # No fix in a fragment (no stage: what ENTRYPOINT is in effect is unknown).
            fixes = exec_form_fixes(ctx, stage, ins, text, span) if stage is not None else []
            yield RULE.finding(span, MESSAGE, fixes=fixes)


RULE = Rule(
    code="DL3025",
    name="json-cmd-entrypoint",
    summary="Use JSON notation for CMD, ENTRYPOINT and HEALTHCHECK CMD arguments",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
