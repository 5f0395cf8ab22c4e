"""## What it does
Flags `CMD` and `ENTRYPOINT` written in shell form (`CMD node server.js`). hadolint rule `DL3025`.

## Why is this bad?
In shell form the program runs as a child of `/bin/sh -c`. The shell becomes PID 1 and does not
pass signals on, so `docker stop` waits for its timeout and then kills the application without a
clean shutdown. With `ENTRYPOINT` in shell form, `CMD` and `docker run` arguments are ignored too.

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
passes the words to the entrypoint differently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext
from ._common import exec_form_keeps_meaning

_PLAIN = re.compile(r"^[A-Za-z0-9_./:@%+=,-]+(?:[ \t]+[A-Za-z0-9_./:@%+=,-]+)*$")


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in ctx.stages():
        for ins in stage.instructions:
            if ins.cmd not in ("cmd", "entrypoint") or ins.json or not ins.args_text:
                continue
            fixes = []
            text = ins.args_text
            if _PLAIN.match(text) and doc.text[ins.args_span.start : ins.args_span.end] == text:
                fixes.append(
                    Fix(
                        "Use the JSON (exec) form",
                        [Edit(ins.args_span, json.dumps(text.split()))],
                        safe=exec_form_keeps_meaning(doc, stage, ins, text.split()),
                        preferred=True,
                    )
                )
            yield RULE.finding(
                ins.args_span,
                "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
                fixes=fixes,
            )


RULE = Rule(
    code="DL3025",
    name="json-cmd-entrypoint",
    summary="Use JSON notation for CMD and ENTRYPOINT arguments",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
