"""docs/refactorings.md's before/after is what the two refactorings really produce."""

from __future__ import annotations

import re
from pathlib import Path

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.refactors.registry import plan, refactoring_named

DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings.md"


def _apply(text: str, name: str) -> str:
    ref = refactoring_named(name)
    assert ref is not None
    result = plan(ref, Dockerfile(text), None)
    assert result is not None, f"{name} not offered"
    return apply_edits(text, result.edits)


def test_index_example_is_real_output() -> None:
    before, after = re.findall(r"```dockerfile\n(.*?)```", DOC.read_text(), re.S)
    got = _apply(_apply(before, "splitStages"), "cacheDependencies")
    assert got.rstrip("\n") == after.rstrip("\n")
    # The split keeps the user the program ran as; nonRootUser is then offered with the image's own user.
    ref = refactoring_named("nonRootUser")
    assert ref is not None
    result = plan(ref, Dockerfile(got), None)
    assert result is not None and "USER nonroot" in apply_edits(got, result.edits)
