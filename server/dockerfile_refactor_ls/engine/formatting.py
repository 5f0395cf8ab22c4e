"""Document and range formatting that never changes what BuildKit builds.

What it does, instruction by instruction:

- **Keywords in upper case** (``from`` -> ``FROM``, the ``ONBUILD`` payload's keyword and the ``AS``
  of ``FROM ... AS name`` too). BuildKit reads keywords case-insensitively and its own
  ``ConsistentInstructionCasing`` check, like the Dockerfile reference, prefers upper case; we
  format to upper case even in an all-lower-case file rather than guess per file.
- **No indentation before the keyword**, and **one space** between the keyword, each ``--flag`` and
  the arguments (also between ``FROM``'s image, ``AS`` and name). BuildKit splits and trims there, so
  the amount of blank is meaningless.
- **Continuation lines indented consistently**: the least indented continuation line of an
  instruction moves to one indentation unit (``tabSize`` spaces, or a tab with
  ``insertSpaces: false``) and the others keep their indentation relative to it, so nested shell
  blocks stay readable.
- **Trailing whitespace removed** (``trimTrailingWhitespace`` may turn this off), and optionally a
  final newline inserted / extra final newlines trimmed (``insertFinalNewline`` /
  ``trimFinalNewlines``).

What it never touches: heredoc bodies and terminators, the text of comments, JSON (exec-form)
arrays, instructions BuildKit would reject (they are left exactly as written), and whitespace that
is part of a value. The joined line of a continued instruction includes each continuation line's
indentation, so a continuation line is re-indented only when that indentation sits *between* two
words (outside quotes, and with blank on at least one side of the line break, so words never get
glued or split) in an instruction whose values are whitespace-separated words or a shell command:
``RUN``/``CMD``/``ENTRYPOINT``/``SHELL``/``HEALTHCHECK`` in shell form, ``COPY``/``ADD``/``VOLUME``/
``EXPOSE``/``FROM`` and ``ARG``/``ENV``/``LABEL`` in ``key=value`` form. Old-style ``ENV key value``,
``USER``, ``WORKDIR``, ``MAINTAINER`` and ``STOPSIGNAL`` take the rest of the line verbatim and keep
their continuation lines as they are.

Edits are minimal: one per changed stretch of blank or per keyword; an already formatted document
gets none, and formatting is idempotent.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import astuple, dataclass
from itertools import pairwise

from .findings import Edit
from .model import Dockerfile
from .parser import KNOWN_INSTRUCTIONS, Instruction
from .text import Span

_BLANK = re.compile(r"[ \t]*")
_LONE_CR = re.compile(r"\r(?!\n)")
_TRAILING = re.compile(r"[ \t]+\Z")
# A line's trailing blanks (before the CRs of its line break): where _trailing_whitespace looks.
_TRAILING_ON_LINE = re.compile(r"[ \t]+\r*(?=\n|\Z)")
# An instruction's edits when it has none (most have none): one list, never appended to.
_NONE: list[tuple[int, int, str]] = []
# A comment that is, or with its trailing blank would be, a parser directive (``#escape= `` is
# an error, ``#escape=`` is a plain comment): its trailing blank is left alone.
_DIRECTIVE_LIKE = re.compile(r"[ \t]*#[ \t]*[A-Za-z][A-Za-z0-9]*[ \t]*=")
_KNOWN = frozenset(KNOWN_INSTRUCTIONS)
# Instructions whose continuation-line indentation can move (see the module docstring).
_SHELL_LIKE = frozenset(("run", "cmd", "entrypoint", "shell", "healthcheck"))
_WORD_LISTS = frozenset(("copy", "add", "volume", "expose", "from"))
_KEY_VALUES = frozenset(("arg", "env", "label"))


@dataclass(frozen=True, slots=True)
class FormatOptions:
    tab_size: int = 4
    insert_spaces: bool = True
    trim_trailing_whitespace: bool = True
    insert_final_newline: bool = False
    trim_final_newlines: bool = False

    @property
    def unit(self) -> int:
        return max(1, min(self.tab_size, 16))

    def indent(self, columns: int) -> str:
        if self.insert_spaces:
            return " " * columns
        size = self.unit
        return "\t" * (columns // size) + " " * (columns % size)


def format_document(doc: Dockerfile, options: FormatOptions | None = None) -> list[Edit]:
    return _Formatter(doc, options or FormatOptions()).run()


def format_range(doc: Dockerfile, span: Span, options: FormatOptions | None = None) -> list[Edit]:
    """The edits of :func:`format_document` that fall in ``span``, widened to whole lines and whole
    instructions (an instruction's continuation lines are indented relative to each other). Only
    the instructions and lines of that stretch are looked at (a selection in a 10 MB file)."""
    text = doc.text
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    end = len(text) if end < 0 else end
    instructions = doc.instructions
    for k in range(doc.first_ending_at(start), len(instructions)):
        ins = instructions[k]
        if ins.span.end < start:
            continue
        if ins.span.start > end:
            break
        start = min(start, text.rfind("\n", 0, ins.span.start) + 1)
        end = max(end, ins.span.end)
    limit = end + _line_break_len(text, end)
    edits = _Formatter(doc, options or FormatOptions(), (start, limit)).run()
    return [e for e in edits if start <= e.span.start and e.span.end <= limit]


def _line_break_len(text: str, pos: int) -> int:
    if text.startswith("\r\n", pos):
        return 2
    return 1 if text.startswith(("\n", "\r"), pos) else 0


# Go's unicode.IsSpace, which BuildKit uses to find blank and comment lines.
_GO_SPACES = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _is_comment(line: str) -> bool:
    return line.lstrip(_GO_SPACES).startswith("#")


def _visual_width(blank: str, tab_size: int) -> int:
    col = 0
    for ch in blank:
        col = (col // tab_size + 1) * tab_size if ch == "\t" else col + 1
    return col


class _QuoteTracker:
    """Whether a point of a joined line lies inside quotes (shell / BuildKit word rules)."""

    def __init__(self, esc: str) -> None:
        self.esc = esc
        self.quote = ""
        self.pending_escape = False
        self._specials = re.compile("[" + re.escape("'\"" + esc) + "]")

    def feed(self, s: str) -> None:
        specials = self._specials
        i = 0
        n = len(s)
        if self.pending_escape and n:
            self.pending_escape = False
            i = 1
        while i < n:
            if self.quote == "'":
                j = s.find("'", i)
                if j < 0:
                    return
                self.quote = ""
                i = j + 1
                continue
            m = specials.search(s, i)
            if m is None:
                return
            ch = m.group()
            i = m.end()
            if ch == self.esc:
                if i >= n:
                    self.pending_escape = True
                    return
                i += 1
            elif self.quote == '"':
                if ch == '"':
                    self.quote = ""
            elif ch in "'\"":
                self.quote = ch

    @property
    def outside(self) -> bool:
        return not self.quote and not self.pending_escape


class _Formatter:
    def __init__(self, doc: Dockerfile, options: FormatOptions, within: tuple[int, int] | None = None) -> None:
        self.doc = doc
        self.text = doc.text
        self.opts = options
        self.edits: list[Edit] = []
        esc = re.escape(doc.escape)
        self.continuation = re.compile(rf"([^{esc}]){esc}[ \t]*\Z|^{esc}[ \t]*\Z")
        # Only what meets ``within`` (whole lines and instructions, format_range): the edits
        # outside it are not wanted, and finding them cost a walk of the whole document.
        self.within = within
        self.instructions = doc.instructions if within is None else doc.instructions_between(*within)
        # Heredoc bodies and terminators: never touched (a body lies inside its instruction's span).
        protected: list[tuple[int, int]] = []
        for ins in self.instructions:
            for heredoc in (ins.sub if ins.sub is not None else ins).heredocs:
                end = heredoc.terminator.end if heredoc.terminator is not None else len(self.text)
                protected.append((heredoc.body.start, end))
        protected.sort()
        self.protected_starts = [p[0] for p in protected]
        self.protected = protected
        # What an instruction's kept edits depend on besides its own lines. (An instruction is
        # never moved onto or off line 1, where a BOM matters: an edit before it re-parses the
        # whole file.)
        self.cache_key = (*astuple(options), doc.escape)  # (plain values: compared in C)

    def is_protected(self, offset: int) -> bool:
        i = bisect_right(self.protected_starts, offset) - 1
        return i >= 0 and self.protected[i][0] <= offset < max(self.protected[i][1], self.protected[i][0] + 1)

    def replace(self, start: int, end: int, new: str) -> None:
        if self.text[start:end] != new:
            self.edits.append(Edit(Span(start, end), new))

    def run(self) -> list[Edit]:
        for ins in self.instructions:
            self._instruction_edits(ins)
        self._trailing_whitespace()
        self._final_newlines()
        self.edits.sort(key=lambda e: (e.span.start, e.span.end))
        return self.edits

    # -- per instruction ------------------------------------------------------------------------

    def _instruction_edits(self, ins: Instruction) -> None:
        """The instruction's own edits, kept on it relative to its start: they read only its own
        lines, which an incremental re-parse reuses only while they are unchanged, so formatting
        on save after a keystroke in a long file re-formats the instructions parsed again (at
        50,000 stages the whole pass took 0.75 s, most of it here)."""
        base = ins.span.start
        key = self.cache_key
        saved = ins.cache.get("format")
        if isinstance(saved, tuple) and saved[0] == key:
            relative: list[tuple[int, int, str]] = saved[1]
            if relative:
                self.edits += [Edit(Span(base + a, base + b), new) for a, b, new in relative]
            return
        before = len(self.edits)
        if self._formattable(ins):
            self._instruction(ins)
        edits = self.edits
        relative = [(e.span.start - base, e.span.end - base, e.new_text) for e in edits[before:]] if len(edits) > before else _NONE
        ins.cache["format"] = (key, relative)

    def _formattable(self, ins: Instruction) -> bool:
        if ins.error is not None or ins.cmd not in _KNOWN:
            return False
        for target in (ins, ins.sub):
            if target is None:
                continue
            ks = target.keyword_span
            if self.text[ks.start : ks.end] != target.keyword or not target.keyword.isalpha():
                return False
            if target.cmd not in _KNOWN:
                return False
        return not (ins.cmd == "onbuild" and ins.sub is None)

    def _instruction(self, ins: Instruction) -> None:
        text = self.text
        ks = ins.keyword_span
        # Indentation before the keyword.
        line_start = text.rfind("\n", 0, ks.start) + 1
        if line_start == 0 and text.startswith("\ufeff"):
            line_start = 1
        if line_start < ks.start and _BLANK.fullmatch(text, line_start, ks.start):
            self.replace(line_start, ks.start, "")
        # Keywords, then one space between the keyword, the flags and the arguments.
        self.replace(ks.start, ks.end, ins.keyword.upper())
        tokens: list[Span] = [ks]
        target = ins
        if ins.sub is not None:
            target = ins.sub
            sk = target.keyword_span
            self.replace(sk.start, sk.end, target.keyword.upper())
            tokens.append(sk)
        tokens += [f.span for f in target.flags]
        args = target.args
        if target.cmd == "from" and len(args) == 3 and args[1].value.lower() == "as":
            as_span = args[1].span
            if text[as_span.start : as_span.end].lower() == "as":
                self.replace(as_span.start, as_span.end, "AS")
            tokens += [a.span for a in args]
        elif target.cmd in ("copy", "add", "from") and not target.json and not any(q in target.args_text for q in "'\""):
            # Whitespace-separated words (BuildKit splits them on any blank).
            tokens += [a.span for a in args]
        elif target.args_text:
            start = target.args_span.start
            tokens.append(Span(start, start))  # where the arguments begin; nothing after it is ours
            for a, b in pairwise(tokens):
                self._gap(a.end, b.start)
            self._continuations(ins, target)
            return
        for a, b in pairwise(tokens):
            self._gap(a.end, b.start)
        self._gap(tokens[-1].end, None)
        self._continuations(ins, target)

    def _gap(self, end: int, nxt: int | None) -> None:
        """Make the blank after a token one space: before the next token on the same line, or before
        a line-continuation escape when the next token is on a later line."""
        text = self.text
        m = _BLANK.match(text, end)
        assert m is not None
        blank_end = m.end()
        if blank_end == end:
            return
        if nxt is not None and blank_end == nxt:
            self.replace(end, blank_end, " ")
            return
        esc = self.doc.escape
        if text.startswith(esc, blank_end) and (nxt is None or nxt > blank_end):
            after = _BLANK.match(text, blank_end + 1)
            assert after is not None
            k = after.end()
            if k == len(text) or text[k] in "\r\n":
                self.replace(end, blank_end, " ")

    def _continuations(self, ins: Instruction, target: Instruction) -> None:
        text = self.text
        cmd = target.cmd
        if target.json or ins.line_span is None:
            return
        if cmd in _KEY_VALUES:
            if cmd != "arg" and any(kv.separator != "=" for kv in target.pairs):
                return  # old ENV/LABEL form: the value is the rest of the line, blanks included
        elif cmd not in _SHELL_LIKE and cmd not in _WORD_LISTS:
            return
        first_start = text.rfind("\n", 0, ins.keyword_span.start) + 1
        region_end = ins.line_span.end
        if text.find("\n", first_start, region_end) < 0:
            return
        if _LONE_CR.search(text, first_start, region_end):
            return  # a lone CR: editors and BuildKit would count lines differently
        # Walk the physical lines the way the parser does, joining pieces.
        tracker = _QuoteTracker(self.doc.escape)
        joined_tail = ""  # the last character of the joined line so far
        candidates: list[tuple[int, int, int, bool]] = []  # (line start, blank end, column, is comment)
        pos = first_start
        first = True
        while pos <= region_end:
            nl = text.find("\n", pos)
            raw_end = len(text) if nl < 0 else nl
            content_end = raw_end
            while content_end > pos and text[content_end - 1] in "\r\n":
                content_end -= 1
            raw = text[pos:content_end]
            m = _BLANK.match(raw)
            assert m is not None
            lead = m.end()
            if first:
                piece_src = raw
                first = False
            elif not raw.strip(_GO_SPACES):
                piece_src = None  # blank continuation line: skipped by BuildKit
            elif _is_comment(raw):
                piece_src = None  # dropped by BuildKit; its indentation is free
                if raw[lead] == "#":
                    candidates.append((pos, pos + lead, _visual_width(raw[:lead], self.opts.unit), True))
            else:
                piece_src = raw
                glued = lead == 0 and not joined_tail.isspace()
                if tracker.outside and not glued and lead < len(raw) and not raw[lead].isspace():
                    candidates.append((pos, pos + lead, _visual_width(raw[:lead], self.opts.unit), False))
            if piece_src is not None:
                cm = self.continuation.search(piece_src)
                piece = piece_src if cm is None else piece_src[: cm.start()] + (cm.group(1) or "")
                tracker.feed(piece)
                if piece:
                    joined_tail = piece[-1]
                if cm is None:
                    break
            if nl < 0:
                break
            pos = nl + 1
        if not tracker.outside:
            return  # unbalanced quotes: we cannot tell where words are; leave it alone
        code_cols = [c[2] for c in candidates if not c[3]]
        if not code_cols:
            return
        base = min(code_cols)
        unit = self.opts.unit
        for line_start, blank_end, col, _comment in candidates:
            new_col = max(unit, unit + col - base)
            self.replace(line_start, blank_end, self.opts.indent(new_col))

    # -- whole document -------------------------------------------------------------------------

    def _trailing_whitespace(self) -> None:
        if not self.opts.trim_trailing_whitespace:
            return
        text = self.text
        pos = 0
        n = len(text)
        if self.within is not None:
            pos = text.rfind("\n", 0, self.within[0]) + 1
            n_stop = self.within[1]
            line_end = text.find("\n", n_stop)
            endpos = n if line_end < 0 else line_end
        else:
            n_stop = endpos = n
        # Only the lines that end in blanks (one match each), found by one scan of the text: most
        # lines have none, and looking at every line was a sixth of formatting a long file.
        for candidate in _TRAILING_ON_LINE.finditer(text, pos, endpos):
            line_start = text.rfind("\n", 0, candidate.start()) + 1
            if line_start > n_stop:
                break
            self._trim_line(line_start, text.find("\n", candidate.start()))

    def _trim_line(self, pos: int, nl: int) -> None:
        """Trim the blanks that end the line starting at ``pos`` (its line feed at ``nl``, -1 on
        the last line), unless they are part of what the line means."""
        text = self.text
        raw_end = len(text) if nl < 0 else nl
        content_end = raw_end
        while content_end > pos and text[content_end - 1] in "\r\n":
            content_end -= 1
        if self.is_protected(pos) or _DIRECTIVE_LIKE.match(text, pos, content_end):
            return
        m = _TRAILING.search(text, pos, content_end)
        # A blank last line without a line break still counts as a (blank continuation) line of
        # the instruction before it; emptied, it would be no line at all.
        last_blank = nl < 0 and m is not None and m.start() == pos and not self.opts.insert_final_newline
        # A blank after a lone CR: removing it would make that CR end the line for BuildKit (a
        # trailing escape before it would start continuing the line).
        after_cr = m is not None and m.start() > pos and text[m.start() - 1] == "\r"
        if m is not None and not after_cr and not (last_blank and self.doc.instruction_at(pos) is not None):
            self.replace(m.start(), m.end(), "")

    def _final_newlines(self) -> None:
        text = self.text
        if not text:
            return
        last = self.doc.instructions[-1] if self.doc.instructions else None
        if last is not None and last.error is not None:
            return  # e.g. an unterminated heredoc runs to the end of the file
        ends_with_break = text.endswith(("\n", "\r"))
        if self.opts.trim_final_newlines:
            content_end = len(text.rstrip(" \t\r\n"))
            tail = text[content_end:]
            m = re.search(r"\r\n|\n|\r", tail)
            if m is not None and m.end() < len(tail) and not _LONE_CR.search(tail):
                cut = content_end + m.end()
                if last is not None:
                    # Blank lines that continue the last instruction stay (they are its lines).
                    cut = max(cut, last.span.end + _line_break_len(text, last.span.end))
                if cut < len(text):
                    self.edits = [e for e in self.edits if e.span.end <= cut]
                    self.replace(cut, len(text), "")
                    ends_with_break = True
        if self.opts.insert_final_newline and not ends_with_break:
            last_line_start = max(text.rfind("\n"), text.rfind("\r")) + 1
            emptied = any(e.span.start == last_line_start and e.span.end == len(text) and not e.new_text for e in self.edits)
            if not emptied or (last is not None and last.span.end >= last_line_start):
                self.edits.append(Edit(Span(len(text), len(text)), self.doc.line_ending))
