"""Which COPY/ADD read the build context, and whether a .dockerignore for it is missing: the
MissingDockerignore rule reports what the addDockerignore refactoring would fix, so both ask here.

The refusal texts are the reasons addDockerignore gives (and MissingDockerignore stays silent for).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .dockerignore import clean, dockerignore_names
from .model import Dockerfile
from .parser import Instruction

NO_CONTEXT = "the Dockerfile is not a file on disk, so its build context is unknown"
HAS_IGNORE = "{name} already exists beside the Dockerfile"
NO_WHOLE_COPY = "no COPY or ADD copies the whole build context"
# A source named through a variable may be anything: no entry could be proved safe.
VARIABLE_SOURCE = "a COPY/ADD source uses a variable ({source}): the entries could exclude what it names"
# Said by the language server, not by plan(): the client cannot apply a CreateFile operation.
WHOLE_CONTEXT = frozenset((".", "*"))


def context_sources(doc: Dockerfile) -> Iterator[tuple[Instruction, str]]:
    """Each source (as written) of the COPY/ADD instructions that read the build context (no
    ``--from``); URLs and git sources are left out, they do not come from the context."""
    for stage in doc.stages:
        for ins in stage.instructions:
            if ins.cmd in ("copy", "add") and ins.flag("from") is None:
                for tok in ins.args[:-1]:
                    if "://" not in tok.value and not tok.value.startswith("git@"):
                        yield ins, tok.value


def context_path(src: str) -> str:
    """A source as a context-relative path, the way the .dockerignore matcher sees it."""
    return clean(src).lstrip("/") or "."


def whole_context_copy(doc: Dockerfile) -> Instruction | None:
    """The first COPY/ADD whose source is the whole context (``.``, ``./``, ``/``, ``*``)."""
    for ins, src in context_sources(doc):
        if context_path(src) in WHOLE_CONTEXT:
            return ins
    return None


def ignore_name(file_name: str | None) -> str:
    """The ignore file to create: ``api.Dockerfile.dockerignore`` beside ``api.Dockerfile``."""
    return ".dockerignore" if not file_name or file_name == "Dockerfile" else f"{file_name}.dockerignore"


def existing_ignore_file(context_dir: str, file_name: str | None) -> str | None:
    """The ignore file BuildKit would read for this Dockerfile, if one exists."""
    names = dockerignore_names(Path(file_name) if file_name else None)
    return next((n for n in names if os.path.exists(os.path.join(context_dir, n))), None)


def dockerignore_blocker(doc: Dockerfile) -> str | None:
    """Why no .dockerignore can be created for ``doc`` (None: one can, and would be new)."""
    root = doc.context_dir
    if not root or not os.path.isdir(root):
        return NO_CONTEXT
    found = existing_ignore_file(root, doc.file_name)
    if found is not None:
        return HAS_IGNORE.format(name=found)
    if whole_context_copy(doc) is None:
        return NO_WHOLE_COPY
    variable = next((src for _ins, src in context_sources(doc) if "$" in src), None)
    if variable is not None:
        return VARIABLE_SOURCE.format(source=variable)
    return None
