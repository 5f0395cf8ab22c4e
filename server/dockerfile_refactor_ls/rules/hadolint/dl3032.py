"""## What it does
Flags `yum install` not followed by `yum clean all` in the same `RUN`. hadolint rule `DL3032`.

Deleting `/var/cache/yum` instead, or mounting a cache there (`RUN --mount=type=cache`), also
counts.

## Why is this bad?
yum keeps downloaded metadata and packages in `/var/cache/yum`. Unless the same `RUN` removes them
they stay in the layer and make the image bigger for nothing.

## Example
```dockerfile
RUN yum install -y httpd-2.4.6
```

## Fix
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
```
The quick fix appends `&& yum clean all`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import YUM_INSTALLS as INSTALLS
from ._common import YUM_VALUE_FLAGS, missing_cache_cleanup


def _clean(c: SimpleCommand) -> bool:
    if c.name == "yum":
        pos = c.positional(YUM_VALUE_FLAGS)
        return len(pos) >= 1 and pos[0].value == "clean"
    return c.name == "rm" and any(w.value.startswith("/var/cache/yum") for w in c.args)


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_cache_cleanup(
        ctx, RULE, ("yum",), INSTALLS, YUM_VALUE_FLAGS, ("/var/cache/yum",), _clean,
        "`yum clean all` missing after yum command.", lambda cmd: "yum clean all",
    )


RULE = Rule(
    code="DL3032",
    name="yum-clean-all",
    summary="yum clean all missing after yum install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
