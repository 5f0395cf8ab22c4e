"""## What it does
Flags a `COPY` or `ADD` source from the build context that the context's ignore file excludes.
BuildKit check `CopyIgnoredFile`, with its message word for word.

The ignore file is the one BuildKit reads: `<Dockerfile name>.dockerignore` next to the Dockerfile
(`api.Dockerfile.dockerignore` for `api.Dockerfile`) when there is one, else `.dockerignore` (the
editor and `check` look for it in the Dockerfile's folder, the usual build context). Patterns
follow BuildKit's rules: `#` comments, a leading `/` dropped, `*` and `?` within one path
component, `**` across components, a pattern matching a parent directory excludes what is inside,
later lines overriding earlier ones, and `!` re-including.

A source is reported when it is excluded and no `!` pattern can bring back it or anything inside
it. `COPY . .` is reported only when a pattern (`*`, `**`) excludes the whole context. Sources
are compared as written (cleaned like a path): a wildcard source is matched literally, as BuildKit
does, and a source with a variable, a URL, a Git repository, a heredoc or `COPY --from` is not
checked.

Deliberate difference: BuildKit skips the check altogether when the ignore file has any `!` line,
so it misses `COPY secrets.env .` next to `!README.md`; we decide such files pattern by pattern.

## Why is this bad?
Excluded files are not sent to the builder: the `COPY` fails with "not found", or a wildcard
copies less than it appears to.

## Example
With this `.dockerignore`:
```text
*.env
```
```dockerfile
FROM alpine:3.20
COPY production.env /etc/app/
```

## Fix
Stop copying the file, or stop ignoring it (`!production.env` after the pattern). There is no
quick fix: which of the two is right depends on why the file is ignored.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.base_images import remove_quotes
from ...engine.dockerignore import clean, matcher_for
from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._common import go_quote


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.dockerignore:
        return
    matcher = matcher_for(ctx.dockerignore)
    if not matcher.patterns:
        return
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.cmd not in ("copy", "add") or ins.flag("from") is not None or len(ins.args) < 2:
            continue
        what = "Copy" if ins.cmd == "copy" else "Add"
        for tok in ins.args[:-1]:
            value = tok.value
            if "$" in value or value.startswith("<<") or "://" in value or value.startswith("git@"):
                continue
            src = clean(remove_quotes(value, doc.escape).replace("\\", "/") if not ins.json else value)
            if matcher.fully_ignored(src):
                yield RULE.finding(
                    tok.span,
                    f"Attempting to {what} file {go_quote(src)} that is excluded by .dockerignore",
                )


RULE = Rule(
    code="CopyIgnoredFile",
    name="copy-ignored-file",
    summary="COPY/ADD of a file the .dockerignore excludes",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
