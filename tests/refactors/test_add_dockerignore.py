"""addDockerignore: goldens (a Dockerfile, the context it sits in, the file created), where it is
(not) offered, the CLI, and the guarantee that nothing a COPY names is excluded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_refactor_ls.engine import context_copies
from dockerfile_refactor_ls.engine.dockerignore import matcher_for
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.refactors import add_dockerignore as ad
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import plan_or_reason, refactoring_named

GOLDEN = Path(__file__).parent / "golden" / "add_dockerignore"
CASES = sorted(p.name.removesuffix(".in.Dockerfile") for p in GOLDEN.glob("*.in.Dockerfile"))
DOCS = Path(__file__).parents[2] / "docs" / "refactorings" / "add-dockerignore.md"


def make_context(root: Path, case: str, name: str = "Dockerfile") -> Dockerfile:
    """The case's context: each line of ``<case>.context`` is a file to create (empty)."""
    text = (GOLDEN / f"{case}.in.Dockerfile").read_bytes().decode()
    for rel in (GOLDEN / f"{case}.context").read_text().split():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).touch()
    (root / name).write_bytes(text.encode())
    return loaded(root, name)


def loaded(root: Path, name: str = "Dockerfile") -> Dockerfile:
    doc = Dockerfile((root / name).read_bytes().decode())
    doc.context_dir = str(root)
    doc.file_name = name
    return doc


def run(doc: Dockerfile) -> RefactorResult | NotApplicable:
    return plan_or_reason(ad.REFACTORING, doc, None)


def test_registered() -> None:
    assert refactoring_named("addDockerignore") is ad.REFACTORING
    assert ad.REFACTORING.kind == "refactor.rewrite.addDockerignore"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path) -> None:
    doc = make_context(tmp_path, case)
    result = run(doc)
    assert isinstance(result, RefactorResult), result
    assert result.edits == []  # the Dockerfile itself is not touched
    (created,) = result.new_files
    assert created.path == str(tmp_path / ".dockerignore")
    expected = (GOLDEN / f"{case}.out.dockerignore").read_bytes().decode()
    assert created.text == expected
    # The file's line endings are the Dockerfile's.
    assert ("\r\n" in created.text) == ("\r\n" in doc.text)
    # Nothing a COPY/ADD source names is excluded.
    matcher = matcher_for(created.text)
    for _ins, src in context_copies.context_sources(doc):
        path = context_copies.context_path(src)
        if path not in context_copies.WHOLE_CONTEXT and not any(c in path for c in "*?["):
            assert not matcher.matches_or_parent_matches(path), src
    # Not offered again on its own result.
    Path(created.path).write_bytes(created.text.encode())
    again = run(loaded(tmp_path))
    assert isinstance(again, NotApplicable) and again.reason == ad.HAS_IGNORE.format(name=".dockerignore")


def test_glob_sources_keep_their_files(tmp_path: Path) -> None:
    doc = make_context(tmp_path, "named_sources")
    result = run(doc)
    assert isinstance(result, RefactorResult)
    matcher = matcher_for(result.new_files[0].text)
    for kept in ("dist/index.html", "server.pem", "certs/a.pem"):
        assert not matcher.matches_or_parent_matches(kept)
    assert matcher.matches_or_parent_matches(".env.production")  # a secret nothing names
    assert matcher.matches_or_parent_matches(".git/HEAD")


@pytest.mark.parametrize(
    ("script", "ignored"),
    [
        (b"<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n", False),  # a PHP CLI's entry point
        (b"#!/usr/bin/env ruby\n", False),  # Rails' bin/rails
        (b"\x7fELF\x02\x01\x01\x00", True),  # a binary built on the host
    ],
)
def test_bin_of_scripts_is_source_not_build_output(script: bytes, ignored: bool, tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "tool").write_bytes(script)
    (tmp_path / "app.txt").write_text("x")
    (tmp_path / "Dockerfile").write_text('FROM php:8.2-cli\nCOPY . /app\nCMD ["php", "/app/bin/tool"]\n')
    result = run(loaded(tmp_path))
    assert isinstance(result, RefactorResult)
    matcher = matcher_for(result.new_files[0].text)
    assert matcher.matches_or_parent_matches("bin/tool") is ignored


def test_other_dockerfile_names_get_their_own_ignore_file(tmp_path: Path) -> None:
    doc = make_context(tmp_path, "node", name="api.Dockerfile")
    result = run(doc)
    assert isinstance(result, RefactorResult)
    assert result.title == "Create api.Dockerfile.dockerignore"
    (created,) = result.new_files
    assert created.path == str(tmp_path / "api.Dockerfile.dockerignore")
    assert created.text.splitlines()[-2:] == ["api.Dockerfile", "api.Dockerfile.dockerignore"]
    # A plain .dockerignore beside it is what BuildKit reads otherwise: not offered then either.
    (tmp_path / ".dockerignore").write_text(".git\n")
    again = run(loaded(tmp_path, "api.Dockerfile"))
    assert isinstance(again, NotApplicable) and ".dockerignore already exists" in again.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("FROM alpine\nCOPY app.sh /app.sh\n", ad.NO_WHOLE_COPY),
        ("FROM alpine\nCOPY --from=build . /app\n", ad.NO_WHOLE_COPY),
        ("FROM alpine\nARG D=dist\nCOPY . /app\nCOPY $D /srv\n", ad.VARIABLE_SOURCE.format(source="$D")),
    ],
)
def test_not_offered(text: str, reason: str, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(text)
    result = run(loaded(tmp_path))
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_not_offered_without_a_context() -> None:
    result = run(Dockerfile("FROM alpine\nCOPY . /app\n"))
    assert isinstance(result, NotApplicable) and result.reason == ad.NO_CONTEXT


def test_every_reason_is_documented() -> None:
    page = DOCS.read_text()
    for reason in ad.REASONS:
        assert reason.split("{")[0].strip() in page, reason


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "dockerfile_refactor_ls", *args], capture_output=True, text=True,
                          env=env, check=False)


def test_cli_diff_shows_a_new_file_and_write_creates_it(tmp_path: Path) -> None:
    make_context(tmp_path, "rust")
    dockerfile = str(tmp_path / "Dockerfile")
    before = (tmp_path / "Dockerfile").read_bytes()
    diff = _cli("fix", "--action", "addDockerignore", "--diff", dockerfile)
    assert diff.returncode == 0, diff.stderr
    assert "--- /dev/null\n" in diff.stdout and "+target\n" in diff.stdout
    assert not (tmp_path / ".dockerignore").exists()
    wrote = _cli("fix", "--action", "addDockerignore", "--write", dockerfile)
    assert wrote.returncode == 0 and "created" in wrote.stderr
    assert (tmp_path / ".dockerignore").read_text() == (GOLDEN / "rust.out.dockerignore").read_text()
    assert (tmp_path / "Dockerfile").read_bytes() == before
    third = _cli("fix", "--action", "addDockerignore", "--write", dockerfile)
    assert third.returncode == 1 and "already exists" in third.stderr
