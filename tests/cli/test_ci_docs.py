"""The recipes of docs/ci.md, exercised: schemas for the YAML, the commands run on a sample project,
and the pre-commit hooks through `pre-commit try-repo`."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ci.md"
BIN = Path(sys.executable).parent


def snippet(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- ci-snippet: {re.escape(name)} -->\n```\w*\n(.*?)```", text, re.S)
    assert m, f"no {name} snippet in docs/ci.md"
    return m.group(1)


def vendored_schema(name: str) -> dict:  # type: ignore[type-arg]
    check_jsonschema = pytest.importorskip("check_jsonschema")
    path = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def validate(instance: object, schema: dict) -> None:  # type: ignore[type-arg]
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    cls(schema, format_checker=None).validate(instance)


def sample_project(tmp_path: Path) -> Path:
    proj = tmp_path / "repo"
    (proj / ".git").mkdir(parents=True)
    (proj / "Dockerfile").write_text(SAMPLE)
    (proj / "svc").mkdir()
    (proj / "svc" / "Dockerfile").write_text("FROM alpine\nUSER 65534\n")  # DL3006
    return proj


def run_ours(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[0] == "dockerfile-refactor-ls"
    return subprocess.run([str(BIN / "dockerfile-refactor-ls"), *argv[1:]], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_github_workflow(tmp_path: Path) -> None:
    workflow = yaml.safe_load(snippet("github-workflow"))
    # PyYAML reads YAML 1.1, where a bare `on` is true; GitHub (YAML 1.2) reads the key "on".
    workflow["on"] = workflow.pop(True)
    validate(workflow, vendored_schema("github-workflows"))
    steps = workflow["jobs"]["lint"]["steps"]
    ours = [s["run"] for s in steps if "run" in s and s["run"].startswith("dockerfile-refactor-ls")]
    assert ours
    proj = sample_project(tmp_path)
    proc = run_ours(ours[0], proj)
    assert proc.returncode == 1  # findings: the step fails, the upload step still runs (if: always())
    assert any(line.startswith("::warning file=Dockerfile,") for line in proc.stdout.splitlines())
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    sarif = json.loads((proj / upload["with"]["sarif_file"]).read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_gitlab_ci(tmp_path: Path) -> None:
    config = yaml.safe_load(snippet("gitlab-ci"))
    validate(config, vendored_schema("gitlab-ci"))
    job = config["dockerfile-lint"]
    proj = sample_project(tmp_path)
    (command,) = [line for line in job["script"] if line.startswith("dockerfile-refactor-ls")]
    proc = run_ours(command, proj)
    assert proc.returncode == 1
    report = json.loads((proj / job["artifacts"]["reports"]["codequality"]).read_text())
    assert report and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in report)
    assert {i["location"]["path"] for i in report} == {"Dockerfile", "svc/Dockerfile"}


def test_pre_commit_snippet_names_our_hooks() -> None:
    config = yaml.safe_load(snippet("pre-commit"))
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    ids = {h["id"] for h in hooks}
    used = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert used and set(used) <= ids
    assert {"dockerfile-refactor-ls", "dockerfile-refactor-ls-fix"} == ids


def test_shell_step(tmp_path: Path) -> None:
    proj = sample_project(tmp_path)
    script = proj / "lint.sh"
    script.write_text(snippet("shell"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(["sh", str(script)], cwd=proj, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1
    assert isinstance(json.loads((proj / "dockerfile-lint.json").read_text()), list)
    for clean in (proj / "Dockerfile", proj / "svc" / "Dockerfile"):
        clean.write_text("FROM alpine:3.20\nUSER 65534\n")
    assert subprocess.run(["sh", str(script)], cwd=proj, capture_output=True, env=env, timeout=300).returncode == 0
    (proj / ".hadolint.yaml").write_text("ignored: [oops\n")
    proc = subprocess.run(["sh", str(script)], cwd=proj, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2 and "could not run" in proc.stderr


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_fix_hook(tmp_path: Path) -> None:
    """pre-commit installs this repository as a hook (from its working tree) and runs the --fix hook
    on a staged Dockerfile: it fixes the file and fails the commit, as hooks that modify files do."""
    pre_commit = BIN / "pre-commit"
    if not pre_commit.is_file():
        pytest.skip("pre-commit is not installed")
    repo = tmp_path / "work"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "Dockerfile").write_text(SAMPLE)
    _git(repo, "add", "Dockerfile")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(
        [str(pre_commit), "try-repo", str(ROOT), "dockerfile-refactor-ls-fix", "--files", "Dockerfile", "--verbose"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    if "Could not find a version" in output or "Network is unreachable" in output:
        pytest.skip("pre-commit could not install the hook's dependencies from the package index")
    assert proc.returncode == 1, output
    assert "files were modified by this hook" in output, output
    fixed = (repo / "Dockerfile").read_text()
    assert fixed != SAMPLE and "-y" in fixed
