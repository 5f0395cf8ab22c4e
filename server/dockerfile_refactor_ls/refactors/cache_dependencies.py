"""Move COPY <manifests> before source: install dependencies before the whole source is copied.

``COPY . .`` followed by ``RUN npm ci`` re-installs every dependency whenever any file of the
project changes. This refactoring turns the whole-source COPY into a COPY of the dependency
manifests (``package*.json``, ``requirements*.txt``, ``go.mod go.sum*``, ...), keeps the install
where it was, and copies the source right after the install, so the install layer stays cached until
a manifest changes. A RUN that installs and then builds is split in two around the source COPY.
For toolchains that download while building (Go, Cargo, Maven, Gradle) a download step
(``go mod download``, ``cargo fetch``, ``mvn dependency:go-offline``, ``gradle dependencies``) is
added before the source COPY instead.

It is offered only when the move cannot change what the build does: nothing between the source COPY
and the install reads the source (only package-manager and similar commands may sit there), the
install runs in the copied directory (or a sub-directory of it), and the same ecosystem was not
installed before the source COPY already. See docs/refactorings/cache-dependencies.md.
"""

from __future__ import annotations

from ..engine.dependency_installs import (
    ALREADY_CACHED,
    BLOCKED,
    BROKEN,
    CACHED_ALREADY,
    CURSOR,
    MANIFESTS_ELSEWHERE,
    NO_INSTALL,
    NO_SOURCE_COPY,
    OUTSIDE,
    REASONS,
    SUBDIR_BUILD,
    WINDOWS,
    Issue,
    blocker,
    explain,
    find_issues,
    move_manifests,
)
from ..engine.model import Dockerfile
from ..engine.text import Span
from .base import Refactoring, RefactorResult

KIND = "refactor.rewrite.cacheDependencies"

# The analysis is shared with the InstallAfterSourceCopy rule (engine.dependency_installs); these
# are re-exported for the callers and tests that name them here.
__all__ = [
    "ALREADY_CACHED", "BLOCKED", "BROKEN", "CACHED_ALREADY", "CURSOR", "KIND", "MANIFESTS_ELSEWHERE", "NO_INSTALL",
    "NO_SOURCE_COPY", "OUTSIDE", "REASONS", "REFACTORING", "SUBDIR_BUILD", "WINDOWS", "Issue", "blocker", "explain",
    "find_issues", "plan",
]


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    title, edits = move_manifests(doc, span)
    return RefactorResult(title, edits)


REFACTORING = Refactoring(
    kind=KIND,
    title="Move COPY <manifests> before source",
    plan=plan,
    resolves=("InstallAfterSourceCopy",),
)
