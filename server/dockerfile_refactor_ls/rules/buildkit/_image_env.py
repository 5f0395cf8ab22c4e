"""The environment official base images set with ``ENV``, for UndefinedVar to know an image's
environment without pulling it (not a rule: the underscore keeps it out of the registry).

The names come from the one image table, ``engine/data/images.toml`` (each entry cites the image's
published Dockerfile). BuildKit adds ``PATH`` to every Linux image that lacks it. The table only has
to be a subset of the truth: UndefinedVar still never reports a name from its list of variables
common in base images (``COMMON_IMAGE_ENV``) unless the stage starts from ``scratch``.
"""

from __future__ import annotations

from ...engine.image_facts import facts_for, facts_for_stage
from ...engine.model import Dockerfile, ImageRef, Stage


def image_env(image: ImageRef) -> frozenset[str] | None:
    """The ENV names of ``image`` (PATH included), or None when the image is not in the table."""
    if image.has_variables:
        return None
    if image.is_scratch:
        return frozenset({"PATH"})
    facts = facts_for(image.text)
    if facts is None:
        return None
    return facts.env | {"PATH"}


def stage_image_env(doc: Dockerfile, stage: Stage) -> frozenset[str] | None:
    """The ENV names of the image ``stage`` starts from, through stage chains and global ARG defaults."""
    root = stage.root_image()
    if root is not None and root.is_scratch:
        return frozenset({"PATH"})
    facts = facts_for_stage(doc, stage)
    if facts is None:
        return None
    return facts.env | {"PATH"}


def image_os(image: ImageRef) -> str | None:
    """The one OS an image is published for, when we know it: "windows" for Windows base images and
    the Windows variants of official images, else the table's OS for the images it knows. None
    otherwise (and for ``scratch``, which has no platform of its own)."""
    if image.has_variables or image.is_scratch:
        return None
    tag = (image.tag or "").lower()
    repo = image.repository.lower()
    if "windowsservercore" in tag or "nanoserver" in tag:
        return "windows"
    if image.registry == "mcr.microsoft.com" and repo.startswith("windows/"):
        return "windows"
    facts = facts_for(image.text)
    if facts is None:
        return None
    # The table's ``os`` is the distribution (debian, alpine, distroless...): Linux unless Windows.
    return "windows" if facts.os == "windows" else "linux"
