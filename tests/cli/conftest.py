"""Run the command line in-process (or as a real process where pipes and terminals matter)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockerfile_refactor_ls.cli import main

# A Dockerfile with findings at every level and fixes, that the real hadolint flags too.
SAMPLE = (
    "FROM ubuntu\n"
    "RUN apt-get install curl\n"
    "RUN cd /tmp && echo hi\n"
    "MAINTAINER me@example.com\n"
)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user configuration or HADOLINT_* variable of the machine leaks into a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for var in list(os.environ):
        if var.startswith("HADOLINT_") or var in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
            monkeypatch.delenv(var)
    return home


def cli(*args: str, stdin: bytes = b"") -> Run:
    """``dockerfile-refactor-ls ARGS`` in this process, with captured standard streams."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return Run(code, out.getvalue(), err.getvalue())


def cli_process(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_refactor_ls", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git-like project folder (its root marked by .git) holding SAMPLE as Dockerfile; the cwd."""
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "Dockerfile").write_text(SAMPLE)
    monkeypatch.chdir(root)
    return root
