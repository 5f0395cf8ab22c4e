"""## What it does
Flags a dependency install that runs after the whole build context was copied into the same stage
(`COPY . .`, `COPY . /app`, `ADD . .`, with any flags):

- explicit installs: `npm ci`/`npm install`, `yarn install`, `pnpm install`, `bun install`,
  `pip install -r requirements*.txt`, `poetry install`, `uv sync`, `pdm install`, `pipenv install`,
  `go mod download`, `bundle install`, `composer install`, `mvn dependency:go-offline`,
  `gradle dependencies`;
- builds that download dependencies on the fly: `go build`/`go test`/..., `cargo build`,
  `mvn package`/..., `gradle build`/... .

Also `dotnet restore` (and `dotnet build`/`publish`/`test`, which restore), `php composer.phar
install`. Not reported when the same ecosystem's dependencies were already installed before the
source COPY (from manifests copied earlier), when the install runs outside the copied directory,
for Go without modules (Go < 1.11, `GO111MODULE=off`, `-mod=vendor`, or Go 1.11-1.15 where nothing
shows a `go.mod`), or for Windows images. Where the refactoring cannot move the install (a RUN in
between uses the source, ...), the message says why and no fix is offered, so a diagnostic that
offers the refactoring always gets it.

## Why is this bad?
Docker's layer cache keys the COPY on the content of everything it copies. With the whole source
copied first, any change to any file (a README, a test) invalidates that layer and every later one,
so every build downloads and installs all dependencies again. Copying only the manifests first
keeps the install layer cached until a manifest changes.

## Example
```dockerfile
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
```

## Fix
Copy the manifests, install, then copy the source. The refactoring "Move COPY <manifests> before
source" (`refactor.rewrite.cacheDependencies`) does this:
```dockerfile
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.dependency_installs import explain, find_issues
from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    issues = find_issues(doc)
    for issue in issues:
        source = issue.source
        line = doc.lines.line_of(source.keyword_span.start) + 1
        copied = f"{source.keyword} {' '.join(a.value for a in source.args)}"
        manifests = " ".join([*issue.files, *(d + "/" for d in issue.dirs)])
        if issue.step.explicit:
            message = (
                f"`{issue.step.label}` runs after `{copied}` (line {line}): any source change re-installs "
                f"all dependencies; copy {manifests} and install first"
            )
        else:
            message = (
                f"`{issue.step.label}` downloads dependencies after `{copied}` (line {line}): any source "
                f"change downloads them again; copy {manifests} and fetch them first"
            )
        why = explain(doc, issue, issues)
        if why is not None:
            # The action cannot move this one: say why instead of offering it.
            yield RULE.finding(issue.span, f"{message} (not moved automatically: {why})")
        else:
            yield RULE.finding(issue.span, message, refactorable=True)


RULE = Rule(
    code="InstallAfterSourceCopy",
    name="install-after-source-copy",
    summary="Dependencies are installed after the whole source is copied",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
)
