"""## What it does
Flags `USER <name>` where the stage's `/etc/passwd` has no entry for `<name>`:

- the image has no `/etc/passwd` at all (`scratch`), and no earlier `COPY`/`ADD` of the stage (or of
  the stages it is built on) brought one;
- the image's accounts are known and `<name>` is not one of them: `gcr.io/distroless` images have
  only `root`, `nonroot` and `nobody`; the official distribution and language images (`alpine`,
  `debian`, `ubuntu`, `python`, `node`, `golang`, ...) have their distribution's system accounts
  (and `node` for node), and no `RUN` of the stage chain creates `<name>` (`useradd`, `adduser`) or
  installs packages (which may add accounts).

Numeric users (`USER 10001`, `USER 10001:10001`) and variables are never reported; nor are images
whose accounts we do not know.

## Why is this bad?
A user name is looked up in the image's `/etc/passwd` when a container starts (and by every later
`RUN` of the build). Without an entry the container fails with `unable to find user app: no
matching entries in passwd file`.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN useradd -u 10001 app && go build -o /server .
FROM scratch
COPY --from=build /server /server
USER app
ENTRYPOINT ["/server"]
```

## Fix
Use the numeric id, which needs no `/etc/passwd` entry (or copy `/etc/passwd` from the stage that
created the user):
```dockerfile
USER 10001
```
The quick fix uses the id given to the user by a `useradd -u`/`adduser -u` anywhere in the file,
else the image's own id for such a user, else `65534:65534` (nobody).

## Fix safety
Not applied by `source.fixAll` or `fix --all`: the numeric id decides which files the process may
read and write, so an id that differs from the one files were given to changes behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import iter_runs, run_script
from ..base import Rule, RuleContext
from ._base_facts import base_facts, chain, copies_into, created_users, stage_is_windows

NOBODY = "65534:65534"
_INSTALLERS = {
    "apt-get": ("install",), "apt": ("install",), "apk": ("add",), "yum": ("install",), "dnf": ("install",),
    "microdnf": ("install",), "zypper": ("install", "in"), "dpkg": ("-i", "--install"), "rpm": ("-i", "-U"),
}
_ACCOUNT_TOOLS = ("useradd", "adduser", "usermod", "passwd", "vipw", "systemd-sysusers")


def _installs_or_edits_accounts(doc: Dockerfile, ins: Instruction) -> bool:
    """A RUN that installs packages, or edits accounts in a way we do not read."""
    script = run_script(doc, ins)
    if script is None:
        return True
    if "/etc/passwd" in script.source:
        return True
    for cmd in script.commands:
        words = _INSTALLERS.get(cmd.name)
        if words is not None and any(w.value in words for w in cmd.args):
            return True
        if cmd.name in _ACCOUNT_TOOLS and "$" in script.source:
            return True  # a user created from a variable we cannot resolve
    return False


def _uid_for(doc: Dockerfile, name: str) -> str | None:
    """The uid a ``useradd -u``/``adduser -u`` anywhere in the file gives to ``name``."""
    for _stage, _ins, script in iter_runs(doc):
        for cmd in script.named("useradd", "adduser"):
            positional = [w.value for w in cmd.args if not w.value.startswith("-")]
            if name not in positional:
                continue
            for uid in cmd.flag_values("u", "uid"):
                if uid.isdigit():
                    return uid
    return None


def _numeric(value: str) -> bool:
    return bool(re.fullmatch(r"\d+", value))


def _check_user(doc: Dockerfile, stage: Stage, ins: Instruction) -> Finding | None:
    if not ins.args:
        return None
    token = ins.args[0]
    spec = token.value
    if "$" in spec:
        return None
    name, _, group = spec.partition(":")
    if not name or _numeric(name):
        return None
    facts = base_facts(doc, stage)
    if facts.accounts is None or name in facts.accounts:
        return None
    if copies_into(doc, stage, ("/etc/passwd",), ins.span.start):
        return None
    earlier = chain(doc, stage)
    created = {c.name for c in created_users(doc, stage) if c.instruction.span.start < ins.span.start}
    if name in created:
        return None
    if facts.accounts:  # an image with /etc/passwd
        if not facts.complete:
            return None
        for st in earlier:
            for other in st.instructions:
                if other.span.start >= ins.span.start:
                    break
                if other.cmd == "run" and _installs_or_edits_accounts(doc, other):
                    return None
        why = f"{facts.image} has no user {name!r} and no RUN before this creates it"
    else:
        why = f"{facts.image} has no /etc/passwd"
    uid = _uid_for(doc, name) or (str(facts.uid_of(name)) if facts.uid_of(name) is not None else None)
    if uid is not None:
        # Without a group the process would run with gid 0 (root's group) where /etc/group lacks
        # the user: keep a numeric group, else use the uid as gid.
        value = f"{uid}:{group if _numeric(group) else uid}"
        title = f"Use the numeric user {value}"
    else:
        value = NOBODY
        title = f"Use the numeric user {NOBODY} (nobody)"
    return RULE.finding(
        token.span,
        f"USER {spec}: {why}, so the container fails to start (\"unable to find user {name}\"); "
        "use a numeric id",
        fixes=[Fix(title, [Edit(token.span, value)], safe=False, preferred=True)]
        if len(token.span) == len(spec) else [],
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    # Not per stage: the fix looks for the user's uid in every stage (often a builder's useradd).
    for stage in doc.stages:
        users = [ins for ins in stage.instructions if ins.cmd == "user"]
        if not users or stage_is_windows(doc, stage):
            continue
        for ins in users:
            f = _check_user(doc, stage, ins)
            if f is not None:
                yield f


RULE = Rule(
    code="NamedUserWithoutPasswd",
    name="named-user-without-passwd",
    summary="USER names an account the stage's /etc/passwd does not have",
    severity=Severity.ERROR,
    origin="dockerfile-refactor-ls",
    check=check,
)
