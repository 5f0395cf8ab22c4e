"""## What it does
Flags `pip install` without `--no-cache-dir`. hadolint rule `DL3042`.

Not reported when `PIP_NO_CACHE_DIR` is set (by `ENV`, `ARG` or in the `RUN` itself), when pip's
cache is a cache mount (`RUN --mount=type=cache,target=/root/.cache/pip`), or for `pipx` and
`pipenv`, which manage their own caches.

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

from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ...engine.shell import SimpleCommand, iter_runs
from ..base import Rule, RuleContext
from ._common import cache_mount_targets, env_set_in_chain, insert_after, shell_text_before
from .dl3013 import pip_install

# pip's cache, which --no-cache-dir stops filling: unsafe to drop where another stage reads it.
PIP_CACHE = ("/root/.cache/pip",)


def _wrapper(cmd: SimpleCommand) -> bool:
    if cmd.name.startswith(("pipx", "pipenv")):
        return True
    vals = cmd.values
    return cmd.name.startswith("python") and any(
        vals[k] == "-m" and vals[k + 1] in ("pipx", "pipenv") for k in range(len(vals) - 1)
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage, ins, script in iter_runs(doc):
        cmds = [(c, s) for c in script.commands if (s := pip_install(c)) is not None and not _wrapper(c)]
        cmds = [(c, s) for c, s in cmds if "--no-cache-dir" not in c.values and not c.has_flag("no-cache-dir")]
        if not cmds:
            continue
        if any("pip" in t or t.rstrip("/") in ("/root/.cache", "~/.cache") for t in cache_mount_targets(ins)):
            continue
        if env_set_in_chain(stage, "PIP_NO_CACHE_DIR", ins.span.start) is not None:
            continue
        before = shell_text_before(doc, stage, ins) + "\n" + script.source
        if "PIP_NO_CACHE_DIR" in before or "global.no-cache-dir" in before:
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
