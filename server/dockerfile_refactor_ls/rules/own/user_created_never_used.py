"""## What it does
Flags a final stage that creates a user (`useradd`, `adduser`, in the stage itself or in the stages
it is built on) but never switches to it: no `USER` names it (or its uid), and the image ends up
running as root.

Not reported when the stage drops privileges at run time (an entrypoint using `gosu`, `su-exec`,
`setpriv`...; a service such as nginx, php-fpm, sshd or supervisord that starts as root and switches
itself), when the start command names the user (`su app -c ...`, `--user app`), when the image
already ends as another non-root user, for accounts made for services that switch to them themselves
(`www-data`, `nginx`, `postgres`, `mysql`, `redis`, `nagios`, ...) or for dev containers (`vscode`,
`codespace`, which the editor connects as), and for Windows images.

## Why is this bad?
Creating the user is half of the work: without `USER` the container still runs as root, which the
account was presumably created to avoid. The image looks hardened in review but is not.

## Example
```dockerfile
FROM python:3.12-slim
RUN useradd --create-home app
WORKDIR /home/app
COPY --chown=app . .
CMD ["python", "main.py"]
```

## Fix
```dockerfile
USER app
CMD ["python", "main.py"]
```
The quick fix "Switch to user app" inserts the `USER` line where the "Add non-root user"
refactoring puts it: after the stage's last `RUN` (or `USER root`), before the `CMD` or
`ENTRYPOINT` that follows (above its comments), else at the end of the stage. The refactoring itself
(`refactor.rewrite.nonRootUser`) is offered too; it also gives copied application files to the user.

## Fix safety
Not applied by `source.fixAll` or `fix --all`: the process then runs as the user, and files it
writes at run time must be writable by it (see CopyAfterUserWithoutChown).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.ecosystems import comment_block_start, ends_in_continuation, indentation, keyword_case
from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import run_script
from ...engine.text import Span
from ..base import Rule, RuleContext
from ._base_facts import (
    CreatedUser,
    chain,
    created_users,
    is_root_user,
    is_windows,
    manages_privileges,
    root_image,
    users_in,
    uses_privilege_tools,
)

# Accounts created for a service that starts as root and switches to them itself (web servers,
# databases, php-fpm pools...), and the accounts of dev containers (an editor connects as them with
# `remoteUser`): creating them without USER is the convention.
SERVICE_ACCOUNTS = frozenset(
    ("www-data", "nginx", "apache", "httpd", "http", "nagios", "postgres", "mysql", "redis", "mongodb",
     "rabbitmq", "memcache", "squid", "bind", "named", "postfix", "dovecot", "ftp", "sshd", "ntp", "nobody",
     "daemon", "vscode", "codespace")
)


def _uids(doc: Dockerfile, user: CreatedUser) -> set[str]:
    """The name and the uid (``-u``/``--uid``) the RUN gives the user."""
    ids = {user.name}
    script = run_script(doc, user.instruction)
    if script is not None:
        for cmd in script.named("useradd", "adduser"):
            if user.name in (w.value for w in cmd.args):
                ids.update(v for v in cmd.flag_values("u", "uid") if v.isdigit())
    return ids


def _name_span(doc: Dockerfile, user: CreatedUser) -> Span:
    script = run_script(doc, user.instruction)
    if script is not None:
        for cmd in script.named("useradd", "adduser"):
            for w in reversed(cmd.args):
                if w.value == user.name:
                    return w.span
    return user.instruction.keyword_span


def _start_mentions(doc: Dockerfile, stage: Stage, names: set[str]) -> bool:
    for st in chain(doc, stage):
        for ins in st.instructions:
            if ins.cmd in ("cmd", "entrypoint"):
                words = set(re.split(r"[\s\"',=:\[\]]+", ins.args_text))
                if words & names:
                    return True
    return False


def _user_line_edit(doc: Dockerfile, stage: Stage, name: str) -> Edit | None:
    """``USER <name>`` placed as the nonRootUser refactoring places it."""
    ins_list = stage.instructions
    last = ins_list[-1] if ins_list else stage.from_instruction
    if ends_in_continuation(doc, last) or ends_in_continuation(doc, stage.from_instruction):
        return None
    anchor = -1
    for idx, ins in enumerate(ins_list):
        if ins.cmd == "run" or (ins.cmd == "user" and is_root_user(ins.args_text)):
            anchor = idx
    line = keyword_case(doc)("USER") + " " + name
    eol = doc.line_ending
    target = next((ins for ins in ins_list[anchor + 1 :] if ins.cmd in ("cmd", "entrypoint")), None)
    if target is not None:
        at = comment_block_start(doc, target)
        return Edit(Span(at, at), indentation(doc, target.keyword_span.start) + line + eol)
    indent = indentation(doc, (ins_list[0] if ins_list else stage.from_instruction).keyword_span.start)
    return Edit(Span(last.span.end, last.span.end), eol + indent + line)


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    stage = doc.final_stage
    if stage is None or stage.error is not None or is_windows(doc, stage):
        return
    created = [c for c in created_users(doc, stage) if c.name not in SERVICE_ACCOUNTS]
    if not created:
        return
    users: list[Instruction] = users_in(doc, stage)
    if users and not is_root_user(users[-1].args_text):
        return  # ends as a non-root user already
    image = root_image(doc, stage)
    if (image is not None and manages_privileges(image)) or uses_privilege_tools(doc, stage):
        return
    ids: set[str] = set()
    for c in created:
        ids |= _uids(doc, c)
    named = {u.args_text.strip().split(":", 1)[0] for u in users}
    if named & ids or _start_mentions(doc, stage, ids):
        return
    user = created[-1]
    fixes: list[Fix] = []
    edit = _user_line_edit(doc, stage, user.name)
    if edit is not None:
        fixes.append(Fix(f"Switch to user {user.name}", [edit], safe=False, preferred=True))
    yield RULE.finding(
        _name_span(doc, user),
        f"The final stage creates the user {user.name} but never switches to it (no USER {user.name}), "
        "so the container runs as root",
        fixes=fixes,
        refactorable=True,
    )


RULE = Rule(
    code="UserCreatedNeverUsed",
    name="user-created-never-used",
    summary="The final stage creates a user but never switches to it",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
)
