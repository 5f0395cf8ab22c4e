"""## What it does
Flags `COPY` and `ADD` without `--chown` that come after a `USER` switched to a non-root user (in
the stage itself or in the stage it is built on).

Not reported for destinations in system directories (`/usr`, `/etc`, `/bin`, ...), which the user is
not meant to write; when a later `RUN chown` in the stage takes ownership of the destination; when
the `USER` is a variable without a value (ARG and ENV values, global ARG defaults included, are
followed); and in Windows stages (where `--chown` does not apply).

## Why is this bad?
`USER` does not change who owns copied files: `COPY` and `ADD` always create them as `root:root`
unless `--chown` says otherwise. The application then runs as its user but cannot write, rename or
delete its own files (caches, uploads, SQLite databases, generated assets), which fails at run time
with "permission denied". The usual workarounds, `RUN chown -R` (a second copy of every file in a
new layer) or `chmod 777`, cost space or security.

## Example
```dockerfile
FROM node:20-slim
USER node
WORKDIR /home/node/app
COPY . .
CMD ["node", "server.js"]
```

## Fix
```dockerfile
COPY --chown=node . .
```
The quick fix inserts `--chown=<user>` with the user of the `USER` instruction in effect.

## Fix safety
Offered as a quick fix, not applied by `source.fixAll` or `fix --all`: it changes the owner of the
copied files, which is the point, but an image that relies on the files staying read-only for its
user (a deliberate hardening) would lose that.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import run_script
from ...engine.text import Span
from ...engine.workdirs import unquote
from ..base import Rule, RuleContext
from ._base_facts import global_values, is_root_user, parent, stage_is_windows, substitute

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys", "/proc", "/dev",
               "/boot", "/run", "/var/run", "/var/lib/apt", "/opt/conda/bin")


def _workdir(cwd: str, value: str) -> str:
    value = unquote(value)
    return posixpath.normpath(value if value.startswith("/") else posixpath.join(cwd, value))


def destination(cwd: str, ins: Instruction, values: dict[str, str | None] | None = None) -> str | None:
    """The absolute destination of a COPY/ADD (None when it holds a variable without a value)."""
    dest = unquote(ins.args[-1].value)
    if "$" in dest and values is not None:
        dest = substitute(dest, values) or dest
    if "$" in dest:
        return None
    return posixpath.normpath(dest if dest.startswith("/") else posixpath.join(cwd, dest))


def is_system_path(path: str) -> bool:
    return path == "/" or any(path == d or path.startswith(d + "/") for d in SYSTEM_DIRS)


# Longer values that hold variables are taken as unknown rather than expanded.
_MAX_EXPANDED = 1024


def _declare(ins: Instruction, values: dict[str, str | None], envs: dict[str, str | None],
             globals_: dict[str, str | None]) -> None:
    """Record the values an ARG or ENV gives (as BuildKit expands them in later instructions);
    ENV values also go to ``envs``, which later stages inherit (ARG values do not)."""
    for kv in ins.pairs:
        key = kv.key.value
        if kv.value is None:
            if ins.cmd == "arg" and key not in values:
                values[key] = globals_.get(key)  # `ARG NAME` takes the global default
            continue
        raw = kv.value.value
        if "$" not in raw:
            values[key] = raw
        elif len(raw) <= _MAX_EXPANDED:
            values[key] = substitute(raw, values)
        else:
            values[key] = None  # not expanded (the substitution is quadratic on unclosed `${`)
        if ins.cmd == "env":
            envs[key] = values[key]


_State = tuple[Instruction | None, str, dict[str, str | None]]  # USER, WORKDIR, ENV values


def _walk(state: _State, stage: Stage, globals_: dict[str, str | None]) -> _State:
    """The state at the end of ``stage``, given the state it starts with."""
    user, cwd, envs = state[0], state[1], dict(state[2])
    values = dict(envs)
    for ins in stage.instructions:
        if ins.cmd == "user" and ins.args_text:
            user = ins
        elif ins.cmd == "workdir" and ins.args:
            cwd = _workdir(cwd, _expand(ins.args[0].value, values))
        elif ins.cmd in ("arg", "env"):
            _declare(ins, values, envs, globals_)
    return user, cwd, envs


def _inherited(doc: Dockerfile, stage: Stage, globals_: dict[str, str | None], ends: dict[int, _State]) -> _State:
    """The USER, WORKDIR and ENV values in effect at the start of ``stage`` (from the stages it
    builds on). ``ends`` keeps each stage's end state, so a long chain is walked once."""
    path: list[Stage] = []
    up = parent(doc, stage)
    while up is not None and id(up) not in ends and all(up is not p for p in path):
        path.append(up)
        up = parent(doc, up)
    state: _State = ends[id(up)] if up is not None and id(up) in ends else (None, "/", {})
    for st in reversed(path):
        state = _walk(state, st, globals_)
        ends[id(st)] = state
    return state


def _expand(value: str, values: dict[str, str | None]) -> str:
    if "$" not in value:
        return value
    return substitute(value, values) or value


def _chowned_later(doc: Dockerfile, rest: list[Instruction], dest: str) -> bool:
    for ins in rest:
        if ins.cmd != "run":
            continue
        script = run_script(doc, ins)
        if script is None:
            return True  # not a POSIX shell: cannot tell
        for cmd in script.named("chown"):
            for w in cmd.args:
                p = w.value
                if p.startswith("-") or not p.startswith(("/", "$", ".")):
                    continue
                if "$" in p or p in (".", "./"):
                    return True
                p = posixpath.normpath(p)
                if dest == p or dest.startswith(p.rstrip("/") + "/"):
                    return True
    return False


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    globals_ = global_values(doc)
    ends: dict[int, _State] = {}
    for stage in ctx.stages():
        if not stage.instructions or stage_is_windows(doc, stage):
            continue
        user, cwd, envs = _inherited(doc, stage, globals_, ends)
        values = dict(envs)
        ins_list = stage.instructions
        for idx, ins in enumerate(ins_list):
            if ins.cmd == "user" and ins.args_text:
                user = ins
                continue
            if ins.cmd == "workdir" and ins.args:
                cwd = _workdir(cwd, _expand(ins.args[0].value, values))
                continue
            if ins.cmd in ("arg", "env"):
                _declare(ins, values, envs, globals_)
                continue
            if ins.cmd not in ("copy", "add") or user is None or ins.flag("chown") is not None:
                continue
            if len(ins.args) < 2 or ins.error is not None:
                continue
            name = user.args[0].value if user.args else user.args_text
            resolved = _expand(name, values)
            if is_root_user(resolved) or "$" in resolved:
                continue
            dest = destination(cwd, ins, values)
            if dest is None or is_system_path(dest) or _chowned_later(doc, ins_list[idx + 1 :], dest):
                continue
            at = ins.flags[-1].span.end if ins.flags else ins.keyword_span.end
            who = resolved.split(":", 1)[0]
            yield RULE.finding(
                ins.keyword_span,
                f"{ins.keyword.upper()} after USER {name} without --chown: the files in {dest} are owned "
                f"by root, and {who} cannot change them",
                fixes=[Fix(f"Add --chown={name}", [Edit(Span(at, at), f" --chown={name}")], safe=False, preferred=True)],
            )


RULE = Rule(
    code="CopyAfterUserWithoutChown",
    name="copy-after-user-without-chown",
    summary="COPY/ADD after a non-root USER without --chown leaves root-owned files",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
    per_stage=True,
)
