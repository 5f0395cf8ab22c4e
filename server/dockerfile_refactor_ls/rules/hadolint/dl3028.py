"""## What it does
Flags `gem install <gem>` without a version (`gem install rails` instead of
`gem install rails:7.2.1` or `gem install rails -v 7.2.1`). hadolint rule `DL3028`.

## Why is this bad?
Without a version RubyGems installs the newest release: builds are not reproducible and a new major
version can break them without any change to the Dockerfile.

## Example
```dockerfile
RUN gem install bundler
```

## Fix
```dockerfile
RUN gem install bundler:2.5.22
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import iter_runs
from ..base import Rule, RuleContext
from ._common import has_variable

_GEM_VALUE_FLAGS = ("i", "install-dir", "n", "bindir", "source", "s", "P", "trust-policy", "platform", "g", "file")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for _stage, _ins, script in iter_runs(ctx.doc):
        for cmd in script.named("gem"):
            pos = cmd.positional((*_GEM_VALUE_FLAGS, "v", "version"))
            if not pos or pos[0].value not in ("install", "i"):
                continue
            if cmd.has_flag("v", "version") or cmd.arg_startswith("--version="):
                continue
            # What follows `--` goes to the gem's build (`-- --use-system-libraries=true`).
            end = next((w.span.start for w in cmd.args if w.value == "--"), None)
            gems = [w for w in pos[1:] if end is None or w.span.start < end]
            loose = [w.value for w in gems if ":" not in w.value and not has_variable(w.value)]
            if not loose:
                continue
            shown = ", ".join(f"`{p}`" for p in loose[:5]) + (", ..." if len(loose) > 5 else "")
            yield RULE.finding(
                cmd.head_span(pos[0]),
                "Pin versions in gem install. Instead of `gem install <gem>` use `gem install "
                f"<gem>:<version>` (unpinned: {shown})",
            )


RULE = Rule(
    code="DL3028",
    name="gem-pin-versions",
    summary="Pin versions in gem install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
