"""## What it does
Flags a final stage that never sets a `USER` (neither itself nor the stages it is built on) and
whose base image runs as root by default.

Not reported for Windows images, for base images that already run as a non-root user
(`gcr.io/distroless/*:nonroot`, `nginxinc/nginx-unprivileged`, ...), for images that start as root
by design and drop privileges themselves (nginx, httpd, postgres, mysql, redis, ... or an
entrypoint using `gosu`/`su-exec`, or a CMD/ENTRYPOINT that starts nginx, apache, sshd, cron,
supervisord, ...), for stages with `ONBUILD` triggers, and when the base image cannot be resolved
(`FROM $IMAGE` without a default). When the stage `EXPOSE`s a port below 1024 the message adds
that a non-root process needs `CAP_NET_BIND_SERVICE` to bind it. The finding covers the base image
of the final `FROM`. Severity: information, since some
images (build tools, dev containers, images meant as bases) legitimately run as root.

## Why is this bad?
Without `USER` the container runs as root. A compromised or buggy process can then modify the
whole container, and kernel or runtime vulnerabilities are exploited with root privileges.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
```

## Fix
Create or pick an unprivileged user and switch to it before `CMD`. The refactoring
"Add non-root user" (`refactor.rewrite.nonRootUser`) does this:
```dockerfile
FROM python:3.12-slim
RUN groupadd --system app && useradd --system --gid app --create-home app
WORKDIR /app
COPY --chown=app:app . .
RUN pip install -r requirements.txt
USER app
CMD ["python", "app.py"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.final_stage import exposed_low_ports, final_stage, low_port_note
from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    info = final_stage(ctx.doc)
    if info is None or info.skip is not None or info.users or not info.runs_as_root:
        return
    stage = info.stage
    image = info.image.text if info.image is not None else "the base image"
    message = f"The final stage runs as root: it sets no USER and {image} runs as root by default"
    note = low_port_note(exposed_low_ports(ctx.doc, stage))
    if note:
        message += f" (with a USER, {note})"
    # The base image as written is what runs as root: the smallest range that says so, which also
    # keeps the line's other quick fixes (such as FromAsCasing's on ``as``) alone under the cursor.
    span = stage.image.span if stage.image is not None else stage.from_instruction.keyword_span
    yield RULE.finding(span, message, refactorable=True)


RULE = Rule(
    code="NoUserInFinalStage",
    name="no-user-in-final-stage",
    summary="The final stage sets no USER and runs as root",
    severity=Severity.INFORMATION,
    origin="dockerfile-refactor-ls",
    check=check,
)
