"""## What it does
Reports bytes that are not UTF-8 (each run of them, where it is) and files that are binary (they
hold a NUL byte), when the command line reads a file from disk or standard input. Editors decode
the file before the language server sees it, so there this rule stays silent.

## Why is this bad?
BuildKit reads a Dockerfile as UTF-8. A Latin-1 `é` in a `LABEL` or a stray byte pasted into a
`RUN` line ends up as garbage in the image, or in a shell command that does not do what it says.
A binary file given to `check` (a compiled `Dockerfile.bin`, a file matched by a broad glob) is not
a Dockerfile at all: it gets this one finding instead of hundreds of meaningless ones.

## Example
```dockerfile
FROM alpine:3.20
# Saved as Latin-1: the é below is the single byte 0xE9.
LABEL org.opencontainers.image.authors="Renée"
```

## Fix
Save the file as UTF-8 (`iconv -f latin1 -t utf-8 Dockerfile`), or check only Dockerfiles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext

# Undecodable bytes are read with errors="surrogateescape": byte 0xNN becomes U+DCNN.
_BAD = re.compile("[\udc80-\udcff]+")
# Past this many runs of bad bytes one last finding says how many more there are.
MAX_REPORTED = 10


def check(ctx: RuleContext) -> Iterator[Finding]:
    text = ctx.doc.text
    nul = text.find("\x00")
    if nul >= 0:
        yield RULE.finding(
            Span(nul, nul + 1),
            f"Binary file (a NUL byte at offset {nul:,}): this is not a Dockerfile; its other findings are not reported",
        )
        return
    if text.isascii():
        return
    runs = list(_BAD.finditer(text))
    for m in runs[:MAX_REPORTED]:
        raw = m.group().encode("utf-8", "surrogateescape")
        shown = " ".join(f"0x{b:02X}" for b in raw[:8]) + (" …" if len(raw) > 8 else "")
        yield RULE.finding(
            Span(m.start(), m.end()),
            f"Not UTF-8: {shown}; BuildKit reads a Dockerfile as UTF-8 (re-save the file as UTF-8)",
        )
    if len(runs) > MAX_REPORTED:
        last = runs[MAX_REPORTED]
        yield RULE.finding(
            Span(last.start(), last.end()),
            f"Not UTF-8: {len(runs) - MAX_REPORTED:,} more runs of bytes that are not UTF-8 from here on",
        )


def is_binary(text: str) -> bool:
    """True for text that holds a NUL: only this rule is run on it."""
    return "\x00" in text


RULE = Rule(
    code="invalid-encoding",
    name="invalid-encoding",
    summary="Bytes that are not UTF-8, or a binary file",
    severity=Severity.ERROR,
    origin="dockerfile-refactor-ls",
    check=check,
)
