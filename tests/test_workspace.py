"""What diagnostics depend on besides the text: settings and files beside the document."""

from __future__ import annotations

import os
from pathlib import Path

from dockerfile_refactor_ls.workspace import WorkspaceConfig, client_settings_from_options, workspace_roots


def _config(root: Path) -> WorkspaceConfig:
    config = WorkspaceConfig()
    config.roots = workspace_roots([root.as_uri()], None, None)
    return config


def test_hadolint_yaml_above_the_document_applies_and_edits_to_it_are_seen(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    uri = (tmp_path / "svc" / "Dockerfile").as_uri()
    yaml = tmp_path / ".hadolint.yaml"
    yaml.write_text("ignored:\n  - DL3006\n")
    config = _config(tmp_path)
    assert "DL3006" in config.settings_for(uri).ignore
    # Asked again (cached folder), then after the file changed on disk.
    assert "DL3006" in config.settings_for(uri).ignore
    yaml.write_text("ignored:\n  - DL3008\n")
    stat = yaml.stat()
    os.utime(yaml, (stat.st_atime, stat.st_mtime + 5))
    ignore = config.settings_for(uri).ignore
    assert "DL3008" in ignore and "DL3006" not in ignore


def test_files_outside_the_workspace_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "ws"
    outside.mkdir()
    inside.mkdir()
    (outside / ".dockerignore").write_text("secret\n")
    (inside / ".dockerignore").symlink_to(outside / ".dockerignore")
    config = _config(inside)
    assert config.dockerignore_for((inside / "Dockerfile").as_uri()) is None
    assert config.dockerignore_for((outside / "Dockerfile").as_uri()) is None
    (inside / ".dockerignore").unlink()
    (inside / ".dockerignore").write_text("build/\n")
    config.forget_files()
    assert config.dockerignore_for((inside / "Dockerfile").as_uri()) == "build/\n"


def test_new_roots_replace_what_was_resolved_for_the_old_ones(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".dockerignore").write_text("x\n")
    uri = (tmp_path / "a" / "Dockerfile").as_uri()
    config = _config(tmp_path / "b")
    assert config.dockerignore_for(uri) is None
    config.roots = workspace_roots([(tmp_path / "a").as_uri()], None, None)
    assert config.dockerignore_for(uri) == "x\n"


def test_settings_from_initialization_options() -> None:
    assert client_settings_from_options({"dockerfileRefactor": {"rules": {}}}) == {"rules": {}}
    assert client_settings_from_options({"rules": {}}) == {"rules": {}}
    assert client_settings_from_options(["not", "a", "dict"]) is None
