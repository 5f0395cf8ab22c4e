"""The base image a stage names literally, for refactorings that rewrite a FROM's tag.

pinBaseImage and versionArg both need a FROM that names an image by itself: not an earlier stage,
not a variable, not scratch, not a digest. Each words the refusal for its own purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import TypeVar

from .images import ImageName, parse_image
from .model import Dockerfile, ImageRef, Stage
from .not_applicable import NotApplicable
from .text import Span

T = TypeVar("T")


class NotLiteral(Enum):
    STAGE = "an earlier stage"
    VARIABLE = "a variable"
    SCRATCH = "scratch"
    DIGEST = "a digest"


def literal_image(stage: Stage) -> ImageName | NotLiteral:
    """The image the stage's FROM names, or what it names instead."""
    ref = stage.image
    if ref is None or stage.base_stage is not None:
        return NotLiteral.STAGE
    if ref.has_variables:
        return NotLiteral.VARIABLE
    if ref.is_scratch:
        return NotLiteral.SCRATCH
    image = parse_image(ref.text)
    if image.digest is not None:
        return NotLiteral.DIGEST
    return image


def refusal(stage: Stage, what: NotLiteral, templates: Mapping[NotLiteral, str]) -> str:
    """Why ``stage``'s FROM cannot be rewritten, in the caller's words: ``templates[what]``
    formatted with ``stage`` (the stage's label) and ``image`` (``scratch``, or the reference as
    written for a digest)."""
    image = "scratch" if what is NotLiteral.SCRATCH else (stage.image.text if stage.image else "")
    return templates[what].format(stage=stage.label, image=image)


def literal_or_refusal(stage: Stage, templates: Mapping[NotLiteral, str]) -> tuple[ImageName, ImageRef] | str:
    """The image the stage's FROM names and its reference as written, or the caller's refusal
    (``refusal``) when it names something else."""
    image = literal_image(stage)
    if isinstance(image, NotLiteral):
        return refusal(stage, image, templates)
    assert stage.image is not None  # literal_image read it
    return image, stage.image


def partition(stages: Iterable[Stage], rewrite: Callable[[Stage], T | str]) -> tuple[list[T], list[str]]:
    """``rewrite`` of each stage, split into what it gives and the refusals (str) it returns
    instead, both in stage order."""
    done: list[T] = []
    why: list[str] = []
    for stage in stages:
        r = rewrite(stage)
        if isinstance(r, str):
            why.append(r)
        else:
            done.append(r)
    return done, why


def rewrite_at_cursor(doc: Dockerfile, span: Span | None, rewrite: Callable[[Stage], T | str]) -> T | None:
    """``rewrite`` of the stage whose FROM the cursor (``span``) is on, or None when it is on no
    FROM; a refusal there raises NotApplicable (the user asked for that FROM, not for another)."""
    if span is None:
        return None
    stage = doc.stage_at(span.start)
    if stage is None or span.start > stage.from_instruction.span.end:
        return None
    r = rewrite(stage)
    if isinstance(r, str):
        raise NotApplicable(r)
    return r
