"""## What it does
Flags `yarn install` in a `RUN` that does not also run `yarn cache clean`. hadolint rule `DL3060`.

Not reported when yarn's cache is a cache mount (`RUN --mount=type=cache,target=...yarn...`) or the
`RUN` deletes the cache directory itself.

## Why is this bad?
Yarn keeps a copy of every downloaded package in its global cache. In an image that cache is dead
weight, often larger than `node_modules` itself.

## Example
```dockerfile
RUN yarn install --frozen-lockfile
```

## Fix
```dockerfile
RUN yarn install --frozen-lockfile && yarn cache clean
```
The quick fix appends `&& yarn cache clean`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import iter_runs
from ..base import Rule, RuleContext
from ._common import append_fix, cache_mount_targets

YARN_CACHE = ("/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn-cache")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, ins, script in iter_runs(ctx.doc):
        installs = [c for c in script.named("yarn") if c.has_arg("install")]
        if not installs:
            continue
        if any("yarn" in t for t in cache_mount_targets(ins)):
            continue
        cleaned = any(
            (c.name == "yarn" and c.has_arg("cache") and c.has_arg("clean"))
            or (c.name == "rm" and any("yarn" in w.value for w in c.args))
            for c in script.commands
        )
        if cleaned:
            continue
        cmd = installs[0]
        sub = next(w for w in cmd.args if w.value == "install")
        yield RULE.finding(
            cmd.head_span(sub),
            "`yarn cache clean` missing after `yarn install` was run.",
            # Unsafe where the cache is read after all: an offline install later, a COPY --from.
            fixes=append_fix(script, "Append yarn cache clean", "yarn cache clean", drops=YARN_CACHE,
                             read_by=("--offline", "--prefer-offline")),
        )


RULE = Rule(
    code="DL3060",
    name="yarn-cache-clean",
    summary="yarn cache clean missing after yarn install",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    per_run=True,
)
