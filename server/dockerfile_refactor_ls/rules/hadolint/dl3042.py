"""## What it does
Flags `pip install` without `--no-cache-dir`. hadolint rule `DL3042`.

Not reported when `PIP_NO_CACHE_DIR` is set to a true value (hadolint's list: `1`, `true`, `on`,
`yes` in lower, upper or title case) by `ENV` or `ARG` earlier in the stage or in a stage it is built
on (`FROM base`, through any number of stages), by a stage `ARG PIP_NO_CACHE_DIR` that takes a
global `ARG`'s default, by an `ENV` before the `RUN` in a fragment without `FROM`, or in the `RUN`
itself (`PIP_NO_CACHE_DIR=1 pip install ...`, `export PIP_NO_CACHE_DIR=1`). Other values (`0`,
`off`, `no`, `false`) leave pip's cache on and are reported, as in hadolint. Not reported either
when pip's cache is a cache or tmpfs mount (`RUN --mount=type=cache,target=/root/.cache/pip`),
after `pip config set global.no-cache-dir`, or for `pipx` and `pipenv`, which manage their own
caches. `ONBUILD RUN pip install` is checked too, as in hadolint.

Deliberate differences from hadolint, where it would read the build wrongly: only the stages a
stage is built on pass their `ENV` on (hadolint also lets an unrelated earlier stage from the same
image name do so); the last value before the `RUN` decides, so `ENV PIP_NO_CACHE_DIR=0` after
`=1` is reported (hadolint keeps the first true value); an `ARG` counts, since BuildKit puts build
arguments in a `RUN`'s environment (hadolint reads only `ENV`).

Differs from hadolint: pip called by its path (`/venv/bin/pip install`, as in a virtual
environment) is checked too; hadolint recognises only the bare names.

## Why is this bad?
pip keeps every downloaded wheel and sdist in `~/.cache/pip`. In an image build that cache is never
used again, but it stays in the layer and can add hundreds of megabytes.

## Example
```dockerfile
RUN pip install -r requirements.txt
```

## Fix
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```
The quick fix adds `--no-cache-dir` after `install`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import cache_mount_targets, env_set_in_chain, insert_after, mentioned_before
from .dl3013 import pip_install

# pip's cache, which --no-cache-dir stops filling: unsafe to drop where another stage reads it.
PIP_CACHE = ("/root/.cache/pip",)
# The values pip reads as true: any other value of PIP_NO_CACHE_DIR (0, off, no, false) leaves the
# cache on.
TRUTHY = frozenset({"1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"})
_ASSIGNED = re.compile(r"PIP_NO_CACHE_DIR=(\S*)")


def _wrapper(cmd: SimpleCommand) -> bool:
    if cmd.name.startswith(("pipx", "pipenv")):
        return True
    vals = cmd.values
    return cmd.name.startswith("python") and any(
        vals[k] == "-m" and vals[k + 1] in ("pipx", "pipenv") for k in range(len(vals) - 1)
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage, ins, script in ctx.runs():
        cmds = [(c, s) for c in script.commands if (s := pip_install(c)) is not None and not _wrapper(c)]
        cmds = [(c, s) for c, s in cmds if "--no-cache-dir" not in c.values and not c.has_flag("no-cache-dir")]
        if not cmds:
            continue
        if any("pip" in t or t.rstrip("/") in ("/root/.cache", "~/.cache") for t in cache_mount_targets(ins)):
            continue
        value = env_set_in_chain(ctx, stage, "PIP_NO_CACHE_DIR", ins.span.start)
        if value is not None and value.strip("'\"") in TRUTHY:
            continue
        if any(m.group(1).strip("'\"") in TRUTHY for m in _ASSIGNED.finditer(script.source)):
            continue
        if "global.no-cache-dir" in script.source or mentioned_before(ctx, stage, ins, "global.no-cache-dir"):
            continue
        for cmd, sub in cmds:
            yield RULE.finding(
                cmd.head_span(sub),
                "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
                fixes=[Fix("Add --no-cache-dir", [insert_after(sub, " --no-cache-dir")], preferred=True,
                           drops=PIP_CACHE)],
            )


RULE = Rule(
    code="DL3042",
    name="pip-no-cache-dir",
    summary="Avoid use of cache directory with pip install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
