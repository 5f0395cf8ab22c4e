"""``.dockerignore`` matching as BuildKit does it (moby's ``patternmatcher``).

- One pattern per line; ``#`` lines are comments; blank lines are skipped; surrounding blank is
  trimmed. A leading ``!`` makes an exception (re-includes what an earlier pattern excluded).
- Patterns are cleaned like Go's ``filepath.Clean`` (``./a//b/`` is ``a/b``) and a leading ``/``
  is dropped: paths are relative to the context root.
- ``*`` matches any run of non-``/`` characters, ``?`` one, ``[...]`` a class; ``**`` matches any
  number of directories (``**/x``, ``a/**``, ``a/**/b``).
- A path is excluded when the last pattern matching it (or one of its parent directories) is not
  an exception.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: re.Pattern[str]
    exclusion: bool  # a "!" pattern


def _clean(pattern: str) -> str:
    cleaned = posixpath.normpath(pattern.replace("\\", "/")) if pattern else pattern
    cleaned = cleaned.lstrip("/")
    return "" if cleaned == "." else cleaned


def _to_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    out.append("(?:.*/)?")  # zero or more directories
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 1
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


class DockerIgnore:
    def __init__(self, text: str | None) -> None:
        self.patterns: list[_Pattern] = []
        for raw in (text or "").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            if exclusion:
                line = line[1:].strip()
            cleaned = _clean(line)
            if not cleaned:
                continue
            self.patterns.append(_Pattern(_to_regex(cleaned), exclusion))

    def ignored(self, path: str) -> bool:
        """Whether ``path`` (relative to the context root, ``/``-separated) is left out."""
        path = _clean(path)
        if not path or not self.patterns:
            return False
        parts = path.split("/")
        prefixes = ["/".join(parts[: k + 1]) for k in range(len(parts))]
        result = False
        for p in self.patterns:
            if any(p.regex.match(prefix) for prefix in prefixes):
                result = not p.exclusion
        return result
