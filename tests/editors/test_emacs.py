"""`emacs --batch` with Eglot and the snippets of docs/editors/emacs.md, against the real server.

Needs an Emacs with Eglot (built in from 29; Debian 12's Emacs 28 gets it from elpa-eglot) and a
Dockerfile major mode (dockerfile-mode, Debian's elpa-dockerfile-mode). Skipped with the reason when
they are missing; scripts/install_test_editors.sh installs them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ._support import DOC_CURSOR_COLUMN, DOC_SOURCE, INSTALL_HINT, doc_expected, doc_snippets, isolated_env

DRIVER = Path(__file__).resolve().parent / "emacs_driver.el"


def emacs_with_eglot() -> str:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip(f"no emacs on PATH ({INSTALL_HINT})")
    probe = '(progn (package-initialize) (princ (if (and (locate-library "eglot") (locate-library "dockerfile-mode")) "yes" "no")))'
    out = subprocess.run(
        [emacs, "--batch", "--eval", probe], capture_output=True, text=True, timeout=60
    ).stdout
    if out.strip() != "yes":
        pytest.skip(f"emacs lacks eglot or dockerfile-mode ({INSTALL_HINT})")
    return emacs


def test_documented_eglot_setup(tmp_path: Path) -> None:
    emacs = emacs_with_eglot()
    snippets = doc_snippets("emacs.md", "emacs-snippet", "elisp")
    assert {"setup", "commands"} <= set(snippets), "docs/editors/emacs.md lost a tested snippet"
    init = tmp_path / "init.el"
    init.write_text(
        ";;; -*- lexical-binding: t -*-\n" + snippets["setup"] + "\n" + snippets["commands"], encoding="utf-8"
    )
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(DOC_SOURCE, encoding="utf-8")
    result = tmp_path / "result.txt"
    env = isolated_env(tmp_path)
    env.update(
        DRLS_INIT=str(init),
        DRLS_FILE=str(dockerfile),
        DRLS_RESULT=str(result),
        DRLS_COLUMN=str(DOC_CURSOR_COLUMN),
        # The settings arrive after the first diagnostics; wait for the republished ones.
        DRLS_SETTLE="DL3007:",
    )
    proc = subprocess.run(
        [emacs, "--batch", "-l", str(DRIVER)],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=90,
    )
    if not result.exists():
        pytest.fail(f"emacs wrote no result (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr[-4000:]}")
    lines = result.read_text(encoding="utf-8").splitlines()
    facts: dict[str, list[str]] = {}
    for line in lines:
        key, _, value = line.partition(" ")
        facts.setdefault(key, []).append(value)
    events = Path(f"{result}.events")
    assert facts["status"] == ["ok"], f"{facts}\n{proc.stderr[-4000:]}\n" + (
        events.read_text(errors="replace")[-6000:] if events.exists() else ""
    )
    assert facts["mode"] == ["dockerfile-mode"]
    diagnostics = dict(d.split(":") for d in facts["diagnostic"])
    # The snippet's eglot-workspace-configuration reached the server.
    assert "DL3007" not in diagnostics
    assert diagnostics["JSONArgsRecommended"] == "4"
    assert dockerfile.read_text(encoding="utf-8") == doc_expected(tmp_path)
