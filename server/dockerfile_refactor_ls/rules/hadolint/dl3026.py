"""## What it does
Flags `FROM` images from a registry that is not in the list of trusted registries. hadolint rule
`DL3026`.

The rule does nothing until trusted registries are configured: `trustedRegistries` in
`.hadolint.yaml` (for example `[docker.io, my-company.com:5000, "*.gcr.io"]`). Images without a
registry host come from `docker.io`. `scratch`, earlier stages and images given by a variable are
not checked.

## Why is this bad?
Base images run with full control over the build and the final image. Organisations that mirror
and vet their base images want to be sure a Dockerfile does not pull from anywhere else.

## Example
```dockerfile
# .hadolint.yaml: trustedRegistries: [my-company.com:5000]
FROM randomguy/python:3.12
```

## Fix
```dockerfile
FROM my-company.com:5000/python:3.12
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def _allowed(registry: str | None, trusted: list[str]) -> bool:
    candidates = [registry] if registry is not None else ["docker.io", "hub.docker.com", "index.docker.io"]
    return any(fnmatchcase(c.lower(), t.lower()) for c in candidates for t in trusted)


def check(ctx: RuleContext) -> Iterator[Finding]:
    raw = ctx.options.get("trusted_registries") or ()
    trusted = [str(t) for t in raw] if isinstance(raw, Iterable) and not isinstance(raw, str) else []
    if not trusted:
        return
    for stage in ctx.doc.stages:
        img = stage.image
        if img is None or img.is_scratch or img.has_variables or stage.base_stage is not None:
            continue
        if not _allowed(img.registry, trusted):
            yield RULE.finding(img.name_span, "Use only an allowed registry in the FROM image")


RULE = Rule(
    code="DL3026",
    name="trusted-registries",
    summary="Use only an allowed registry in the FROM image",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
