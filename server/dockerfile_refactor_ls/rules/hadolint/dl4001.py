"""## What it does
Flags a stage that uses both `wget` and `curl`: every `RUN` that calls one of them once the stage
has used both (the first is where the second tool appears), as hadolint rule `DL4001` does. The
finding is on the first such command of the `RUN`.

## Why is this bad?
Both tools do the same job here. Installing and using both makes the image bigger and the
Dockerfile harder to maintain (two sets of options for retries, TLS, proxies).

## Example
```dockerfile
RUN curl -fsSLO https://example.com/a.tar.gz
RUN wget https://example.com/b.tar.gz
```

## Fix
Pick one, for example `curl -fsSLO https://example.com/b.tar.gz`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.model import Stage
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: dict[int, set[str]] = {}
    for stage, _ins, script in ctx.runs(onbuild=False):
        used = seen.setdefault(id(stage) if isinstance(stage, Stage) else -1, set())
        # Every RUN that calls one of the two once the stage has used both, one finding per RUN.
        for cmd in script.commands:
            if cmd.name not in ("curl", "wget"):
                continue
            used.add(cmd.name)
            if len(used) == 2:
                yield RULE.finding(cmd.word.span, "Either use Wget or Curl but not both")
                break


RULE = Rule(
    code="DL4001",
    name="wget-or-curl",
    summary="Either use wget or curl but not both",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
