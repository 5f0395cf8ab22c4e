"""BuildKit's .dockerignore reading and matching (engine/dockerignore.py), from moby/patternmatcher's
behaviour."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.dockerignore import Matcher, clean, matcher_for, read_patterns


def test_read_patterns() -> None:
    text = "\ufeff# comment\n  /abs/path/  \n!  keep.txt\n\n./a/../b\n #not a comment\n"
    assert read_patterns(text) == ["abs/path", "!keep.txt", "b", "#not a comment"]


def test_clean() -> None:
    assert clean("./a/b/../c/") == "a/c"
    assert clean("") == "."
    assert clean("/") == "/"


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.go", "main.go", True),
        ("*.go", "cmd/main.go", False),  # * does not cross /
        ("**/*.go", "cmd/main.go", True),
        ("**/*.go", "main.go", True),
        ("docs", "docs/a/b.md", True),  # a parent directory matches
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("[ab].txt", "b.txt", True),
        ("foo/**", "foo/x/y", True),
        ("foo/**", "foobar", False),
        ("**", "anything/at/all", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("a.b", "axb", False),  # regexp metacharacters are literal
    ],
)
def test_matching(pattern: str, path: str, expected: bool) -> None:
    assert Matcher([pattern]).matches_or_parent_matches(path) is expected


def test_exclusions_in_order() -> None:
    m = Matcher(["*.md", "!README.md"])
    assert m.exclusions
    assert m.matches_or_parent_matches("CHANGES.md")
    assert not m.matches_or_parent_matches("README.md")
    assert Matcher(["!README.md", "*.md"]).matches_or_parent_matches("README.md")


def test_fully_ignored() -> None:
    m = matcher_for("docs\n!docs/keep.txt\n")
    assert not m.fully_ignored("docs")  # something inside comes back
    assert m.fully_ignored("docs/other.txt")
    assert not m.fully_ignored("docs/keep.txt")
    assert matcher_for("*\n").fully_ignored(".")
    assert not matcher_for(".*\n").fully_ignored(".")
    assert not matcher_for("**\n!Dockerfile\n").fully_ignored(".")
