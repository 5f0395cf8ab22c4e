"""## What it does
Flags `COPY --from=<name>` (and `ADD --from`, `RUN --mount=from=` is not checked) where `<name>` is
not an earlier stage and BuildKit would not accept it as an image either:

- a numeric index with no such earlier stage (`--from=3` in a file with two stages before it);
- the name of the current or a **later** stage (only earlier stages can be copied from);
- a name that is not a valid image reference (upper case, spaces, stray symbols);
- a name one or two typos away from an existing stage (`buidler` for `builder`): BuildKit would
  try to pull `docker.io/library/buidler`; reported as a warning with a quick fix.

A name that is a valid image reference and resembles no stage (`--from=nginx:1.27`) is an image
and is not reported.

## Why is this bad?
The build fails late ("pull access denied", "invalid reference format") or, worse, copies files out
of an unrelated public image.

## Example
```dockerfile
FROM golang:1.22 AS builder
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12
COPY --from=buidler /app /app
```

## Fix
```dockerfile
COPY --from=builder /app /app
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import is_image_reference
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    earlier: list[str] = []  # names of the stages before the current one, grown as we go
    for stage in doc.stages:
        if stage.index and doc.stages[stage.index - 1].name:
            earlier.append(doc.stages[stage.index - 1].name or "")
        for cf in stage.copies_from:
            value = cf.flag.value or ""
            span = cf.flag.value_span or cf.flag.span
            if cf.stage is not None or "$" in value:
                continue
            if value.isdigit():
                yield RULE.finding(
                    span,
                    f"--from={value}: there is no stage {value} before this one "
                    f"(stages 0 to {stage.index - 1} can be used)" if stage.index else
                    f"--from={value}: there is no earlier stage to copy from",
                )
                continue
            later = doc.stage_named(value)
            if later is not None and later.index >= stage.index:
                where = "this stage" if later is stage else f"stage {later.index}, after this one"
                yield RULE.finding(
                    span,
                    f"--from={value} names {where}; COPY --from can only use stages defined earlier",
                )
                continue
            close = difflib.get_close_matches(value.lower(), [e.lower() for e in earlier], n=1, cutoff=0.75)
            if not is_image_reference(value):
                message = f"--from={value} names no earlier stage and is not a valid image reference"
                if close:
                    message += f"; did you mean {close[0]!r}?"
                # Unsafe: it changes what the COPY reads (a stage instead of an image of that name).
                fixes = [Fix(f"Change to {close[0]!r}", [Edit(span, close[0])], safe=False, preferred=True)] if close else []
                yield RULE.finding(span, message, fixes=fixes)
            elif close:
                yield RULE.finding(
                    span,
                    f"--from={value} names no stage; did you mean {close[0]!r}? "
                    f"Otherwise BuildKit pulls the image {value!r}",
                    severity=Severity.WARNING,
                    fixes=[Fix(f"Change to {close[0]!r}", [Edit(span, close[0])], safe=False, preferred=True)],
                )


RULE = Rule(
    code="UnknownCopyFromStage",
    name="unknown-copy-from-stage",
    summary="COPY --from names no earlier stage and no plausible image",
    severity=Severity.ERROR,
    origin="dockerfile-refactor-ls",
    check=check,
)
