"""## What it does
Flags `go install`, `go get` and `go run` of a remote package without a version, or with `@latest`
or `@none` (`go install example.com/tool` instead of `go install example.com/tool@v1.2.3`).
hadolint rule `DL3062`.

Not reported: local packages (`.`, `./cmd/app`, `/src/app`), `.go` files given to `go run`
(hadolint reports `go run main.go`), packages given by a variable, and everything after the package
of `go run` (those are the program's arguments).

## Why is this bad?
Without a version, Go resolves the newest release on the day of the build: builds are not
reproducible, and a new major release can break them without any change to the Dockerfile.

## Example
```dockerfile
RUN go install golang.org/x/tools/gopls@latest
```

## Fix
```dockerfile
RUN go install golang.org/x/tools/gopls@v0.16.2
```
No quick fix: the version to pin is yours to choose.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand, Word
from ..base import Rule, RuleContext
from ._common import has_variable


def _packages(cmd: SimpleCommand) -> list[Word]:
    if cmd.name != "go":
        return []
    words = [w for w in cmd.args if not w.value.startswith("-")]
    if not words:
        return []
    if words[0].value == "run":
        return words[1:2]  # the rest are the program's arguments
    if words[0].value in ("install", "get"):
        return [w for w in words[1:] if w.value not in ("install", "get", "tool")]
    return []


def _pinned(package: str) -> bool:
    if package == "." or package.startswith(("/", ".")) or has_variable(package):
        return True
    if package.endswith(".go"):
        return True
    return "@" in package and not package.endswith(("@latest", "@none"))


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        for w in _packages(cmd):
            if not _pinned(w.value):
                yield RULE.finding(
                    w.span,
                    "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`",
                )


RULE = Rule(
    code="DL3062",
    name="go-pin-versions",
    summary="Pin versions in go install, go get and go run",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
