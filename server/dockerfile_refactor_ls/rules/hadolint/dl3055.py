"""## What it does
Flags a `LABEL` whose name is given the type `hash` in `.hadolint.yaml's `label-schema` and whose
value is not a git commit hash: 40 (full) or 7 (short) lower-case hexadecimal digits. hadolint rule
`DL3055`. Does nothing without a `label-schema`.

A value holding a variable (`$GIT_COMMIT`) is known only at build time and is not checked (hadolint
checks the text as written and would report it).

## Why is this bad?
`org.opencontainers.image.revision` ties an image to the commit it was built from; a branch name
or a tag does not identify a commit.

## Example
With `label-schema: {org.opencontainers.image.revision: hash}`:
```dockerfile
LABEL org.opencontainers.image.revision="main"
```

## Fix
```dockerfile
ARG GIT_COMMIT
LABEL org.opencontainers.image.revision="${GIT_COMMIT}"
```
No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._labels import bad_values, is_git_hash


def check(ctx: RuleContext) -> Iterator[Finding]:
    for label in bad_values(ctx, "hash", is_git_hash):
        yield RULE.finding(label.value_span, f"Label `{label.name}` is not a valid git hash.")


RULE = Rule(
    code="DL3055",
    name="label-not-git-hash",
    summary="A label-schema label of type hash is not a git commit hash",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
