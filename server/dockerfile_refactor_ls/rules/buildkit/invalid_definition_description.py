"""## What it does
Flags the comment directly above a named `FROM ... AS <stage>` or an `ARG` when it does not start
with the stage's or the argument's name. BuildKit check `InvalidDefinitionDescription`, which is
**experimental**: like BuildKit, it reports only when enabled with the
`# check=experimental=InvalidDefinitionDescription` (or `experimental=all`) directive, with a
`# check=experimental=...` comment above the instruction, or by giving it a severity in the
editor's settings; `# check=skip=all` does not turn it off once enabled.

The comment block is BuildKit's: the comment lines since the previous instruction, restarted by an
empty `#` line, its last line counting. For an `ARG` with several names, any of them may start the
comment. Names compare exactly (a stage's name is lower-cased first, as BuildKit does).

## Why is this bad?
`docker build --call=outline` and `--call=targets` show such comments as the descriptions of build
arguments and targets; a comment that does not start with the name is silently not a
description, and one that does not describe anything is shown as if it did.

## Example
```dockerfile
# compile the sources
FROM golang:1.22 AS build
# the release to build
ARG VERSION=1.0
```

## Fix
Start the comment with the name, or separate it from the instruction with an empty `#` line:
```dockerfile
# build compiles the sources
FROM golang:1.22 AS build
# the release to build
#
ARG VERSION=1.0
```
Both quick fixes are safe (they change comments only). Note that a blank line does not separate
the comment: BuildKit's parser keeps the comment block across blank lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.check_config import comment_blocks
from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    blocks = comment_blocks(doc)
    if not blocks:
        return
    comments = doc.parsed.comments
    for ins in doc.instructions:
        block = blocks.get(ins.span.start)
        if block is None:
            continue
        if ins.cmd == "from":
            stage = doc.stage_at(ins.span.start)
            if stage is None or stage.key is None:
                continue
            keys, what = [stage.key], "FROM"
        elif ins.cmd == "arg":
            keys, what = [kv.key.value for kv in ins.pairs], "ARG"
            if not keys:
                continue
        else:
            continue
        first_word = block[-1].split(" ")[0]
        if first_word in keys:
            continue
        example = keys[0] if len(keys) == 1 else "<arg_key>"
        comment = max((c for c in comments if c.end <= ins.span.start), key=lambda c: c.start, default=None)
        fixes: list[Fix] = []
        if comment is not None:
            line_start = doc.lines.line_start(doc.lines.line_of(ins.span.start))
            indent = doc.text[doc.lines.line_start(doc.lines.line_of(comment.start)) : comment.start]
            if len(keys) == 1:
                hash_end = comment.start + 1
                body_start = hash_end + (len(doc.text[hash_end : comment.end]) - len(doc.text[hash_end : comment.end].lstrip()))
                fixes.append(
                    Fix(
                        f"Start the comment with '{keys[0]}'",
                        [Edit(Span(hash_end, body_start), f" {keys[0]} ")],
                        preferred=True,
                    )
                )
            fixes.append(
                Fix(
                    "Separate the comment from the instruction with an empty '#' line",
                    [Edit(Span(line_start, line_start), f"{indent}#{doc.line_ending}")],
                )
            )
        yield RULE.finding(
            ins.keyword_span,
            f"Comment for {what} should follow the format: `# {example} <description>`",
            fixes=fixes,
        )


RULE = Rule(
    code="InvalidDefinitionDescription",
    name="invalid-definition-description",
    summary="Comment above a stage or ARG is not a description of it (experimental)",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    experimental=True,
)
