"""## What it does
Flags modes that make files or directories writable by every user: `chmod 777`, `chmod 666`,
`chmod -R a+w`, `chmod o+rwx`, `mkdir -m 777`, `install -m 0777` in `RUN`, and `COPY --chmod=777`
/ `ADD --chmod=777`. A numeric mode is world-writable when its last digit has the write bit (2, 3, 6
or 7); a symbolic one when it gives `w` to `o` or `a`.

Not reported with the sticky bit (`1777`, `+t`: a directory meant to be shared, like `/tmp`), nor
for temporary directories (`/tmp`, `/var/tmp`, `/dev/shm`, `/run/lock` and below),
which are world-writable (with the sticky bit) by design, nor for `/dev/*`.

## Why is this bad?
`chmod 777` is the usual workaround for files a non-root user cannot write because they were copied
without `--chown`. It works, but it lets every user and every process of the container (a
compromised dependency, a web shell) change the application's code, data and configuration, and
a world-writable executable can be replaced by anyone.

## Example
```dockerfile
FROM python:3.12-slim
RUN useradd --create-home app
WORKDIR /app
COPY . .
RUN chmod -R 777 /app/data
USER app
```

## Fix
Give the files to the user that writes them, and keep the mode at 755 (directories) or 644:
```dockerfile
COPY --chown=app:app . .
```
or `RUN chown -R app:app /app/data` for directories created by `RUN`.

## Fix safety
No automatic fix: which user should own the path, and whether a group-writable mode is enough,
depends on how the image is run (a random uid on OpenShift needs `chgrp 0` and `g+w`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.shell import SimpleCommand, Word
from ...engine.text import Span
from ..base import Rule, RuleContext
from ._base_facts import is_root_user, users_in

_TEMPORARY = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock", "/dev")
_SYMBOLIC = re.compile(r"([ugoa]*)([-+=])([rwxXst]*)")
_CHMOD_OPTIONS = frozenset("RvfchHLP")


def world_writable(mode: str) -> bool:
    """Whether a chmod mode (octal or symbolic) gives write permission to others, without the sticky
    bit (1777 is the deliberate mode of a shared directory like /tmp, not a missing --chown)."""
    if re.fullmatch(r"[0-7]{1,4}", mode):
        sticky = len(mode) == 4 and bool(int(mode[0]) & 1)
        return bool(int(mode[-1]) & 2) and not sticky
    writable = False
    for clause in mode.split(","):
        for m in _SYMBOLIC.finditer(clause):
            who, op, perms = m.groups()
            if not who or ("o" not in who and "a" not in who):
                continue  # `+w` obeys the umask (022): not for others
            if "t" in perms and op in "+=":
                return False  # the sticky bit: a deliberately shared directory
            if "w" in perms:
                writable = op in "+="
            elif op == "=":
                writable = False
    return writable


def _is_temporary(path: str) -> bool:
    p = path.rstrip("/") or "/"
    return any(p == t or p.startswith(t + "/") for t in _TEMPORARY)


def _mode_and_paths(cmd: SimpleCommand) -> tuple[Word, list[str]] | None:
    args = cmd.args
    if cmd.name == "chmod":
        positional: list[Word] = []
        for w in args:
            v = w.value
            if v.startswith("--reference"):
                return None  # the mode comes from another file
            if v.startswith("--") or (v.startswith("-") and len(v) > 1 and set(v[1:]) <= _CHMOD_OPTIONS):
                continue  # -R, -v, -f, --recursive ... (`-w` is a mode)
            positional.append(w)
        if len(positional) < 2:
            return None
        return positional[0], [w.value for w in positional[1:]]
    # mkdir -m MODE / --mode=MODE, install -m MODE / --mode=MODE
    for i, w in enumerate(args):
        v = w.value
        if v in ("-m", "--mode") and i + 1 < len(args):
            mode = args[i + 1]
            paths = [x.value for x in args[i + 2 :] if not x.value.startswith("-")]
            return mode, paths
        if v.startswith("--mode="):
            n = len("--mode=")
            mode = Word(v[n:], Span(w.span.start + n, w.span.end) if len(w.span) == len(v) else w.span, w.raw)
            return mode, [x.value for x in args[i + 1 :] if not x.value.startswith("-")]
        if v.startswith("-m") and len(v) > 2 and cmd.name == "mkdir":
            mode = Word(v[2:], Span(w.span.start + 2, w.span.end) if len(w.span) == len(v) else w.span, w.raw)
            return mode, [x.value for x in args[i + 1 :] if not x.value.startswith("-")]
    return None


def _user_hint(doc: Dockerfile, stage: Stage | None) -> str:
    if stage is None:
        return "the user that writes there"
    users = [u for u in users_in(doc, stage) if not is_root_user(u.args_text)]
    return users[-1].args_text.strip() if users else "the user that writes there"


def _message(what: str, mode: str, paths: list[str], who: str) -> str:
    shown = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
    return (
        f"{what} {mode} makes {shown} writable by every user; give {'them' if len(paths) > 1 else 'it'} to "
        f"{who} instead (COPY --chown, RUN chown) and keep the mode 755/644"
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    wanted = {id(st) for st in ctx.stages()}
    for stage, _ins, script in ctx.runs():
        if stage is None or id(stage) not in wanted:
            continue
        for cmd in script.named("chmod", "mkdir", "install"):
            got = _mode_and_paths(cmd)
            if got is None:
                continue
            mode, paths = got
            if "$" in mode.value or not world_writable(mode.value):
                continue
            paths = [p for p in paths if not _is_temporary(p)]
            if not paths:
                continue
            what = cmd.name if cmd.name == "chmod" else f"{cmd.name} -m"
            yield RULE.finding(mode.span, _message(what, mode.value, paths, _user_hint(doc, stage)))
    for stage in ctx.stages():
        for ins in stage.instructions:
            if ins.cmd not in ("copy", "add"):
                continue
            flag = ins.flag("chmod")
            if flag is None or not flag.value or "$" in flag.value or not world_writable(flag.value):
                continue
            dest = ins.args[-1].value if len(ins.args) >= 2 else ""
            if dest and _is_temporary(dest):
                continue
            yield RULE.finding(
                flag.value_span or flag.span,
                _message(f"{ins.keyword.upper()} --chmod=", flag.value, [dest or "the files"], _user_hint(doc, stage))
                .replace("--chmod= ", "--chmod="),
            )


RULE = Rule(
    code="WorldWritablePath",
    name="world-writable-path",
    summary="chmod 777 / a+w (or COPY --chmod=777) makes paths writable by every user",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
    per_stage=True,
)
