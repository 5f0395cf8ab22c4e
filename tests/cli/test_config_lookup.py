"""Where check finds .hadolint.yaml (issue 18): up to the project root, then the user's config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerfile_refactor_ls.checking.config import ConfigResolver, merge, project_root

from .conftest import cli

IGNORE_DL3006 = "ignored: [DL3006]\n"


def _has_dl3006(path: str = "Dockerfile") -> bool:
    return "DL3006" in {o["code"] for o in json.loads(cli("check", "-f", "json", path).out)}


def test_a_config_above_the_project_root_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".hadolint.yaml").write_text(IGNORE_DL3006)  # as if planted in /tmp
    proj = tmp_path / "proj"
    (proj / ".git").mkdir(parents=True)
    (proj / "svc").mkdir()
    (proj / "svc" / "Dockerfile").write_text("FROM ubuntu\n")
    monkeypatch.chdir(proj)
    assert _has_dl3006("svc/Dockerfile")


def test_the_nearest_config_inside_the_project_is_used(project: Path) -> None:
    (project / "svc").mkdir()
    (project / "svc" / "Dockerfile").write_text("FROM ubuntu\n")
    (project / ".hadolint.yaml").write_text(IGNORE_DL3006)
    assert not _has_dl3006("svc/Dockerfile")
    (project / "svc" / ".hadolint.yml").write_text("ignored: [DL3008]\n")
    assert _has_dl3006("svc/Dockerfile")  # the nearer file wins whole, as in hadolint


def test_a_manifest_marks_the_root_when_there_is_no_vcs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".hadolint.yaml").write_text(IGNORE_DL3006)
    proj = tmp_path / "proj"
    (proj / "docker").mkdir(parents=True)
    (proj / "pyproject.toml").write_text("[project]\nname='x'\n")
    (proj / "docker" / "Dockerfile").write_text("FROM ubuntu\n")
    assert project_root(proj / "docker") == proj
    monkeypatch.chdir(proj)
    assert _has_dl3006("docker/Dockerfile")


def test_the_users_config_when_the_project_has_none(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_home: Path) -> None:
    (_isolated_home / ".hadolint.yaml").write_text(IGNORE_DL3006)
    assert not _has_dl3006()
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    (xdg / "hadolint.yaml").write_text("ignored: [DL3008]\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    assert _has_dl3006()  # $XDG_CONFIG_HOME/hadolint.yaml comes before ~/.hadolint.yaml
    (project / ".hadolint.yaml").write_text("ignored: []\n")
    assert _has_dl3006()


def test_xdg_default_is_dot_config(project: Path, _isolated_home: Path) -> None:
    (_isolated_home / ".config").mkdir()
    (_isolated_home / ".config" / "hadolint.yaml").write_text(IGNORE_DL3006)
    assert not _has_dl3006()


def test_verbose_says_which_config_was_used(project: Path, _isolated_home: Path) -> None:
    run = cli("check", "--verbose", "Dockerfile")
    assert "config: none found for Dockerfile" in run.err
    (project / ".hadolint.yaml").write_text(IGNORE_DL3006)
    run = cli("check", "-V", "Dockerfile")
    assert f"config: {(project / '.hadolint.yaml').resolve()}" in run.err
    run = cli("check", "-V", "-c", ".hadolint.yaml", "Dockerfile")
    assert "config: .hadolint.yaml (--config)" in run.err


def test_explicit_config_replaces_the_lookup(project: Path, tmp_path: Path) -> None:
    (project / ".hadolint.yaml").write_text("ignored: [DL3008]\n")
    other = tmp_path / "ci.yaml"
    other.write_text(IGNORE_DL3006)
    codes = {o["code"] for o in json.loads(cli("check", "-f", "json", "-c", str(other), "Dockerfile").out)}
    assert "DL3006" not in codes and "DL3008" in codes


def test_each_file_reads_its_own_config_once(project: Path) -> None:
    resolver = ConfigResolver({}, env={}, cwd=project)
    (project / ".hadolint.yaml").write_text(IGNORE_DL3006)
    a = resolver.for_directory(project)
    (project / ".hadolint.yaml").write_text("ignored: []\n")
    assert resolver.for_directory(project) is a  # cached for the run


def test_merge_follows_hadolints_precedence() -> None:
    env = {"ignored": ["A"], "override": {"error": ["X"]}, "failure-threshold": "style", "trustedRegistries": ["r1"]}
    file = {"ignored": ["B"], "override": {"info": ["X"]}, "failure-threshold": "warning", "label-schema": {"a": "text"}}
    flags = {"failure-threshold": "error", "label-schema": {"b": "url"}}
    merged = merge(env, file, flags)
    assert merged["ignored"] == ["A", "B"]
    assert merged["override"] == {"info": ["X"]}
    assert merged["failure-threshold"] == "error"
    assert merged["label-schema"] == {"a": "text", "b": "url"}
    assert merged["trustedRegistries"] == ["r1"]
