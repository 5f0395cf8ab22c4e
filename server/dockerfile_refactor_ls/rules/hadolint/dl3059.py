r"""## What it does
Flags a `RUN` that directly follows another `RUN` with the same flags, when each of the two runs a
single command (`RUN apt-get update` then `RUN apt-get install ...`; `sh -c '...'` is one command,
a bare assignment such as `RUN GOPATH=~/go` none). A `RUN` that chains commands
(`a && b`, `a; b`, a pipeline, a command substitution) is left alone, and so is the one after it:
hadolint rule `DL3059` counts the same way.

Differs from hadolint: `RUN`s that go to PowerShell or cmd (a `SHELL` or a Windows base image)
are not reported: their commands cannot be counted, and merging them is not a matter of `&&`
(hadolint parses them as POSIX shell and reports them).

## Why is this bad?
Every `RUN` adds a layer. Small consecutive steps are usually one logical step; merging them makes
the image smaller (files deleted in the second step still exist in the first layer) and the build
faster. A `RUN` that already chains commands was grouped on purpose: splitting those is often
deliberate, for caching.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Fix
```dockerfile
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl
```
The quick fix merges the two `RUN`s with `&&` when both are simple one-line commands. It is not
applied by "fix all", since it changes the layers and the build cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.parser import Instruction
from ...engine.shell import SHELLS, ShellScript, run_script
from ...engine.text import Span
from ..base import Rule, RuleContext

_BETWEEN = re.compile(r"^[ \t]*\r?\n[ \t]*RUN[ \t]+$", re.IGNORECASE)
_SIMPLE = re.compile(r"^[^;&|#\n\\`$()<>]*$")


def _single_command(script: ShellScript | None) -> bool:
    """At most one command, nested ones (`$(...)`, subshells) included, as hadolint counts: the
    script of `sh -c '...'` is one quoted word to it, and a bare assignment (`RUN GOPATH=~/go`)
    runs none. A script that cannot be read (PowerShell, cmd) counts as many."""
    if script is None:
        return False
    quoted_scripts = [
        w.span for c in script.commands if c.name in SHELLS for w in c.args if w.raw[:1] in ("'", '"')
    ]
    own = [c for c in script.commands if not any(q.start <= c.span.start and c.span.end <= q.end for q in quoted_scripts)]
    return len(own) <= 1


def _merge(ctx: RuleContext, prev: Instruction, prev_script: ShellScript | None, ins: Instruction, script: ShellScript | None) -> list[Fix]:
    doc = ctx.doc
    if prev_script is None or script is None or prev_script.append_at is None or prev.flags or ins.flags:
        return []
    if prev.json or ins.json or prev.heredocs or ins.heredocs:
        return []
    between = doc.text[prev_script.append_at : ins.args_span.start]
    if not _BETWEEN.match(between) or not _SIMPLE.match(ins.args_text):
        return []
    if doc.text[ins.args_span.start : ins.args_span.end] != ins.args_text:
        return []
    indent = "    "
    new = f" {doc.escape}{doc.line_ending}{indent}&& "
    return [Fix("Merge into the previous RUN", [Edit(Span(prev_script.append_at, ins.args_span.start), new)], safe=False)]


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for _stage, instructions in ctx.units():
        prev: Instruction | None = None
        prev_script: ShellScript | None = None
        for ins in instructions:
            if ins.cmd != "run":
                prev = None
                continue
            script = run_script(doc, ins)
            if (
                prev is not None
                and [f.raw for f in prev.flags] == [f.raw for f in ins.flags]
                and _single_command(script)
                and _single_command(prev_script)
            ):
                yield RULE.finding(
                    ins.keyword_span,
                    "Multiple consecutive `RUN` instructions. Consider consolidation.",
                    fixes=_merge(ctx, prev, prev_script, ins, script),
                )
            prev, prev_script = ins, script


RULE = Rule(
    code="DL3059",
    name="consolidate-runs",
    summary="Multiple consecutive RUN instructions",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    per_stage=True,
)
