"""## What it does
Flags an `ARG` or `ENV` in a stage whose name says it holds a secret. BuildKit check
`SecretsUsedInArgOrEnv`, with BuildKit's allow-list semantics and message word for word.

A name is suspicious when one of its `_`-separated words (or the whole name), compared without
regard to case, is `apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`,
`secret` or `token` — so `GITHUB_TOKEN`, `api_key` and `SUPER_Secret` are reported. A name is not a
secret when one of its words is `public`, `file` or `version`: `PUBLIC_KEY`,
`SECRET_PASSPHRASE_FILE` and `AUTH_MODULE_VERSION` pass. Merely containing a token is not enough:
`MONKEY`, `AUTHOR` and `KEYBOARD_LAYOUT` pass. As in BuildKit, `ARG`s before the first `FROM` are
not checked (they reach a stage only when it re-declares them, which is then reported).

## Why is this bad?
`ARG` and `ENV` values are stored in the image: `ENV` in its configuration, `ARG` in its build
history, so `docker history` or `docker inspect` shows the secret to anyone who can pull the image.

## Example
```dockerfile
FROM alpine:3.20
ARG GITHUB_TOKEN
RUN git clone https://$GITHUB_TOKEN@github.com/acme/app.git
```

## Fix
Pass the secret as a build secret, which is mounted for one `RUN` and never stored:
```dockerfile
FROM alpine:3.20
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \\
    git clone https://$GITHUB_TOKEN@github.com/acme/app.git
```
and build with `docker build --secret id=github_token,env=GITHUB_TOKEN .`. There is no quick fix:
the `RUN`s that use the value and the build command both change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import go_quote

_TOKENS = ("apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token")
_DENY = re.compile(r"(?:_|^)(?:" + "|".join(_TOKENS) + r")(?:_|$)", re.IGNORECASE)
_ALLOW = re.compile(r"(?:_|^)(?:public|file|version)(?:_|$)", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    return _DENY.search(name) is not None and _ALLOW.search(name) is None


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        for decl in sorted([*stage.args, *stage.envs], key=lambda d: d.name_span.start):
            if is_secret_name(decl.name):
                yield RULE.finding(
                    decl.name_span,
                    f"Do not use ARG or ENV instructions for sensitive data ({decl.kind.upper()} {go_quote(decl.name)})",
                )


RULE = Rule(
    code="SecretsUsedInArgOrEnv",
    name="secrets-used-in-arg-or-env",
    summary="An ARG or ENV name says it holds a secret",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    per_stage=True,
)
