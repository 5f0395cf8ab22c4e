"""Test helpers for the BuildKit checks' tests (not a rule: the underscore keeps it out of the
registry): the rule alone (``findings``/``flagged``/``fixed``) or the whole diagnosis, with
``# check=`` semantics, settings and the .dockerignore (``diagnosed``)."""

from __future__ import annotations

from ...engine.findings import Finding
from ...engine.model import Dockerfile
from ...engine.settings import Settings
from ..analysis import diagnose
from ..hadolint._testing import findings, fixed, flagged

__all__ = ["diagnosed", "findings", "fixed", "flagged", "messages"]


def diagnosed(code: str, text: str, dockerignore: str | None = None, settings: Settings | None = None) -> list[Finding]:
    return [f for f in diagnose(Dockerfile(text), settings or Settings(), dockerignore) if f.code == code]


def messages(code: str, text: str, **options: object) -> list[str]:
    return [f.message for f in findings(code, text, **options)]
