"""Working directories through a stage's WORKDIRs, shared by the refactorings that move or add instructions."""

from __future__ import annotations

import posixpath

from .images import root_image, stage_chain
from .model import Dockerfile, Stage
from .users import default_workdir

UNKNOWN_ROOT = "/<image>"  # the working directory an image starts in, when we cannot know it


def unquote(value: str) -> str:
    """A path as written without the one pair of quotes around it (``"/app"`` is ``/app``)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def resolve(cwd: str, path: str) -> str:
    if path.startswith(("/", "$")):
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(cwd, path))


def stage_start_cwd(doc: Dockerfile, stage: Stage) -> str:
    """The working directory the stage starts in (the image's default, then its parents' WORKDIRs)."""
    image = root_image(doc, stage)
    cwd = (default_workdir(image) if image is not None else None) or UNKNOWN_ROOT
    for s in reversed(stage_chain(stage, doc)):
        if s is not stage:
            for ins in s.instructions:
                if ins.cmd == "workdir" and ins.args_text:
                    cwd = resolve(cwd, unquote(ins.args_text))
    return cwd


def stage_cwds(doc: Dockerfile, stage: Stage) -> list[str]:
    """The working directory in force before each instruction of ``stage``."""
    cwd = stage_start_cwd(doc, stage)
    out: list[str] = []
    for ins in stage.instructions:
        out.append(cwd)
        if ins.cmd == "workdir" and ins.args_text:
            cwd = resolve(cwd, unquote(ins.args_text))
    return out
