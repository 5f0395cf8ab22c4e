"""## What it does
Flags `LABEL` keys that do not follow Docker's key format: lower-case letters, digits, `.` and `-`,
starting with a letter and ending with a letter or digit, without `..` or `--`, and outside the
reserved `com.docker.*`, `io.docker.*` and `org.dockerproject.*` namespaces. hadolint rule
`DL3048`.

Differs from hadolint: keys containing a variable are not checked, since BuildKit expands
variables in `LABEL` keys (`invalid$character` is the key `invalid` when `character` is unset;
hadolint reports the `$`); `_` and `/` are reported, as Docker's key format allows neither
(hadolint accepts both).

## Why is this bad?
Tools that read labels expect keys in reverse-DNS form (`org.opencontainers.image.source`). Keys
with upper case, underscores or spaces are easy to misspell and clash with other conventions, and
the reserved namespaces belong to Docker.

## Example
```dockerfile
LABEL Version_Number="1.2"
```

## Fix
```dockerfile
LABEL org.opencontainers.image.version="1.2"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext, instructions_of
from ._common import has_variable

_VALID = re.compile(r"^[a-z](?:[a-z0-9.-]*[a-z0-9])?$")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")


def valid_label_key(key: str) -> bool:
    return (
        _VALID.match(key) is not None
        and ".." not in key
        and "--" not in key
        and not key.startswith(_RESERVED)
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    for target in instructions_of(ctx.doc, "label"):
        for kv in target.pairs:
            key = kv.key.value
            if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
                key = key[1:-1]
            if not key or has_variable(key) or valid_label_key(key):
                continue
            yield RULE.finding(kv.key.span, f"Invalid label key `{key}`.")


RULE = Rule(
    code="DL3048",
    name="label-key-format",
    summary="Invalid label key",
    severity=Severity.HINT,
    origin="hadolint",
    check=check,
)
