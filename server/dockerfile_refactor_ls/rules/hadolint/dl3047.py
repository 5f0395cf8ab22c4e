"""## What it does
Flags `wget` without `--progress` (or `-q`, `-nv`, `-o <logfile>`, `-a <logfile>`). hadolint rule
`DL3047`.

## Why is this bad?
Without a terminal, GNU wget prints a line of dots for every few kilobytes; downloading a large
file fills the build log with thousands of lines.

## Example
```dockerfile
RUN wget https://example.com/big.tar.gz
```

## Fix
```dockerfile
RUN wget --progress=dot:giga https://example.com/big.tar.gz
```
The quick fix adds `--progress=dot:giga` or, in Alpine/BusyBox images (whose `wget` has no
`--progress`), `-q`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ...engine.images import root_image as _root_image
from ...engine.users import family as _family
from ..base import Rule, RuleContext
from ._common import insert_after


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage, _ins, script in ctx.runs():
        image = stage.root_image() if stage is not None else None
        busybox = image is not None and any(k in image.text.lower() for k in ("alpine", "busybox"))
        # The chain's first stage from the analysis's memo: walking it per RUN was quadratic on a
        # long ``FROM <previous stage>`` chain.
        root = _root_image(ctx.doc, stage, ctx.chains().root(stage)) if stage is not None else None
        gnu = root is not None and _family(root) == "debian"
        for cmd in script.named("wget"):
            if cmd.has_flag("progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"):
                continue
            if cmd.has_arg("-nv"):
                continue
            fixes = []
            if not busybox:
                # BusyBox's wget has no --progress and fails on it: applied unattended only where
                # the image is known to be one with GNU wget (Debian, Ubuntu).
                fixes.append(
                    Fix("Add --progress=dot:giga", [insert_after(cmd.word, " --progress=dot:giga")], preferred=True,
                        safe=gnu)
                )
            fixes.append(Fix("Add -q", [insert_after(cmd.word, " -q")], preferred=busybox))
            yield RULE.finding(
                cmd.word.span,
                "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. "
                "Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
                fixes=fixes,
            )


RULE = Rule(
    code="DL3047",
    name="wget-progress",
    summary="wget without --progress bloats build logs",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
    # Depends on the stage graph too, which only non-RUN instructions change (see the runner).
    per_run=True,
)
