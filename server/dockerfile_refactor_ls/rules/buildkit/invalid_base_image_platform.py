"""## What it does
Flags a `FROM --platform=<os>/<arch>` whose base image is not published for that operating system
(`FROM --platform=windows/amd64 alpine:3.20`, `FROM --platform=linux/amd64
mcr.microsoft.com/windows/nanoserver:ltsc2022`). Matches BuildKit's check
`InvalidBaseImagePlatform` where it can be decided without the image.

BuildKit compares the platform of the image it **pulled** with the platform the stage is built
for (the `--platform` flag, else the build's target platform), so it needs the registry. Offline,
this rule decides only what the rule's image table knows: the operating system of Windows base
images and of the Windows variants of official images (`*-windowsservercore-*`, `*-nanoserver-*`
tags), and of the official Linux images (`alpine`, `debian`, `golang`, `node`, ...) and
distroless. It does not know which architectures an image is published for, nor the platform of
a build started without `--platform`; `docker build --check` reports those cases.
Its message says "is published for" where BuildKit's says "was pulled with".

## Why is this bad?
The build fails ("no match for platform in manifest"), or, for a multi-platform image that
happens to have the other OS, runs a base image that cannot execute the stage's commands.

## Example
```dockerfile
FROM --platform=windows/amd64 node:20-alpine
```

## Fix
Use an image published for the platform, or the platform the image is published for:
```dockerfile
FROM --platform=windows/amd64 node:20-windowsservercore-ltsc2022
```
There is no quick fix: which of the two is meant is the author's choice.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.images import remove_quotes
from ...engine.platforms import parse_platform
from ..base import Rule, RuleContext
from ._common import go_quote
from ._image_env import image_os


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in doc.stages:
        flag, image = stage.platform, stage.image
        if flag is None or not flag.value or "$" in flag.value or image is None or stage.base_stage is not None:
            continue
        value = remove_quotes(flag.value, doc.escape)
        platform = parse_platform(value)
        published = image_os(image)
        if platform is None or published is None or platform[0] == published:
            continue
        yield RULE.finding(
            image.span,
            f"Base image {image.text} is published for platform {go_quote(published)}, expected "
            f"{go_quote(value)} for current build",
        )


RULE = Rule(
    code="InvalidBaseImagePlatform",
    name="invalid-base-image-platform",
    summary="FROM --platform names an OS the base image is not published for",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
