"""## What it does
Flags `FROM --platform=<constant>` (`--platform=linux/amd64`), unless the stage's name contains the
platform's OS or architecture (`AS build_amd64`, `AS linux`): BuildKit's own exception for stages
that exist to build for one platform. BuildKit check `FromPlatformFlagConstDisallowed`, with its
message word for word. A value with a variable (`$BUILDPLATFORM`) is never reported, nor one that
is not a valid platform (the build reports that).

## Why is this bad?
A constant platform pins the stage to one platform: building the image for several platforms
(`docker build --platform linux/amd64,linux/arm64`) silently builds this stage for the pinned one
only, or runs it under emulation.

## Example
```dockerfile
FROM --platform=linux/amd64 alpine:3.20 AS base
```

## Fix
Drop the flag (and pass `--platform` to `docker build`), use a variable
(`--platform=$BUILDPLATFORM` for a stage that runs build tools), or name the stage after its
platform:
```dockerfile
FROM --platform=linux/amd64 alpine:3.20 AS base-amd64
```
The quick fix removes the flag. It is not applied by "fix all": on a machine of another
architecture the stage then builds for that architecture instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.base_images import remove_quotes
from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.text import Span
from ..base import Rule, RuleContext
from ._common import go_quote

_OSES = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos".split()
)
# containerd's normalizeArch.
_ARCH_ALIASES = {
    "i386": "386",
    "x86_64": "amd64",
    "x86-64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armhf": "arm",
    "armel": "arm",
    "arm": "arm",
}
_ARCHES = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le "
    "ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split()
)


def parse_platform(value: str) -> tuple[str, str] | None:
    """(os, architecture) of a platform specifier as containerd's ``platforms.Parse`` reads it."""
    parts = value.lower().split("/")
    if not all(parts) or len(parts) > 3:
        return None
    if len(parts) == 1:
        p = parts[0]
        if p in _OSES:
            return p, "amd64"
        arch = _ARCH_ALIASES.get(p, p)
        return ("linux", arch) if arch in _ARCHES else None
    os_, arch = parts[0], _ARCH_ALIASES.get(parts[1], parts[1])
    if os_ not in _OSES or arch not in _ARCHES:
        return None
    return os_, arch


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in doc.stages:
        flag = stage.platform
        if flag is None or not flag.value or "$" in flag.value:
            continue
        value = remove_quotes(flag.value, doc.escape)
        platform = parse_platform(value)
        if platform is None:
            continue
        name = stage.key or ""
        if platform[0] in name or platform[1] in name:
            continue
        end = flag.span.end
        while end < len(doc.text) and doc.text[end] in " \t":
            end += 1
        yield RULE.finding(
            flag.value_span or flag.span,
            f"FROM --platform flag should not use constant value {go_quote(value)}",
            fixes=[Fix("Remove the --platform flag", [Edit(Span(flag.span.start, end), "")], safe=False)],
        )


RULE = Rule(
    code="FromPlatformFlagConstDisallowed",
    name="from-platform-flag-const-disallowed",
    summary="FROM --platform with a constant value",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
