from __future__ import annotations

from pathlib import Path

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ..base import RuleContext
from .missing_dockerignore import RULE


def flagged(folder: Path | None, text: str, dockerignore: str | None = None) -> list[str]:
    doc = Dockerfile(text)
    if folder is not None:
        (folder / "Dockerfile").write_text(text)
        doc.context_dir = str(folder)
        doc.file_name = "Dockerfile"
    out = []
    for f in RULE.check(RuleContext(doc, dockerignore=dockerignore)):
        assert f.severity is Severity.INFORMATION and f.refactorable
        out.append(text[f.span.start : f.span.end])
    return out


TEXT = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n"


def test_whole_context_copy_without_ignore_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert flagged(tmp_path, TEXT) == ["COPY . ."]
    assert flagged(tmp_path, TEXT.replace("COPY . .", "ADD . /app")) == ["ADD . /app"]


def test_not_reported_with_an_ignore_file_or_without_a_context(tmp_path: Path) -> None:
    assert flagged(tmp_path, TEXT, dockerignore=".git\n") == []
    assert flagged(None, TEXT) == []
    (tmp_path / "Dockerfile.dockerignore").write_text(".git\n")
    assert flagged(tmp_path, TEXT) == []


def test_not_reported_when_only_named_files_are_copied(tmp_path: Path) -> None:
    assert flagged(tmp_path, "FROM node:20\nCOPY package.json src/ ./\nCOPY --from=node:20 / /x\n") == []
