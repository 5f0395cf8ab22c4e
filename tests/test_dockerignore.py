"""``.dockerignore`` matching (engine.dockerignore), cases from moby's patternmatcher semantics."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.dockerignore import DockerIgnore


@pytest.mark.parametrize(
    ("patterns", "path", "ignored"),
    [
        ("node_modules", "node_modules", True),
        ("node_modules", "node_modules/x/y.js", True),  # a parent directory matches
        ("node_modules", "src/node_modules", False),  # patterns are anchored at the root
        ("**/node_modules", "src/node_modules/a", True),
        ("*.md", "README.md", True),
        ("*.md", "docs/a.md", False),  # * does not cross /
        ("docs/**/*.md", "docs/a/b/c.md", True),
        ("docs/**/*.md", "docs/c.md", True),
        ("/build", "build/out", True),
        ("./dist//", "dist/x", True),
        ("file?.txt", "file1.txt", True),
        ("file?.txt", "file10.txt", False),
        ("[ab].txt", "a.txt", True),
        ("[!ab].txt", "c.txt", True),
        ("*.log\n!keep.log", "keep.log", False),
        ("*.log\n!keep.log", "other.log", True),
        ("!keep.log\n*.log", "keep.log", True),  # the last match wins
        ("# comment\n\n  tmp  ", "tmp", True),
        ("", "anything", False),
        ("**", "anything/at/all", True),
    ],
)
def test_matching(patterns: str, path: str, ignored: bool) -> None:
    assert DockerIgnore(patterns).ignored(path) is ignored
