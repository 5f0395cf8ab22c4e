"""Where the cursor is, as an instruction's words see it: shared by completion and signature help.

An editor asks about an offset; BuildKit thinks in logical lines. This module bridges the two:

- :func:`instruction_for_cursor` finds the instruction an offset belongs to, including the lines
  after a trailing escape (``COPY \\`` then a new, still empty line continues the COPY, and so do
  blank and comment lines between continuation lines, which BuildKit skips);
- :func:`logical_text` joins a stretch of source the way BuildKit does (line continuations removed,
  comment lines inside them dropped);
- :func:`split_words` splits joined text into shell-like words (quotes and escapes kept as typed),
  with the word being typed at the end, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Dockerfile
from .parser import Instruction

_BLANK_OR_COMMENT = re.compile(r"[ \t]*(#.*)?\Z")


def _continues(doc: Dockerfile, ins: Instruction) -> bool:
    """Whether the instruction's last line ends with the escape character (a continuation)."""
    line_span = ins.line_span or ins.span
    if ins.heredocs:
        return False
    tail = doc.text[ins.span.start : line_span.end].rstrip()
    if not tail.endswith(doc.escape):
        return False
    # An escaped escape (``\\``) at the end is not a continuation.
    n = len(tail) - len(tail.rstrip(doc.escape))
    return n % 2 == 1


def instruction_for_cursor(doc: Dockerfile, offset: int) -> Instruction | None:
    """The instruction the cursor is in, counting the open lines after a trailing escape."""
    ins = doc.instruction_at(offset)
    if ins is not None:
        return ins
    # The last instruction starting at or before the offset (a binary search: a list of every
    # start, built per request, made completion on the last line walk the whole document).
    instructions = doc.parsed.instructions
    lo, hi = 0, len(instructions)
    while lo < hi:
        mid = (lo + hi) // 2
        if instructions[mid].span.start <= offset:
            lo = mid + 1
        else:
            hi = mid
    k = lo - 1
    if k < 0:
        return None
    prev = instructions[k]
    if prev.span.end > offset or not _continues(doc, prev):
        return None
    between = doc.text[prev.span.end : offset]
    lines = re.split(r"\r\n|\n|\r", between)
    if len(lines) < 2:
        return None
    # Every full line in between must be blank or a comment; the cursor's own line up to the cursor
    # must be blank (anything else would have been parsed into the instruction).
    if not all(_BLANK_OR_COMMENT.match(line) for line in lines[1:-1]):
        return None
    if lines[-1].strip(" \t"):
        return None
    return prev


def logical_text(doc: Dockerfile, start: int, end: int) -> str:
    """``doc.text[start:end]`` joined as BuildKit joins continuation lines.

    The escape character before a line break and the line break go; lines inside the continuation
    that are blank or comments are dropped.
    """
    raw = doc.text[start:end]
    esc = re.escape(doc.escape)
    parts = re.split(rf"{esc}[ \t]*(?:\r\n|\n|\r)", raw)
    if len(parts) == 1:
        return raw
    out = [parts[0]]
    for part in parts[1:]:
        lines = re.split(r"\r\n|\n|\r", part)
        # Whole blank or comment lines inside a continuation are skipped by BuildKit.
        while len(lines) > 1 and _BLANK_OR_COMMENT.match(lines[0]):
            lines.pop(0)
        out.append("\n".join(lines))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Words:
    """The words before the cursor, and the one being typed (``None`` when the cursor is in space)."""

    done: list[str]
    current: str | None

    @property
    def index(self) -> int:
        """The index of the word at the cursor (a new word after whitespace counts too)."""
        return len(self.done)

    def all(self) -> list[str]:
        return self.done + ([self.current] if self.current is not None else [])


def split_words(text: str, escape: str = "\\") -> Words:
    """Split like a shell (quotes group, the escape character escapes), keeping words as typed."""
    words: list[str] = []
    cur: list[str] = []
    in_word = False
    quote: str | None = None
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if quote is not None:
            cur.append(c)
            if c == quote:
                quote = None
            elif c == escape and quote == '"' and i + 1 < n:
                cur.append(text[i + 1])
                i += 1
        elif c in " \t\r\n":
            if in_word:
                words.append("".join(cur))
                cur = []
                in_word = False
        elif c in "\"'":
            quote = c
            in_word = True
            cur.append(c)
        elif c == escape and i + 1 < n:
            cur.append(c)
            cur.append(text[i + 1])
            in_word = True
            i += 1
        else:
            cur.append(c)
            in_word = True
        i += 1
    return Words(words, "".join(cur) if in_word else None)


def json_index(text: str) -> int | None:
    """For text that starts with ``[``: the index of the array element at its end, or ``None``
    once the array is closed."""
    return json_scan(text)[0]


def json_scan(text: str) -> tuple[int | None, int]:
    """For text that starts with ``[``: the index of the array element at its end (``None`` once
    the array is closed) and how many strings were opened before that point."""
    index = 0
    strings = 0
    in_string = False
    i = 1
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            strings += 1
        elif c == ",":
            index += 1
        elif c == "]":
            return None, strings
        i += 1
    return index, strings
