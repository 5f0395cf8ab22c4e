"""## What it does
Flags an `ARG` or `ENV` whose name suggests a secret: a well-known credential variable
(`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `NPM_TOKEN`, `POSTGRES_PASSWORD`, ...), or a name that
contains `password`, `secret`, `token`, `private`, `api_key`, `client_key` or `username`, in any
case. hadolint rule `DL3064`. `ONBUILD ARG`/`ONBUILD ENV` are checked too.

hadolint's matching, not BuildKit's: BuildKit's `SecretsUsedInArgOrEnv` has an allow-list and
word boundaries (it does not report `TOKEN_URL`), hadolint reports any name containing a token.
Both are reported when both fire, because they disagree on which names are secrets.

## Why is this bad?
Build arguments and environment variables are stored in the image: `docker history` shows ARG
values used by RUN, and `docker inspect` shows every ENV. A secret passed that way is readable by
anyone who can pull the image.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
```

## Fix
Use a build secret, which is mounted for one RUN and never stored:
```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
```
and build with `--secret id=npm_token,env=NPM_TOKEN`. No quick fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext, instructions_of

KNOWN_SENSITIVE_NAMES = frozenset(
    """
    ACCESS_TOKEN APPLICATION_KEY APP_SECRET AUTH_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    BITTREX_API_KEY BITTREX_API_SECRET CF_PASSWORD CF_USERNAME CIRCLE_TOKEN CI_DEPLOY_PASSWORD
    CI_DEPLOY_USER DOCKERHUB_PASSWORD DOCKER_EMAIL DOCKER_PASSWORD DOCKER_USERNAME
    FACEBOOK_ACCESS_TOKEN FACEBOOK_APP_ID FACEBOOK_APP_SECRET FIREBASE_API_TOKEN FIREBASE_TOKEN
    FOSSA_API_KEY GH_ENTERPRISE_TOKEN GH_TOKEN GITHUB_ENTERPRISE_TOKEN GITHUB_TOKEN HEROKU_API_KEY
    HEROKU_API_USER NPM_AUTH_TOKEN NPM_TOKEN OKTA_AUTHN_GROUPID OKTA_CLIENT_ORGURL OKTA_CLIENT_TOKEN
    OKTA_OAUTH2_CLIENTID OKTA_OAUTH2_CLIENTSECRET OPENAI_API_KEY OS_PASSWORD OS_USERNAME
    POSTGRES_PASSWORD SLACK_TOKEN STRIPE_API_KEY STRIPE_DEVICE_NAME TRAVIS_OS_NAME
    TRAVIS_SECURE_ENV_VARS TRAVIS_SUDO VAULT_CLIENT_KEY VAULT_TOKEN
    """.split()
)
SUSPICIOUS_SUBSTRINGS = ("api_key", "client_key", "password", "private", "secret", "token", "username")


def is_sensitive(name: str) -> bool:
    return name.upper() in KNOWN_SENSITIVE_NAMES or any(s in name.lower() for s in SUSPICIOUS_SUBSTRINGS)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for target in instructions_of(ctx.doc, "arg", "env"):
        for kv in target.pairs:
            if is_sensitive(kv.key.value):
                yield RULE.finding(
                    kv.key.span,
                    "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
                )


RULE = Rule(
    code="DL3064",
    name="sensitive-arg-or-env",
    summary="Potentially sensitive data in ARG or ENV",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
