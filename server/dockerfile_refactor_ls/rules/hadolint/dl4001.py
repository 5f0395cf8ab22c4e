"""## What it does
Flags a stage that uses both `wget` and `curl`. The finding is on the first command of the second
tool. hadolint rule `DL4001`.

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
from ...engine.shell import iter_runs
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: dict[int, set[str]] = {}
    for stage, _ins, script in iter_runs(ctx.doc, onbuild=False):
        used = seen.setdefault(id(stage) if isinstance(stage, Stage) else -1, set())
        for cmd in script.commands:
            if cmd.name not in ("curl", "wget"):
                continue
            other = "wget" if cmd.name == "curl" else "curl"
            if other in used and cmd.name not in used:
                yield RULE.finding(cmd.word.span, "Either use Wget or Curl but not both")
            used.add(cmd.name)


RULE = Rule(
    code="DL4001",
    name="wget-or-curl",
    summary="Either use wget or curl but not both",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
