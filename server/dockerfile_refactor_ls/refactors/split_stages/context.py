"""The build context reader, now shared by every refactoring that looks at the sources
(``refactors/_context.py``); kept under its old name for the modules that still import it here."""

from __future__ import annotations

from .._context import MAX_BYTES, MAX_FILES, RUNTIME_DIRS, SKIPPED_DIRS, BuildContext, context_for

__all__ = ["MAX_BYTES", "MAX_FILES", "RUNTIME_DIRS", "SKIPPED_DIRS", "BuildContext", "context_for"]
