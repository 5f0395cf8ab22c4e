"""The base image a stage names literally, for refactorings that rewrite a FROM's tag.

pinBaseImage and versionArg both need a FROM that names an image by itself: not an earlier stage,
not a variable, not scratch, not a digest. Each words the refusal for its own purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from .images import ImageName, parse_image
from .model import Stage


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
