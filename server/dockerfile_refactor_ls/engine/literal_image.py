"""The base image a stage names literally, for refactorings that rewrite a FROM's tag.

pinBaseImage and versionArg both need a FROM that names an image by itself: not an earlier stage,
not a variable, not scratch, not a digest. :func:`literal_rewrite` gives their rewrites that image
or the refusal; an earlier stage and a reference split over lines are refused in the same words
(``STAGE_BASE``, ``SPLIT``), the others each in the words of its refactoring.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
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


# The refusals both rewrites word alike (each words the others for its own purpose).
STAGE_BASE = "{stage} starts from an earlier stage, not from an image"
SPLIT = "the image reference of {stage} is split over lines"


def literal_rewrite(
    *, variable: str, scratch: str, digest: str
) -> Callable[[Callable[[Stage, ImageName, ImageRef], T | str]], Callable[[Stage], T | str]]:
    """Decorator for a rewrite of a stage's FROM: the decorated ``rewrite(stage, image, ref)`` gets
    the image the FROM names literally and its reference as written; a FROM that names something
    else gets the refusal for it instead (``STAGE_BASE`` for an earlier stage, else the caller's
    template, formatted with ``stage``, the stage's label, and ``image``, ``scratch`` or the
    reference as written for a digest)."""
    templates = {NotLiteral.STAGE: STAGE_BASE, NotLiteral.VARIABLE: variable, NotLiteral.SCRATCH: scratch,
                 NotLiteral.DIGEST: digest}

    def decorate(rewrite: Callable[[Stage, ImageName, ImageRef], T | str]) -> Callable[[Stage], T | str]:
        @functools.wraps(rewrite)
        def on_stage(st: Stage) -> T | str:
            image = literal_image(st)
            if isinstance(image, NotLiteral):
                named = "scratch" if image is NotLiteral.SCRATCH else (st.image.text if st.image else "")
                return templates[image].format(stage=st.label, image=named)
            assert st.image is not None  # literal_image read it
            return rewrite(st, image, st.image)

        return on_stage

    return decorate


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
