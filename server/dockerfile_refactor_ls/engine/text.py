"""Positions and ranges in the LSP's terms, and conversion from string offsets.

The parser works on absolute offsets into the document string (code points). Editors speak in
(line, UTF-16 code unit) pairs where a line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``. Keeping the
two apart means the splitter can follow BuildKit (which only splits at ``\\n``) while every range we
hand to an editor still counts lines the way the editor does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate
from operator import add
from typing import TYPE_CHECKING

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class PositionEncoding(StrEnum):
    """The encodings the LSP allows for a position's character offset."""

    UTF16 = "utf-16"
    UTF8 = "utf-8"
    UTF32 = "utf-32"


@dataclass(frozen=True, slots=True, order=True)
class Position:
    line: int
    character: int


@dataclass(frozen=True, slots=True)
class Range:
    start: Position
    end: Position

    def contains(self, pos: Position) -> bool:
        return self.start <= pos <= self.end

    def overlaps(self, other: Range) -> bool:
        return self.start <= other.end and other.start <= self.end


if TYPE_CHECKING:
    # What the type checker sees: an immutable value.
    @dataclass(frozen=True, slots=True)
    class Span:
        start: int
        end: int

        def __len__(self) -> int: ...
        def contains(self, offset: int) -> bool: ...

else:
    # Spans are never changed after creation, but at run time they are not frozen: a frozen
    # dataclass sets each field through object.__setattr__, which made creating one 2.2x slower,
    # and a keystroke on a large file creates tens of thousands (everything after the edit moves).
    @dataclass(slots=True, unsafe_hash=True)
    class Span:
        """A half-open slice ``[start, end)`` of the document string."""

        start: int
        end: int

        def __len__(self) -> int:
            return self.end - self.start

        def contains(self, offset: int) -> bool:
            return self.start <= offset <= self.end


def _unit_width(ch: str, encoding: PositionEncoding) -> int:
    cp = ord(ch)
    if encoding is PositionEncoding.UTF16:
        return 2 if cp > 0xFFFF else 1
    if encoding is PositionEncoding.UTF8:
        return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
    return 1


class LineIndex:
    """Maps string offsets to LSP positions and back for one immutable text."""

    __slots__ = ("_line_ends", "_line_starts", "_simple", "encoding", "text")

    def __init__(self, text: str, encoding: PositionEncoding = PositionEncoding.UTF16) -> None:
        self.text = text
        self.encoding = encoding
        if "\r" not in text:
            # Built with C-level map/accumulate: a keystroke in a 50,000-line file must not pay
            # for a Python loop over every line.
            lengths = list(map(len, text.split("\n")))
            starts: list[int] = [0, *map(add, accumulate(lengths[:-1]), range(1, len(lengths)))]
            ends: list[int] = list(map(add, starts, lengths))
        else:
            starts = [0]
            ends = []
            for m in _LINE_BREAK.finditer(text):
                ends.append(m.start())
                starts.append(m.end())
            ends.append(len(text))
        self._line_starts = starts
        self._line_ends = ends
        # A pure-ASCII document (the common case) needs no per-character counting.
        self._simple = text.isascii() or encoding is PositionEncoding.UTF32

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_start(self, line: int) -> int:
        return self._line_starts[line]

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        return self._line_ends[line]

    def line_text(self, line: int) -> str:
        return self.text[self._line_starts[line] : self._line_ends[line]]

    def line_of(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset) - 1

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        # An offset inside a CRLF pair belongs at the end of the line's content.
        offset = min(offset, self._line_ends[line])
        if self._simple:
            return Position(line, offset - start)
        col = 0
        enc = self.encoding
        for ch in self.text[start:offset]:
            col += _unit_width(ch, enc)
        return Position(line, col)

    def range(self, span: Span) -> Range:
        return Range(self.position(span.start), self.position(span.end))

    def sorted_ranges(self, spans: Iterable[Span]) -> Iterator[tuple[int, int, int, int]]:
        """``range(span)`` of each span as (start line, start character, end line, end
        character). For spans in document order one forward walk over the lines replaces two
        binary searches per span (semantic tokens: 550,000 spans at 50,000 stages); a span that
        starts before the one before it is looked up."""
        if not self._simple:
            for span in spans:
                r = self.range(span)
                yield r.start.line, r.start.character, r.end.line, r.end.character
            return
        starts = self._line_starts
        ends = self._line_ends
        n = len(self.text)
        last = len(starts) - 1
        la = 0
        for span in spans:
            a = min(max(span.start, 0), n)
            b = min(max(span.end, 0), n)
            if a < starts[la]:
                la = bisect_right(starts, a) - 1
            while la < last and starts[la + 1] <= a:
                la += 1
            lb = la if la == last or b < starts[la + 1] else bisect_right(starts, b) - 1
            line_start = starts[la]
            yield la, min(a, ends[la]) - line_start, lb, min(b, ends[lb]) - starts[lb]

    def range_json(self, span: Span) -> dict[str, dict[str, int]]:
        """``range(span)`` as the LSP's JSON object, without the intermediate objects.

        The publishDiagnostics path converts every finding of the file on every keystroke (5,000
        on the 50,000-line benchmark file); for a pure-ASCII text this inlines ``position``.
        """
        if not self._simple:
            r = self.range(span)
            return {
                "start": {"line": r.start.line, "character": r.start.character},
                "end": {"line": r.end.line, "character": r.end.character},
            }
        starts = self._line_starts
        ends = self._line_ends
        n = len(self.text)
        a = min(max(span.start, 0), n)
        b = min(max(span.end, 0), n)
        la = bisect_right(starts, a) - 1
        lb = la if b < ends[la] or la + 1 == len(starts) or b < starts[la + 1] else bisect_right(starts, b) - 1
        return {
            "start": {"line": la, "character": min(a, ends[la]) - starts[la]},
            "end": {"line": lb, "character": min(b, ends[lb]) - starts[lb]},
        }

    def offset(self, pos: Position) -> int:
        """The string offset of an LSP position, clamped the way the spec asks.

        A line past the end maps to the end of the text; a character past the end of a line maps to
        the end of that line's content; a position inside a surrogate pair maps after it.
        """
        if pos.line < 0:
            return 0
        if pos.line >= len(self._line_starts):
            return len(self.text)
        start = self._line_starts[pos.line]
        end = self._line_ends[pos.line]
        if pos.character <= 0:
            return start
        if self._simple:
            return min(start + pos.character, end)
        col = 0
        enc = self.encoding
        i = start
        while i < end and col < pos.character:
            col += _unit_width(self.text[i], enc)
            i += 1
        return i


def go_is_space(ch: str) -> bool:
    """Go's ``unicode.IsSpace``, which BuildKit uses; Python's ``str.isspace`` differs (\\x1c-\\x1f)."""
    return ch in _GO_SPACES


GO_SPACE_CHARS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACES = frozenset(GO_SPACE_CHARS)


def go_trim_left_space(s: str) -> str:
    return s.lstrip(GO_SPACE_CHARS)


def go_trim_space(s: str) -> tuple[int, int]:
    """Bounds ``(start, end)`` of ``s`` without Go-whitespace on either side."""
    left = s.lstrip(GO_SPACE_CHARS)
    i = len(s) - len(left)
    return i, i + len(left.rstrip(GO_SPACE_CHARS))
