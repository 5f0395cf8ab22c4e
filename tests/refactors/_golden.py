"""What the tests of one refactoring share: its golden cases, and running it on a text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.refactors.base import NotApplicable, Refactoring, RefactorResult
from dockerfile_refactor_ls.refactors.registry import plan_or_reason

GOLDEN_ROOT = Path(__file__).parent / "golden"


def read(path: Path) -> str:
    """A file's exact text (bytes decoded, so CRLF goldens keep their line endings)."""
    return path.read_bytes().decode("utf-8")


@dataclass(frozen=True)
class Goldens:
    """``tests/refactors/golden/<folder>/*.in.Dockerfile`` with their ``.out`` twins, for ``refactoring``."""

    folder_name: str
    refactoring: Refactoring
    folder: Path = field(init=False)
    cases: list[str] = field(init=False)

    def __post_init__(self) -> None:
        folder = GOLDEN_ROOT / self.folder_name
        object.__setattr__(self, "folder", folder)
        object.__setattr__(
            self, "cases", sorted(p.name.removesuffix(".in.Dockerfile") for p in folder.glob("*.in.Dockerfile"))
        )

    def outcome(self, text: str, span: Span | None = None) -> RefactorResult | NotApplicable:
        return plan_or_reason(self.refactoring, Dockerfile(text), span)

    def run(self, text: str, span: Span | None = None) -> str:
        """The text after the refactoring (which must apply)."""
        result = self.outcome(text, span)
        assert isinstance(result, RefactorResult), getattr(result, "reason", "")
        return apply_edits(text, result.edits)


def assert_line_endings_kept(before: str, after: str) -> None:
    """A refactoring writes the line endings the file has: all CRLF in a CRLF file, no CR otherwise."""
    if "\r\n" in before:
        assert after.count("\n") == after.count("\r\n"), "a bare LF in a CRLF file"
    else:
        assert "\r" not in after, "a CR in an LF file"
