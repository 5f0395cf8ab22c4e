"""## What it does
Flags an image (the final stage) without a `HEALTHCHECK` instruction. hadolint rule `DL3057`.

**Off by default**, as in hadolint: many images are run by orchestrators (Kubernetes) that
ignore `HEALTHCHECK` and define their own probes. Enable it by listing `DL3057` under one of the
severities of `override` in `.hadolint.yaml` (for example `override: {warning: [DL3057]}`) or
under `rules.severity` in the editor settings.

## Why is this bad?
Without a health check, `docker ps` and Docker Swarm only know whether the process is running,
not whether it still answers.

## Example
```dockerfile
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
```

## Fix
```dockerfile
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...engine.findings import Finding, Severity
from ...engine.images import stage_chain
from ..base import Rule, RuleContext


def enabled(ctx: RuleContext, code: str) -> bool:
    raw = ctx.options.get("optional_rules") or ()
    return isinstance(raw, Iterable) and not isinstance(raw, str) and code in {str(x) for x in raw}


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not enabled(ctx, "DL3057"):
        return
    final = ctx.doc.final_stage
    if final is None:
        return
    if any(i.cmd == "healthcheck" for s in stage_chain(final, ctx.doc) for i in s.instructions):
        return
    yield RULE.finding(final.from_instruction.keyword_span, "`HEALTHCHECK` instruction missing.")


RULE = Rule(
    code="DL3057",
    name="healthcheck-missing",
    summary="HEALTHCHECK instruction missing (off by default)",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
)
