"""## What it does
Flags `FROM` images tagged `:latest`. hadolint rule `DL3007`.

An image pinned by digest as well (`image:latest@sha256:...`) is not reported.

## Why is this bad?
`latest` is not a version: it is whatever was pushed last. Builds stop being reproducible and a
new release of the base image can break them without any change to the Dockerfile.

## Example
```dockerfile
FROM node:latest
```

## Fix
"Pin the base image to its current stable tag" (`refactor.rewrite.pinBaseImage`) is offered as
a quick fix where the base-image table knows the image's current stable tag. By hand:
```dockerfile
FROM node:22.11-bookworm-slim
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.base_image_pin import offers_for
from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.doc.stages:
        img = stage.image
        if img is None or img.has_variables or img.digest is not None:
            continue
        if img.tag == "latest" and img.tag_span is not None:
            yield RULE.finding(
                img.tag_span,
                "Using latest is prone to errors if the image will ever update. Pin the version "
                "explicitly to a release tag",
                refactorable=offers_for(stage),
            )


RULE = Rule(
    code="DL3007",
    name="no-latest-tag",
    summary="Do not use the latest tag",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
