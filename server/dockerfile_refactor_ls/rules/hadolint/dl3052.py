"""## What it does
Flags a `LABEL` whose name is given the type `url` in `.hadolint.yaml's `label-schema` and whose
value is not an absolute URL (RFC 3986: a scheme, `:`, and only characters a URL may hold).
hadolint rule `DL3052`. Does nothing without a `label-schema`.

A value holding a variable (`$VCS_URL`) is known only at build time and is not checked (hadolint
checks the text as written and would report it).

## Why is this bad?
Tools that read the label (registries, scanners, `docker inspect` dashboards) link to it; a value
that is not a URL breaks the link.

## Example
With `label-schema: {org.opencontainers.image.source: url}`:
```dockerfile
LABEL org.opencontainers.image.source="github.com/acme/app"
```

## Fix
```dockerfile
LABEL org.opencontainers.image.source="https://github.com/acme/app"
```
No quick fix: only you know the right URL.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import bad_values, is_url


def check(ctx: RuleContext) -> Iterator[Finding]:
    for label in bad_values(ctx, "url", is_url):
        yield RULE.finding(label.value_span, f"Label `{label.name}` is not a valid URL.")


RULE = Rule(
    code="DL3052",
    name="label-not-url",
    summary="A label-schema label of type url is not a valid URL",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
