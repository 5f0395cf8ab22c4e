"""## What it does
Flags a `FROM` whose image name, with every global `ARG` at its default value (no `--build-arg`),
is empty or not a valid image reference. BuildKit check `InvalidDefaultArgInFrom`, with its
message word for word (it quotes the `FROM` argument as written).

An `ARG` without a default expands to the empty string, as in BuildKit: `ARG TAG` with
`FROM busybox:${TAG}` gives `busybox:`, which is reported; `ARG VARIANT` with
`FROM busybox:stable${VARIANT}` gives `busybox:stable`, which is fine, and so is
`FROM alpine:${TAG:-3.20}`. The automatic platform arguments (`TARGETARCH`, ...) count as set.
BuildKit checks this over the whole file: a `# check=skip=` comment above the `FROM` does not
silence it.

## Why is this bad?
A plain `docker build .` fails ("invalid reference format"); the Dockerfile only builds when the
caller knows which `--build-arg` to pass.

## Example
```dockerfile
ARG TAG
FROM busybox:${TAG}
```

## Fix
Give the `ARG` a default (or use `${TAG:-default}`):
```dockerfile
ARG TAG=1.36
FROM busybox:${TAG}
```
There is no quick fix: only the author knows which default is right. Matches BuildKit's check and
message. Deliberate difference: a `FROM` without variables is left to the syntax checks (BuildKit
would word an invalid constant name as if an `ARG` default were at fault).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.images import remove_quotes
from ...engine.model import is_image_reference
from ..base import Rule, RuleContext

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{")
# What BuildKit's defaultArgs set for a build on linux/amd64 (any platform gives valid names).
_PLATFORM_DEFAULTS = {
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
}


class _Unsupported(Exception):
    pass


def expand(text: str, values: dict[str, str]) -> str:
    """Expand ``$V``/``${V}`` and the ``-``/``+`` forms, unset variables being empty, as BuildKit's
    lexer does; raises :class:`_Unsupported` for other modifiers (the rule then stays silent)."""

    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "${":
            raise _Unsupported
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        is_set = name in values
        value = values.get(name, "")
        if op in (":-", "-"):
            return value if is_set and (op == "-" or value) else word
        if op in (":+", "+"):
            return word if is_set and (op == "+" or value) else ""
        return value

    return _REF.sub(repl, text)


def default_values(ctx: RuleContext) -> dict[str, str] | None:
    values = dict(_PLATFORM_DEFAULTS)
    for decl in ctx.doc.global_args:
        if decl.value is None:
            continue
        try:
            values[decl.name] = remove_quotes(expand(decl.value, values), ctx.doc.escape)
        except _Unsupported:
            return None
    return values


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    values: dict[str, str] | None = None
    for stage in doc.stages:
        image = stage.image
        if image is None or "$" not in image.text:
            continue
        if values is None:
            values = default_values(ctx)
            if values is None:
                return
        try:
            name = remove_quotes(expand(image.text, values), doc.escape)
        except _Unsupported:
            continue
        if doc.stage_named(name, before=stage.index, by_index=False) is not None or is_image_reference(name):
            continue
        yield RULE.finding(
            image.span,
            f"Default value for ARG {image.text} results in empty or invalid base image name",
        )


RULE = Rule(
    code="InvalidDefaultArgInFrom",
    name="invalid-default-arg-in-from",
    summary="FROM with the global ARG defaults names no valid image",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
    file_scoped=True,
)
