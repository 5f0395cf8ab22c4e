"""## What it does
Flags `apt-get install` without `-y` (`--yes`, `--assume-yes`, or `-qq`, which implies it).
hadolint rule `DL3014`.

Not reported when an earlier `RUN` of the stage configures `APT::Get::Assume-Yes`.

## Why is this bad?
A build has no one to answer apt's "Do you want to continue? [Y/n]" prompt; without `-y`
`apt-get install` aborts as soon as it would install more than was asked for.

## Example
```dockerfile
RUN apt-get update && apt-get install curl
```

## Fix
```dockerfile
RUN apt-get update && apt-get install -y curl
```
The quick fix adds `-y` after `install`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import apt_get_install, missing_option


def _assumes_yes(cmd: SimpleCommand) -> bool:
    """``-y``/``--yes``/``--assume-yes``, or quiet level 2 (``-qq``, ``-q -q``, ``-q=2``), which
    implies ``-y``; a single ``-q`` does not."""
    flags = cmd.flags()
    if any(f in ("y", "yes", "assume-yes", "qq") for f in flags):
        return True
    return flags.count("q") >= 2 or flags.count("quiet") >= 2 or "-q=2" in cmd.values or "--quiet=2" in cmd.values


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_option(
        ctx, RULE, apt_get_install, lambda cmd: _assumes_yes(cmd) or any("Assume-Yes" in v for v in cmd.values),
        "Assume-Yes", "Use the `-y` switch to avoid manual input `apt-get -y install <package>`", "-y",
    )


RULE = Rule(
    code="DL3014",
    name="apt-get-yes",
    summary="Use the -y switch with apt-get install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
