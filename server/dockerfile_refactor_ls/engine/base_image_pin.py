"""Whether a stage's FROM can be pinned to the current stable tag the base-image table knows, and
the edit that does it: DL3006/DL3007 say whether their quick fix (pinBaseImage) applies, and the
refactoring makes it, from the same answer.

The refusal texts are the reasons pinBaseImage gives (``fix --action pinBaseImage`` and the
editor's Refactor menu show them).
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Edit
from .image_facts import stable_tag
from .images import ImageName, parse_tag
from .literal_image import SPLIT, literal_rewrite
from .model import ImageRef, Stage
from .text import Span

VARIABLE = "the image of {stage} is given by a variable"
DIGEST = "{image} is pinned by a digest already"
PINNED = "{image} is pinned to a version already"
UNKNOWN = "no stable tag of {image} is known (the base-image table lists none for it)"


@dataclass(frozen=True, slots=True)
class Pin:
    stage: Stage
    name: str  # the image name as written ("golang", "docker.io/library/node")
    tag: str  # the stable tag
    edit: Edit


@literal_rewrite(variable=VARIABLE, scratch=UNKNOWN, digest=DIGEST)
def pin_or_reason(stage: Stage, image: ImageName, ref: ImageRef) -> Pin | str:
    """How to pin the stage's FROM, or why it cannot be."""
    if image.tag is not None and parse_tag(image.tag).version is not None:
        return PINNED.format(image=ref.text)
    tag = stable_tag(image)
    if tag is None:
        return UNKNOWN.format(image=ref.text)
    if image.tag is None:
        if len(ref.name_span) != len(ref.name):
            return SPLIT.format(stage=stage.label)
        edit = Edit(Span(ref.name_span.end, ref.name_span.end), ":" + tag)
    else:
        if ref.tag_span is None or len(ref.tag_span) != len(image.tag):
            return SPLIT.format(stage=stage.label)
        edit = Edit(ref.tag_span, tag)
    return Pin(stage, ref.name, tag, edit)


def offers_for(stage: Stage) -> bool:
    """Whether the stage's FROM can be pinned (the DL3006/DL3007 quick fix is attached then)."""
    return isinstance(pin_or_reason(stage), Pin)
