"""## What it does
Flags `yum install` (and `groupinstall`, `localinstall`) without `-y`/`--assumeyes`. hadolint rule
`DL3030`.

Not reported when an earlier `RUN` of the stage sets `assumeyes` in the yum configuration.

## Why is this bad?
A build cannot answer yum's "Is this ok [y/N]" prompt; without `-y` the install is aborted.

## Example
```dockerfile
RUN yum install httpd-2.4.6 && yum clean all
```

## Fix
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
```
The quick fix adds `-y` after the subcommand.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ...engine.shell import iter_runs
from ..base import Rule, RuleContext
from ._common import YUM_VALUE_FLAGS, insert_after, shell_text_before, subcommand_in

INSTALLS = ("install", "groupinstall", "localinstall")


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage, ins, script in iter_runs(doc):
        for cmd in script.commands:
            sub = subcommand_in(cmd, ("yum",), INSTALLS, YUM_VALUE_FLAGS)
            if sub is None or cmd.has_flag("y", "assumeyes"):
                continue
            if "assumeyes" in shell_text_before(doc, stage, ins):
                continue
            yield RULE.finding(
                cmd.head_span(sub),
                "Use the -y switch to avoid manual input `yum install -y <package>`",
                fixes=[Fix("Add -y", [insert_after(sub, " -y")], preferred=True)],
            )


RULE = Rule(
    code="DL3030",
    name="yum-yes",
    summary="Use the -y switch with yum install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
