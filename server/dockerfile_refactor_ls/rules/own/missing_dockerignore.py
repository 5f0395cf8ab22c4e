"""## What it does
Flags a `COPY` or `ADD` that copies the whole build context (`COPY . .`, `ADD . /app`, `COPY * ./`)
when no `.dockerignore` (nor `<Dockerfile name>.dockerignore`) sits beside the Dockerfile. Reported
only when the Dockerfile is a file on disk, so that the build context can be looked at. Severity:
information.

## Why is this bad?
Without an ignore file everything in the folder goes to the builder and into the image: `.git`,
`node_modules` or `target/` built on the host (slow uploads, stale or wrong-platform dependencies,
cache busted by every commit), and secrets such as `.env` files or private keys, which then sit in
an image layer for anyone who pulls it.

## Example
```dockerfile
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
```
(with `.git`, `node_modules` and `.env` in the folder and no `.dockerignore`)

## Fix
Create a `.dockerignore`. The refactoring "Create .dockerignore" (`refactor.rewrite.addDockerignore`)
writes one with entries that fit what the folder holds, leaving out nothing the Dockerfile's COPY
and ADD sources name.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.context_copies import dockerignore_blocker, ignore_name, whole_context_copy
from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    # The caller loaded the ignore file when there is one; without a folder there is no context.
    if ctx.dockerignore is not None or not doc.context_dir:
        return
    copy = whole_context_copy(doc)
    if copy is None or dockerignore_blocker(doc) is not None:
        return  # addDockerignore, this finding's fix, would not apply: stay silent, as it does
    name = ignore_name(doc.file_name)
    yield RULE.finding(
        copy.line_span or copy.span,
        f"{copy.cmd.upper()} copies the whole build context and there is no {name}: .git, dependency "
        "folders and secret files would be sent to the builder and may end up in the image",
        refactorable=True,
    )


RULE = Rule(
    code="MissingDockerignore",
    name="missing-dockerignore",
    summary="COPY/ADD of the whole build context without a .dockerignore",
    severity=Severity.INFORMATION,
    origin="dockerfile-refactor-ls",
    check=check,
)
