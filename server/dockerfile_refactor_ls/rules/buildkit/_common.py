"""Helpers shared by the BuildKit checks (not a rule: the underscore keeps it out of the registry)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ...engine.findings import Edit, Fix
from ...engine.images import stage_chain
from ...engine.model import Stage
from ...engine.text import Span


def go_quote(text: str) -> str:
    """Go's ``%q`` for the strings BuildKit's messages quote (``"name"``)."""
    return json.dumps(text, ensure_ascii=False)


def write_fix(span: Span, new: str) -> Fix:
    """The safe, preferred fix that writes ``new`` over ``span`` (the casing and EXPOSE checks:
    the same word, spelled as BuildKit wants it)."""
    return Fix(f"Write '{new}'", [Edit(span, new)], preferred=True)


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(value: str, options: Iterable[str], case_sensitive: bool = True) -> str | None:
    """BuildKit's ``suggest.Search``: the closest option fewer than 3 edits away, or None (also when
    ``value`` itself is an option)."""
    needle = value if case_sensitive else value.lower()
    best: str | None = None
    best_dist = 3
    for opt in sorted(set(options)):
        cand = opt if case_sensitive else opt.lower()
        if cand == needle:
            return None
        if abs(len(cand) - len(needle)) >= best_dist:
            continue
        d = levenshtein(needle, cand)
        if d < best_dist:
            best, best_dist = opt, d
    return best


def lineage(stage: Stage) -> Iterator[Stage]:
    """The stage and the stages it is built ``FROM``, nearest first (state a stage inherits)."""
    return iter(stage_chain(stage))
