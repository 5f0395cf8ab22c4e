""".dockerignore patterns as BuildKit reads and matches them (moby/patternmatcher, ignorefile).

- Reading (``ignorefile.ReadAll``): a UTF-8 BOM is dropped; lines starting with ``#`` are comments;
  every pattern is trimmed, cleaned like Go's ``filepath.Clean`` and loses a leading ``/``; ``!``
  marks a re-include (BuildKit calls it an exclusion).
- Matching (``MatchesOrParentMatches``): patterns apply in order, a later one overriding an
  earlier; a pattern matches the path or any of its parent directories; ``*`` and ``?`` stop at
  ``/``, ``**`` crosses directories, ``[...]`` classes and ``\\`` escapes as in Go.

:func:`fully_ignored` adds what BuildKit leaves out: BuildKit skips CopyIgnoredFile altogether
when the file has a ``!`` line; here a path is ignored when it matches and no ``!`` pattern can
re-include it or anything beneath it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Pattern:
    text: str  # cleaned, without the leading "!"
    exclusion: bool  # a "!" line: re-includes what earlier patterns ignored
    kind: str  # "exact", "prefix", "suffix" or "regexp"
    regexp: re.Pattern[str] | None

    @property
    def dirs(self) -> list[str]:
        return self.text.split("/")

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.text
        if self.kind == "prefix":
            return path.startswith(self.text[:-2])
        if self.kind == "suffix":
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        return self.regexp is not None and self.regexp.match(path) is not None


def clean(path: str) -> str:
    """Go's ``filepath.Clean`` on a slash path."""
    if not path:
        return "."
    out = posixpath.normpath(path)
    if out.startswith("//"):
        out = "/" + out.lstrip("/")
    return out


def read_patterns(text: str) -> list[str]:
    """``ignorefile.ReadAll``."""
    out: list[str] = []
    for i, line in enumerate(text.splitlines()):
        if i == 0 and line.startswith(_BOM):
            line = line[1:]
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        out.append("!" + pattern if invert else pattern)
    return out


def _compile(text: str) -> tuple[str, re.Pattern[str] | None]:
    """patternmatcher's ``Pattern.compile`` with "/" as the separator."""
    reg = "^"
    kind = "exact"
    i = 0
    n = len(text)
    while i < n:
        start = i
        ch = text[i]
        if ch == "*":
            if i + 1 < n and text[i + 1] == "*":
                i += 1
                if i + 1 < n and text[i + 1] == "/":
                    i += 1
                if i + 1 >= n:
                    if kind == "exact":
                        kind = "prefix"
                    else:
                        reg += ".*"
                        kind = "regexp"
                else:
                    reg += "(.*/)?"
                    kind = "regexp"
                if start == 0:
                    kind = "suffix"
            else:
                reg += "[^/]*"
                kind = "regexp"
        elif ch == "?":
            reg += "[^/]"
            kind = "regexp"
        elif ch in ".+()|{}$":
            reg += "\\" + ch
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                reg += re.escape(text[i])
                kind = "regexp"
            else:
                reg += "\\\\"
        elif ch in "[]":
            reg += ch
            kind = "regexp"
        elif ch == "^":
            reg += "\\^"
        else:
            reg += ch
        i += 1
    if kind != "regexp":
        return kind, None
    try:
        return kind, re.compile(reg + "$", re.DOTALL)
    except re.error:
        return kind, None


class Matcher:
    def __init__(self, patterns: list[str]) -> None:
        self.patterns: list[Pattern] = []
        for p in patterns:
            p = p.strip()
            if not p:
                continue
            exclusion = p.startswith("!")
            body = clean(p[1:] if exclusion else p)
            if exclusion and not body:
                continue
            kind, rx = _compile(body)
            self.patterns.append(Pattern(body, exclusion, kind, rx))

    @property
    def exclusions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    def matches_or_parent_matches(self, path: str) -> bool:
        matched = False
        parent = posixpath.dirname(path) or "."
        parent_dirs = parent.split("/")
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            match = pattern.match(path)
            if not match and parent != ".":
                for k in range(len(parent_dirs)):
                    if pattern.match("/".join(parent_dirs[: k + 1])):
                        match = True
                        break
            if match:
                matched = not pattern.exclusion
        return matched

    def root_ignored(self) -> bool:
        """BuildKit's ``copySourceRootIgnored``: a pattern ignores every entry of the context."""
        return any(not p.exclusion and p.text in ("*", "**", "**/*") for p in self.patterns)

    def fully_ignored(self, path: str) -> bool:
        """Whether nothing at or below ``path`` (a cleaned, context-relative path) reaches the build."""
        if path in (".", "/"):
            if not self.root_ignored():
                return False
        elif not self.matches_or_parent_matches(path):
            return False
        # A "!" line can only bring back what the patterns before it excluded: look at the ones
        # after the last pattern that excludes the path itself.
        last = max(
            (i for i, p in enumerate(self.patterns) if not p.exclusion and self._matches_path_or_parent(p, path)),
            default=-1,
        )
        return not any(p.exclusion and _may_match_below(p, path) for p in self.patterns[last + 1 :])

    @staticmethod
    def _matches_path_or_parent(pattern: Pattern, path: str) -> bool:
        if path in (".", "/"):
            return pattern.text in ("*", "**", "**/*")
        parts = path.split("/")
        return any(pattern.match("/".join(parts[: k + 1])) for k in range(len(parts)))


def _may_match_below(pattern: Pattern, path: str) -> bool:
    """Whether ``pattern`` can match ``path`` or a path inside it (conservatively: yes when unsure)."""
    if "**" in pattern.text:
        return True
    if path in (".", "/"):
        return True
    parts = path.split("/")
    dirs = pattern.dirs
    if len(dirs) < len(parts):
        # It can only match an ancestor of path; matches_or_parent_matches has applied that.
        return False
    for comp, glob in zip(parts, dirs, strict=False):
        _, rx = _compile(glob)
        if rx is None:
            if comp != glob.replace("\\", ""):
                return False
        elif rx.match(comp) is None:
            return False
    return True


@lru_cache(maxsize=32)
def matcher_for(text: str) -> Matcher:
    """The matcher of a .dockerignore's content (cached per content: read on every keystroke)."""
    return Matcher(read_patterns(text))


def dockerignore_names(dockerfile: Path | None) -> tuple[str, ...]:
    """The ignore files BuildKit looks for, first match wins: ``api.Dockerfile.dockerignore`` for
    ``api.Dockerfile``, then ``.dockerignore``."""
    if dockerfile is None or not dockerfile.name:
        return (".dockerignore",)
    return (f"{dockerfile.name}.dockerignore", ".dockerignore")
