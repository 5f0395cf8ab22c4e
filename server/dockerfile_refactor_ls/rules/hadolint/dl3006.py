"""## What it does
Flags a `FROM` image without a tag or digest (`FROM ubuntu`). hadolint rule `DL3006`.

`scratch` and earlier stage names are not reported.

Differs from hadolint: an image given by a variable (`FROM $IMAGE`, `FROM busy$SFX`) is not
reported, since BuildKit expands it and the value may carry the tag or be `scratch` (hadolint
reports one without a tag whatever the variable holds).

## Why is this bad?
An untagged image means `:latest`, which moves: the same Dockerfile builds on a different base
from one day to the next, and a new major version can break the build or the application.

## Example
```dockerfile
FROM debian
```

## Fix
"Pin the base image to its current stable tag" (`refactor.rewrite.pinBaseImage`) is offered as
a quick fix where the base-image table knows the image's current stable tag. By hand:
```dockerfile
FROM debian:12.7-slim
```
Pinning a digest (`debian:12.7-slim@sha256:...`) makes the build fully reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.base_image_pin import offers_for
from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.doc.stages:
        img = stage.image
        if img is None or img.is_scratch or img.has_variables or stage.base_stage is not None:
            continue
        if img.tag is None and img.digest is None:
            yield RULE.finding(img.span, "Always tag the version of an image explicitly",
                               refactorable=offers_for(stage))


RULE = Rule(
    code="DL3006",
    name="tag-image-version",
    summary="Always tag the version of an image explicitly",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
