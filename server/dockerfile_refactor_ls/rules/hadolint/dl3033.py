"""## What it does
Flags `yum install` of packages without a version (`httpd` instead of `httpd-2.4.6`), and
`yum module install` of modules without a stream (`nodejs` instead of `nodejs:20`). hadolint rule
`DL3033`.

Local `.rpm` files, paths and URLs are not reported. As in hadolint 2.15, a package counts as
versioned when a part after a `-` looks like a version (`tomcat-9.2`, `openssl-1:1.1.1k`;
`git-core` has none), and a package with a variable (`git-core-${version}`) when the `RUN` has
the variable: an `ENV` or `ARG` of its stage, or of a stage it is built on; an `ENV` of an
unrelated stage does not pin it.

Differs from hadolint: an `ARG` of an unrelated stage does not pin it either (hadolint counts any
`ARG` of the file, but BuildKit gives a `RUN` only its own stage's), and a word with no `-` given
by a variable (`$PACKAGES`) is read like any other variable (hadolint reports it).

## Why is this bad?
Without a version yum installs the newest package of the repositories on the day of the build:
builds are not reproducible and can break without any change to the Dockerfile.

## Example
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Fix
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import has_variable, missing_rpm_pins


def _module_named_by_variable(p: str) -> bool:
    return has_variable(p) or "/" in p


def check(ctx: RuleContext) -> Iterator[Finding]:
    return missing_rpm_pins(
        ctx, RULE, ("yum",), "Specify version with `yum install -y <package>-<version>`", _module_named_by_variable
    )


RULE = Rule(
    code="DL3033",
    name="yum-pin-versions",
    summary="Specify version with yum install -y <package>-<version>",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
