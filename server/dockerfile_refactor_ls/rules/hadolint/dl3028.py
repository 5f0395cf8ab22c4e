"""## What it does
Flags `gem install <gem>` without a version (`gem install rails` instead of
`gem install rails:7.2.1` or `gem install rails -v 7.2.1`). hadolint rule `DL3028`.

What follows `--` goes to the gem's build and is not a gem. A flag that is not one of
`gem install`'s known switches takes the next word as its value, as in hadolint
(`gem install bundler:2.0.1 --use-system-libraries true` installs no gem `true`).

Differs from hadolint: `gem install`'s own switches take no value, so
`gem install --no-document rails` is reported (hadolint reads `rails` as the value of
`--no-document` and reports nothing).

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
from ...engine.shell import SimpleCommand
from ..base import Rule, RuleContext
from ._common import has_variable, unpinned

_GEM_VALUE_FLAGS = ("i", "install-dir", "n", "bindir", "source", "s", "P", "trust-policy", "platform", "g", "file")
# `gem install`'s switches that take no value (`gem help install`). Any other flag is read as
# taking the next word, as hadolint does: `--use-system-libraries true` names no gem `true`.
_GEM_SWITCHES = frozenset((
    "l", "r", "b", "u", "E", "f", "w", "N", "V", "q",
    "local", "remote", "both", "clear-sources", "update-sources", "no-update-sources", "user-install",
    "no-user-install", "env-shebang", "no-env-shebang", "force", "no-force", "wrappers", "no-wrappers",
    "ignore-dependencies", "format-executable", "no-format-executable", "lock", "no-lock", "suggestions",
    "no-suggestions", "minimal-deps", "conservative", "development", "development-all", "prerelease",
    "no-prerelease", "post-install-message", "no-post-install-message", "document", "no-document", "vendor",
    "default", "explain", "ri", "no-ri", "rdoc", "no-rdoc", "norc", "backtrace", "debug", "verbose",
    "no-verbose", "quiet", "silent", "http-proxy", "no-http-proxy",
))  # fmt: skip


def _unknown_flags_take_values(cmd: SimpleCommand) -> set[str]:
    """The flags of ``cmd`` that are neither known switches nor known value flags."""
    return {f for f in cmd.flags() if f not in _GEM_SWITCHES and f not in _GEM_VALUE_FLAGS}


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands("gem"):
        pos = cmd.positional((*_GEM_VALUE_FLAGS, "v", "version", *_unknown_flags_take_values(cmd)))
        if not pos or pos[0].value not in ("install", "i"):
            continue
        if cmd.has_flag("v", "version") or cmd.arg_startswith("--version="):
            continue
        # What follows `--` goes to the gem's build (`-- --use-system-libraries=true`).
        end = next((w.span.start for w in cmd.args if w.value == "--"), None)
        gems = [w for w in pos[1:] if end is None or w.span.start < end]
        loose = [w.value for w in gems if ":" not in w.value and not has_variable(w.value)]
        yield from unpinned(
            RULE, cmd.head_span(pos[0]), loose,
            "Pin versions in gem install. Instead of `gem install <gem>` use `gem install "
            "<gem>:<version>`",
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
