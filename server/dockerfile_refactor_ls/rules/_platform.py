"""Which stages with a constant ``--platform`` the refactoring crossPlatformBuilder can fix: DL3029
and FromPlatformFlagConstDisallowed mark those findings refactorable (its quick fix).

Read from the model and the image table only (rules do not import refactorings): a stage that starts
from a Go image and runs ``go build``, or from a Rust image and runs ``cargo build``/``cargo
install``, itself or in a stage built FROM it, and is not the image that ships. Where the
refactoring still refuses (cgo, go install, an Alpine Rust image...), the code action layer, which
asks it, offers nothing.
"""

from __future__ import annotations

import re
import weakref

from ..engine.image_facts import facts_for_stage
from ..engine.images import stage_chain
from ..engine.model import Dockerfile, Stage

_BUILDS = {"go": re.compile(r"\bgo\s+build\b"), "rust": re.compile(r"\bcargo\s+(build|install)\b")}
_FACTS: weakref.WeakKeyDictionary[Dockerfile, tuple[frozenset[int], dict[int, list[Stage]]]] = (
    weakref.WeakKeyDictionary()
)


def _facts(doc: Dockerfile) -> tuple[frozenset[int], dict[int, list[Stage]]]:
    """The final stage and the stages it is built FROM (their platform is the image's), and the
    stages built FROM each stage; once per document, as both rules ask for every flagged stage."""
    found = _FACTS.get(doc)
    if found is None:
        shipped = frozenset(s.index for s in stage_chain(doc.final_stage, doc)) if doc.final_stage else frozenset()
        children: dict[int, list[Stage]] = {}
        for s in doc.stages:
            if s.base_stage is not None:
                children.setdefault(s.base_stage.index, []).append(s)
        found = _FACTS[doc] = (shipped, children)
    return found


def cross_builder(doc: Dockerfile, stage: Stage) -> bool:
    """A Go or Rust builder stage that crossPlatformBuilder may move to $BUILDPLATFORM."""
    shipped, children = _facts(doc)
    if stage.index in shipped:
        return False
    facts = facts_for_stage(doc, stage)
    build = _BUILDS.get(facts.toolchain or "") if facts is not None else None
    if build is None:
        return False
    builders = [stage, *children.get(stage.index, [])]
    return any(ins.cmd == "run" and build.search(ins.original) for s in builders for ins in s.instructions)
