"""Why a refactoring does not apply: defined below the refactorings so that an analysis a rule and a
refactoring share (engine.dependency_installs) can say it. refactors.base re-exports it."""

from __future__ import annotations


class NotApplicable(Exception):
    """Raised by a plan function that does not apply, with one line saying why (shown to the user)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
