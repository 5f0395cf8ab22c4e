"""Pin golang to 1.27-trixie: replace ``latest`` or a missing tag by the current stable tag of the variant.

``FROM golang`` and ``FROM golang:latest`` become ``FROM golang:1.27-trixie``; a version-less variant
tag keeps its variant: ``node:alpine`` -> ``node:24-alpine``, ``python:slim`` -> ``python:3.14-slim``.
The tags come from the base-image table (``[stable]`` in engine/data/images.toml, with the date they
were checked and the official image's source for each); an image or variant not listed there is not
guessed. With the cursor on a FROM only that FROM is pinned; from the quick fix of DL3006/DL3007 or
the CLI every FROM the table knows is.

Not offered where the tag is a variable, where a digest pins the image already, where the tag is a
version already, or where the table has no stable tag for the image or its variant. See
docs/refactorings/pin-base-image.md.
"""

from __future__ import annotations

from ..engine.base_image_pin import (
    DIGEST,
    PINNED,
    UNKNOWN,
    VARIABLE,
    Pin,
    pin_or_reason,
)
from ..engine.literal_image import SPLIT, STAGE_BASE, NotLiteral, literal_image, partition, rewrite_at_cursor
from ..engine.model import Dockerfile
from ..engine.text import Span
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.rewrite.pinBaseImage"

# Why the action is not offered; docs/refactorings/pin-base-image.md lists them (a test checks).
NO_FROM = "no FROM names an image"
NONE_PINNABLE = "no FROM uses latest or an untagged image the base-image table knows"
REASONS = (NO_FROM, VARIABLE, DIGEST, PINNED, UNKNOWN, STAGE_BASE, SPLIT, NONE_PINNABLE)


def pinnable(doc: Dockerfile) -> tuple[list[Pin], list[str]]:
    # FROM <stage> needs no pin (its image is pinned where that stage starts): no reason either.
    return partition((s for s in doc.stages if literal_image(s) is not NotLiteral.STAGE), pin_or_reason)


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    if not doc.stages:
        raise NotApplicable(NO_FROM)
    p = rewrite_at_cursor(doc, span, pin_or_reason)
    if p is not None:  # the cursor is on this FROM: only it is pinned
        return RefactorResult(f"Pin {p.name} to {p.tag}", [p.edit])
    pins, why = pinnable(doc)
    if not pins:
        # The reason of the first FROM that uses latest or no tag beats "is pinned already".
        unpinned = [w for w in why if not w.endswith("pinned to a version already")]
        raise NotApplicable(unpinned[0] if unpinned else NONE_PINNABLE)
    title = "Pin " + ", ".join(dict.fromkeys(f"{p.name} to {p.tag}" for p in pins))
    return RefactorResult(title, [p.edit for p in pins])


REFACTORING = Refactoring(
    kind=KIND,
    resolves=("DL3006", "DL3007"),
    title="Pin the base image to its current stable tag",
    plan=plan,
)
