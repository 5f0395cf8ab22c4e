"""## What it does
Flags `yarn install` in a `RUN` that does not run `yarn cache clean` after it (a clean before the
install leaves the install's downloads behind). hadolint rule `DL3060`.

As in hadolint, only stages whose layers end up in an image are checked: the final stage and stages
other stages are built `FROM` (a test or build stage that is only copied from keeps no cache in the
image); an `ONBUILD RUN` always is. Not reported when yarn's cache is a cache mount (`RUN --mount=type=cache,target=...yarn...`) or the
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
The quick fix appends `&& yarn cache clean`. None is offered for Yarn 2+ ("Berry": an install with
`--immutable`, `--immutable-cache`, `--check-cache` or `--mode`, or a file that sets Yarn's version or
`.yarnrc.yml`): there `yarn cache clean` empties the project's `.yarn/cache`, which Plug'n'Play loads
every package from at run time, so the "fix" breaks the app (found by the real-build verification's
`fix --all` on a Yarn 4 PnP sample).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import append_fix, cache_mount_targets, is_shipped

YARN_CACHE = ("/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn-cache")
# Install flags only Yarn 2+ has, and signs in the file that the project uses Yarn 2+.
BERRY_FLAGS = ("--immutable", "--immutable-cache", "--check-cache", "--mode")
BERRY_SIGNS = (".yarnrc.yml", "yarn set version", "@yarnpkg/cli", ".pnp.cjs", "yarnPath")


def _berry(doc_text: str, installs: list[SimpleCommand]) -> bool:
    return any(w.value.split("=", 1)[0] in BERRY_FLAGS for c in installs for w in c.args) or any(
        sign in doc_text for sign in BERRY_SIGNS
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage, ins, script in ctx.runs():
        # An ONBUILD RUN runs in the images built on this one: those are shipped.
        if ins.sub is None and not is_shipped(doc, stage):
            continue
        installs = [c for c in script.named("yarn") if c.has_arg("install")]
        if not installs:
            continue
        if any("yarn" in t for t in cache_mount_targets(ins)):
            continue
        last_install = max(c.index for c in installs)
        cleaned = any(
            c.index > last_install
            and (
                (c.name == "yarn" and c.has_arg("cache") and c.has_arg("clean"))
                or (c.name == "rm" and any("yarn" in w.value for w in c.args))
            )
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
            # None for Yarn 2+, whose cache is what Plug'n'Play loads packages from.
            fixes=[] if _berry(doc.text, installs) else append_fix(
                script, "Append yarn cache clean", "yarn cache clean", drops=YARN_CACHE,
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
