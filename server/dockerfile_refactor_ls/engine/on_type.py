"""Formatting as you type: the line after a ``\\`` continuation is indented.

Two triggers, as clients send them:

- **a new line** (``\\n``): when the line before it ends with the escape character and continues an
  instruction, the new line gets the instruction's continuation indent: one indentation unit after
  the instruction's first line, the previous line's indentation after a later one (so nested shell
  blocks keep their shape);
- **the escape character** (``\\``, or `````` with ``# escape=```), typed at the end of a line:
  the line after it, now a continuation, gets that indent if it has none yet.

Heredoc bodies, comment lines and lines that do not continue an instruction are left alone. The
indentation unit is the client's ``tabSize``/``insertSpaces`` (:class:`FormatOptions`).
"""

from __future__ import annotations

import re

from .cursor import instruction_for_cursor
from .findings import Edit
from .formatting import FormatOptions
from .model import Dockerfile
from .text import Span

_LEADING = re.compile(r"[ \t]*")


def _in_heredoc(doc: Dockerfile, offset: int) -> bool:
    # A body lies inside its instruction's span, but for the line break that ends an unterminated
    # one: the instructions around the offset are enough (not every heredoc of the document).
    k = doc.first_ending_at(offset)
    for ins in doc.instructions[max(k - 1, 0) : k + 1]:
        for heredoc in (ins.sub if ins.sub is not None else ins).heredocs:
            end = heredoc.terminator.end if heredoc.terminator is not None else len(doc.text)
            if heredoc.body.start <= offset <= end:
                return True
    return False


def _ends_with_escape(line: str, esc: str) -> bool:
    stripped = line.rstrip()
    n = len(stripped) - len(stripped.rstrip(esc))
    return n % 2 == 1


def _indent_for(doc: Dockerfile, line: int, options: FormatOptions) -> str | None:
    """The indentation that line ``line`` (a continuation line) should have, or None."""
    if line == 0:
        return None
    start = doc.lines.line_start(line)
    if _in_heredoc(doc, start):
        return None
    prev_text = doc.lines.line_text(line - 1)
    if not _ends_with_escape(prev_text, doc.escape) or prev_text.lstrip().startswith("#"):
        return None
    ins = instruction_for_cursor(doc, start)
    if ins is None or doc.lines.line_of(ins.keyword_span.start) >= line:
        return None
    if doc.lines.line_of(ins.keyword_span.start) == line - 1:
        return options.indent(options.unit)
    m = _LEADING.match(prev_text)
    assert m is not None
    return m.group()


def on_type_formatting(doc: Dockerfile, offset: int, ch: str, options: FormatOptions | None = None) -> list[Edit]:
    """Edits for typing ``ch`` that left the cursor at ``offset``."""
    options = options or FormatOptions()
    offset = max(0, min(offset, len(doc.text)))
    if ch in ("\n", "\r\n", "\r"):
        line = doc.lines.line_of(offset)
    elif ch == doc.escape:
        line = doc.lines.line_of(offset) + 1
        if line >= doc.lines.line_count:
            return []
        # Only when the escape was typed at the end of its line.
        here = doc.lines.line_text(line - 1)
        col_end = doc.lines.line_start(line - 1) + len(here.rstrip())
        if offset != col_end:
            return []
    else:
        return []
    want = _indent_for(doc, line, options)
    if want is None:
        return []
    start = doc.lines.line_start(line)
    text = doc.lines.line_text(line)
    have = _LEADING.match(text)
    assert have is not None
    if ch == doc.escape and have.group():
        return []  # the next line has its own indentation already
    if have.group() == want:
        return []
    return [Edit(Span(start, start + len(have.group())), want)]
