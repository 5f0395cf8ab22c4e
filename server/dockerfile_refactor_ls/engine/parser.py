"""A Dockerfile splitter that follows BuildKit's parser rule for rule, with source spans.

BuildKit (``frontend/dockerfile/parser``) reads physical lines, strips parser directives and
comments, joins continuation lines, splits off the keyword and ``--flags`` and hands the rest to a
per-instruction "line parser", then collects heredoc bodies. This module does the same, in the same
order and with the same quirks (comment lines inside continuations vanish, blank continuation lines
only warn, an unescaped trailing escape continues the line, JSON arrays are read with a streaming
decoder that ignores trailing text, and so on), and in addition records the exact span of every
piece it produces, which BuildKit does not.

Two deliberate differences, both for an editor's sake:
- BuildKit stops at the first error. We record the error on the instruction (or the directive) and
  go on, so a half-typed line does not blank out every later diagnostic.
- Positions are absolute offsets into the document string; :mod:`.text` turns them into LSP ranges.

The official parser (PyPI ``dockerfile``) is the oracle in ``tests/test_buildkit_agreement.py``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .text import GO_SPACE_CHARS, Span, go_is_space, go_trim_space

BOM = "\ufeff"
VALID_DIRECTIVES = ("syntax", "escape", "check")

# Instruction keywords BuildKit dispatches; anything else is parsed but ignored by its parser and
# rejected when the build runs (we report it as a syntax error).
KNOWN_INSTRUCTIONS = (
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
)
HEREDOC_INSTRUCTIONS = frozenset(("add", "copy", "run"))

_TOKEN_WS = re.compile(r"[\t\v\f\r ]+")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_DIRECTIVE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")


class NotStringArrayError(ValueError):
    pass


@dataclass(slots=True)
class Token:
    """One value BuildKit produces for an instruction, with where it came from."""

    value: str
    span: Span


@dataclass(slots=True)
class Flag:
    """A ``--name=value`` builder flag. ``raw`` is what BuildKit reports (quotes removed).

    Only ``span`` is stored as a document position; the name's and the value's spans are kept as
    offsets from its start, so moving a flag (incremental parsing moves every instruction after
    an edit, on each keystroke) moves one span, not three.
    """

    raw: str
    name: str
    value: str | None
    span: Span
    _name: tuple[int, int]
    _value: tuple[int, int] | None

    @classmethod
    def at(cls, raw: str, name: str, value: str | None, span: Span, name_span: Span, value_span: Span | None) -> Flag:
        s = span.start
        rel_value = None if value_span is None else (value_span.start - s, value_span.end - s)
        return cls(raw, name, value, span, (name_span.start - s, name_span.end - s), rel_value)

    @property
    def name_span(self) -> Span:
        s = self.span.start
        return Span(s + self._name[0], s + self._name[1])

    @property
    def value_span(self) -> Span | None:
        if self._value is None:
            return None
        s = self.span.start
        return Span(s + self._value[0], s + self._value[1])


@dataclass(slots=True)
class KeyValue:
    """One ``key=value`` (or old-style ``key value``) of ENV, LABEL or ARG."""

    key: Token
    value: Token | None
    separator: str  # "=", "" (old ENV/LABEL form) or "" for a bare ARG name


@dataclass(slots=True)
class Heredoc:
    name: str
    fd: int
    chomp: bool
    expand: bool
    content: str
    marker: Span  # the ``<<EOF`` word on the instruction line
    body: Span  # the lines between the marker line and the terminator
    terminator: Span | None  # None when unterminated


@dataclass(slots=True)
class Directive:
    name: str
    value: str
    span: Span
    name_span: Span
    value_span: Span


@dataclass(slots=True)
class ParseIssue:
    message: str
    span: Span


@dataclass(slots=True, eq=False)
class Instruction:
    keyword: str  # as written
    cmd: str  # lower case
    keyword_span: Span
    flags: list[Flag]
    args: list[Token]  # BuildKit's value list (separators of ENV/LABEL left out)
    args_text: str  # what follows the flags, trimmed
    args_span: Span  # its source span (empty at the end of the keyword when there is none)
    json: bool
    span: Span  # keyword start to the end of the last line (terminator included)
    start_line: int  # BuildKit's 1-based line numbers
    end_line: int
    original: str  # the joined logical line
    pairs: list[KeyValue] = field(default_factory=list)
    heredocs: list[Heredoc] = field(default_factory=list)
    sub: Instruction | None = None  # the instruction an ONBUILD carries
    error: str | None = None
    comment_spans: list[Span] = field(default_factory=list)  # comment lines inside continuations
    line_span: Span | None = None  # the logical line only (no heredoc bodies)
    raw_start: int = 0  # start of its first physical line
    raw_end: int = 0  # start of the physical line after its last one
    # Derived data the engine computes once per instruction (its shell analysis, its variable
    # references), kept in offsets relative to ``span.start`` so it survives incremental
    # re-parsing (which reuses and shifts instructions). The rule runner keeps its own results
    # per instruction in rules/kept.py, not here.
    cache: dict[str, object] = field(default_factory=dict)

    def flag(self, name: str) -> Flag | None:
        for f in self.flags:
            if f.name.lower() == name:
                return f
        return None


@dataclass(slots=True)
class ParseResult:
    text: str
    instructions: list[Instruction]
    directives: list[Directive]
    comments: list[Span]
    errors: list[ParseIssue]  # errors not tied to one instruction (directives, empty file)
    warnings: list[ParseIssue]  # empty continuation lines
    escape: str
    bom: bool
    # How many leading instructions are those of the parse this one was made from by
    # ``parse_incremental`` (or of the prefix parse it handed over), the very objects; 0 otherwise.
    kept: int = 0
    # How many of that parse's instructions after the kept ones were parsed again, and how many
    # this one has in their place.
    replaced: tuple[int, int] = (0, 0)

    @property
    def all_errors(self) -> Iterator[ParseIssue]:
        yield from self.errors
        for ins in self.instructions:
            if ins.error:
                yield ParseIssue(ins.error, ins.line_span or ins.span)
            if ins.sub is not None and ins.sub.error:
                yield ParseIssue(ins.sub.error, ins.sub.line_span or ins.sub.span)


class _OffsetMap:
    """Maps indices of a joined logical line back to document offsets."""

    __slots__ = ("_abs", "_base", "_log")

    def __init__(self, segments: list[tuple[int, int]]) -> None:
        self._log = [s[0] for s in segments]
        self._abs = [s[1] for s in segments]
        # A one-line instruction (the common case) maps by one addition: every token's span of
        # every instruction comes through ``span``, a sixth of a parse's time before.
        self._base = segments[0][1] if len(segments) == 1 else None

    def at(self, index: int) -> int:
        if self._base is not None:
            return self._base + index
        k = bisect_right(self._log, index) - 1
        k = max(k, 0)
        return self._abs[k] + (index - self._log[k])

    def span(self, start: int, end: int) -> Span:
        base = self._base
        if base is not None:
            return Span(base + start, base + (end if end > start else start))
        if end <= start:
            a = self.at(start)
            return Span(a, a)
        return Span(self.at(start), self.at(end - 1) + 1)


class _Directives:
    """BuildKit's DirectiveParser plus its escape-token state."""

    def __init__(self) -> None:
        self.done = False
        self.seen: set[str] = set()
        self.escape = "\\"
        self._cont = self._continuation_regex("\\")

    @staticmethod
    def _continuation_regex(esc: str) -> re.Pattern[str]:
        e = re.escape(esc)
        return re.compile(rf"([^{e}]){e}[ \t]*\Z|^{e}[ \t]*\Z")

    def trim_continuation(self, line: str) -> tuple[str, bool]:
        m = self._cont.search(line)
        if m is None:
            return line, True
        return line[: m.start()] + (m.group(1) or ""), False

    def parse_line(self, line: str, base: int) -> tuple[Directive | None, str | None]:
        if self.done:
            return None, None
        if not line.startswith("#"):
            self.done = True
            return None, None
        i = 1
        while i < len(line) and go_is_space(line[i]):
            i += 1
        m = _DIRECTIVE.match(line, i)
        if m is None:
            self.done = True
            return None, None
        key = m.group(1).lower()
        if key not in VALID_DIRECTIVES:
            self.done = True
            return None, None
        d = Directive(
            key,
            m.group(2),
            Span(base, base + len(line)),
            Span(base + m.start(1), base + m.end(1)),
            Span(base + m.start(2), base + m.end(2)),
        )
        if key in self.seen:
            return d, f"only one {key} parser directive can be used"
        self.seen.add(key)
        if key == "escape":
            value = m.group(2)
            if value not in ("`", "\\"):
                return d, f"invalid escape token '{value}' does not match ` or \\"
            self.escape = value
            self._cont = self._continuation_regex(value)
        return d, None


def _is_comment(line: str) -> bool:
    return line.lstrip(GO_SPACE_CHARS).startswith("#")


def _trim_newline(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return end


# How many instructions the parser makes between two calls of its ``checkpoint``.
CHECKPOINT_INSTRUCTIONS = 512


def parse(text: str, checkpoint: Callable[[], object] | None = None) -> ParseResult:
    """Split a whole Dockerfile into instructions the way BuildKit does.

    ``checkpoint`` is called every :data:`CHECKPOINT_INSTRUCTIONS` instructions: a thread that
    parses a huge file in the background can wait there while another needs the interpreter
    (the server's, while it loads pygls for a request: two busy threads share the GIL)."""
    return _Parser(text).run(checkpoint=checkpoint)


class _SyncPoints:
    """The old instructions that start past the edit, looked up by their offset in the new text.

    The parser asks at each physical line start, in increasing order, so a cursor walks the old
    instructions once (a dict of every later instruction cost 15-20 ms a keystroke at 50,000
    stages, before the edited line was even parsed)."""

    __slots__ = ("_delta", "_k", "_old", "_old_end")

    def __init__(self, old: list[Instruction], first: int, old_end: int, delta: int) -> None:
        self._old = old
        self._k = first
        self._old_end = old_end
        self._delta = delta

    def get(self, pos: int) -> int | None:
        old, k, delta = self._old, self._k, self._delta
        n = len(old)
        while k < n and (old[k].raw_start < self._old_end or old[k].raw_start + delta < pos):
            k += 1
        self._k = k
        if k < n and old[k].raw_start + delta == pos:
            return k
        return None


# Called by ``parse_incremental`` with the parse of the text up to the end of the stage after the
# edited one, before the rest is moved (see there).
PrefixHook = Callable[["ParseResult"], None]


def parse_incremental(
    prev: ParseResult,
    text: str,
    start: int,
    old_end: int,
    new_end: int,
    on_prefix: PrefixHook | None = None,
    prefix_after: int = 0,
) -> ParseResult:
    """Re-parse after ``prev.text[start:old_end]`` became ``text[start:new_end]``.

    Only the instructions the edit can affect are parsed again: parsing resumes at the first
    instruction that reaches the edited line and stops as soon as it is back in step with the old
    parse (at a line start past the edit where an old instruction began); the old instructions
    after that point are reused with their spans shifted. ``prev`` is consumed (its instructions are
    shifted in place). The result equals ``parse(text)``; ``tests/test_incremental_parse.py`` checks
    that on random edits.

    ``on_prefix``, when given, is called before the old instructions are moved (most of the time a
    keystroke takes in a long file) with the parse of ``text`` up to the stage after the edited
    one: the old instructions before the edit, the re-parsed ones, and the moved ones up to that
    stage's end (it equals ``parse`` of that text; its ``kept`` counts the leading instructions
    shared with ``prev``). With ``prefix_after``, the prefix goes on to the end of the stage that
    holds the character that many characters after the edit (the screenful below it), or of the
    last stage but one. Not called when re-parsing ran on to the end of the text or the stage
    after the edited one is the last.
    """
    old = prev.instructions
    if prev.errors or not old or (prev.directives and start <= prev.directives[-1].span.end):
        return parse(text)
    old_text = prev.text
    line_start = old_text.rfind("\n", 0, start) + 1
    # The first instruction whose physical lines reach the edited line. One that runs to the end
    # of the text (an unterminated heredoc, a trailing continuation) may swallow appended text.
    lo, hi = 0, len(old)
    eof = len(old_text)
    while lo < hi:
        mid = (lo + hi) // 2
        if old[mid].raw_end <= line_start and old[mid].raw_end < eof:
            lo = mid + 1
        else:
            hi = mid
    first = lo
    if first == 0:
        return parse(text)
    resume = min(line_start, old[first].raw_start) if first < len(old) else line_start
    prev_ins = old[first - 1]
    if prev_ins.raw_end > resume:
        return parse(text)
    delta = new_end - old_end
    # Old instruction starts past the edit, by their offset in the new text.
    sync_points = _SyncPoints(old, first, old_end, delta)
    lines_before = prev_ins.end_line + old_text.count("\n", prev_ins.raw_end, resume)
    parser = _Parser(text, resume, lines_before, prev.escape)
    parser.comments = [c for c in prev.comments if c.end <= resume]
    parser.warnings = [w for w in prev.warnings if w.span.end <= resume]
    parser.run(sync_points=sync_points, sync_from=new_end)
    instructions = old[:first] + parser.instructions
    comments = parser.comments
    warnings = parser.warnings
    if parser.synced is not None:
        k = parser.synced
        line_delta = parser.line_no - old[k].start_line + 1
        tail = old[k:]
        boundary = old[k].raw_start  # in the old text: not moved yet
        moved = 0
        if on_prefix is not None:
            stage_end = _stage_end_in(tail, new_end + prefix_after - delta)
            if stage_end is not None:
                for ins in tail[:stage_end]:
                    _shift(ins, delta, line_delta)
                moved = stage_end
                cut = tail[stage_end].raw_start + delta
                prefix = _prefix_parse(
                    prev, text, cut, instructions + tail[:stage_end], comments, warnings, boundary, delta, first
                )
                prefix.replaced = (k - first, len(parser.instructions))
                on_prefix(prefix)
        for ins in tail[moved:] if moved else tail:
            _shift(ins, delta, line_delta)
        instructions += tail
        comments += [Span(c.start + delta, c.end + delta) for c in prev.comments if c.start >= boundary]
        warnings += [
            ParseIssue(w.message, Span(w.span.start + delta, w.span.end + delta))
            for w in prev.warnings
            if w.span.start >= boundary
        ]
    errors: list[ParseIssue] = []
    if not instructions:
        errors.append(ParseIssue("file with no instructions", Span(len(text), len(text))))
    result = ParseResult(text, instructions, prev.directives, comments, errors, warnings, prev.escape, prev.bom, first)
    replaced = (parser.synced if parser.synced is not None else len(old)) - first
    result.replaced = (replaced, len(parser.instructions))
    return result


def _stage_end_in(instructions: list[Instruction], reach: int) -> int | None:
    """The index of the FROM among ``instructions`` that ends the prefix: the second FROM, or a
    later one when the second starts before ``reach`` (an offset in the old text) — the first
    that starts at or past it, else the last (a walk that stops there)."""
    seen = 0
    end: int | None = None
    for k, ins in enumerate(instructions):
        if ins.cmd == "from":
            seen += 1
            if seen >= 2:
                end = k
                if ins.raw_start >= reach:
                    break
    return end


def _prefix_parse(
    prev: ParseResult,
    text: str,
    cut: int,
    instructions: list[Instruction],
    comments: list[Span],
    warnings: list[ParseIssue],
    boundary: int,
    delta: int,
    kept: int,
) -> ParseResult:
    """The parse of ``text[:cut]`` from an incremental re-parse in progress: ``comments`` and
    ``warnings`` are those up to the re-parse's end, ``prev``'s from ``boundary`` on (old offsets)
    move by ``delta``."""
    old_cut = cut - delta
    lo = bisect_left(prev.comments, boundary, key=lambda c: c.start)
    head_comments = list(comments)
    for c in prev.comments[lo:]:
        if c.start >= old_cut:
            break
        head_comments.append(Span(c.start + delta, c.end + delta))
    head_warnings = list(warnings) + [
        ParseIssue(w.message, Span(w.span.start + delta, w.span.end + delta))
        for w in prev.warnings
        if boundary <= w.span.start < old_cut
    ]
    return ParseResult(
        text[:cut],
        instructions,
        prev.directives,
        head_comments,
        [],
        head_warnings,
        prev.escape,
        prev.bom,
        kept,
    )


def _s(span: Span, d: int) -> Span:
    return Span(span.start + d, span.end + d)


def _shift(ins: Instruction, d: int, line_delta: int, seen: set[int] | None = None) -> None:
    """Move an instruction (parsed from unchanged text) by ``d`` characters and ``line_delta`` lines.

    ``seen`` holds the tokens already moved: ONBUILD shares its payload's tokens, ENV/LABEL/ARG
    share theirs between ``args`` and ``pairs``. Every instruction after an edit comes through
    here on each keystroke, hence the inlined span arithmetic.
    """
    if d:
        S = Span
        sp = ins.keyword_span
        ins.keyword_span = S(sp.start + d, sp.end + d)
        sp = ins.args_span
        ins.args_span = S(sp.start + d, sp.end + d)
        sp = ins.span
        ins.span = S(sp.start + d, sp.end + d)
        sp2 = ins.line_span
        if sp2 is not None:
            ins.line_span = S(sp2.start + d, sp2.end + d)
        ins.raw_start += d
        ins.raw_end += d
        for f in ins.flags:  # its name's and value's spans are relative to its own
            sp = f.span
            f.span = S(sp.start + d, sp.end + d)
        if ins.pairs or ins.sub is not None or seen is not None:
            if seen is None:
                seen = set()
            tokens = [*ins.args, *(kv.key for kv in ins.pairs), *(kv.value for kv in ins.pairs if kv.value)]
            for t in tokens:
                if id(t) not in seen:
                    seen.add(id(t))
                    sp = t.span
                    t.span = S(sp.start + d, sp.end + d)
        else:
            for t in ins.args:
                sp = t.span
                t.span = S(sp.start + d, sp.end + d)
        for h in ins.heredocs:
            h.marker = _s(h.marker, d)
            h.body = _s(h.body, d)
            if h.terminator is not None:
                h.terminator = _s(h.terminator, d)
        if ins.comment_spans:
            ins.comment_spans = [S(c.start + d, c.end + d) for c in ins.comment_spans]
    ins.start_line += line_delta
    ins.end_line += line_delta
    if ins.sub is not None:
        _shift(ins.sub, d, line_delta, seen if seen is not None else set())


class _Parser:
    def __init__(self, text: str, pos: int = 0, line_no: int = 0, escape: str | None = None) -> None:
        self.text = text
        self.n = len(text)
        self.pos = pos  # offset of the next physical line
        self.line_no = line_no  # physical lines consumed so far (BuildKit numbers lines from 1)
        self.d = _Directives()
        if escape is not None:
            # Resuming after the first instruction: directives are over.
            self.d.done = True
            if escape != "\\":
                self.d.escape = escape
                self.d._cont = self.d._continuation_regex(escape)
        self.instructions: list[Instruction] = []
        self.directives: list[Directive] = []
        self.comments: list[Span] = []
        self.errors: list[ParseIssue] = []
        self.warnings: list[ParseIssue] = []
        self.bom = text.startswith(BOM)
        self.synced: int | None = None

    def next_line(self) -> tuple[int, int]:
        """Consume one physical line (BuildKit's scanner splits at "\\n" only); (start, content end)."""
        start = self.pos
        i = self.text.find("\n", start)
        raw_end = self.n if i < 0 else i + 1
        self.pos = raw_end
        self.line_no += 1
        return start, _trim_newline(self.text, start, raw_end)

    def directive(self, line: str, base: int) -> None:
        d, err = self.d.parse_line(line, base)
        if d is not None:
            self.directives.append(d)
        if err is not None and d is not None:
            self.errors.append(ParseIssue(err, d.span))

    def run(
        self, sync_points: _SyncPoints | None = None, sync_from: int = 0, checkpoint: Callable[[], object] | None = None
    ) -> ParseResult:
        text = self.text
        n = self.n
        while self.pos < n:
            if checkpoint is not None and len(self.instructions) % CHECKPOINT_INSTRUCTIONS == 0:
                checkpoint()
            if sync_points is not None and self.pos >= sync_from:
                k = sync_points.get(self.pos)
                if k is not None:
                    self.synced = k
                    break
            raw_start = self.pos
            start, end = self.next_line()
            if start == 0 and self.bom:
                start += 1
            # processLine(stripLeftWhitespace=true)
            first = text[start:end].lstrip(GO_SPACE_CHARS)
            lead = end - len(first)
            if not self.d.done:
                self.directive(first, lead)
            if first.startswith("#"):
                self.comments.append(Span(lead, end))
                continue
            start_line = self.line_no
            piece, eol = self.d.trim_continuation(first)
            if eol and not piece:
                continue
            segments = [(0, lead)]
            parts = [piece]
            length = len(piece)
            inner_comments: list[Span] = []
            empty_cont = False
            last_content_end = end
            while not eol and self.pos < n:
                cstart, cend = self.next_line()
                raw = text[cstart:cend]
                if not self.d.done:
                    self.directive(raw, cstart)
                stripped = raw.lstrip(GO_SPACE_CHARS)
                if stripped.startswith("#"):
                    inner_comments.append(Span(cend - len(stripped), cend))
                    continue
                if not stripped:
                    empty_cont = True
                    last_content_end = cend
                    continue
                piece, eol = self.d.trim_continuation(raw)
                segments.append((length, cstart))
                parts.append(piece)
                length += len(piece)
                last_content_end = cend
            line = "".join(parts)
            omap = _OffsetMap(segments)
            ins = _build_instruction(line, 0, omap, self.d.escape)
            ins.start_line = start_line
            ins.comment_spans = inner_comments
            ins.line_span = Span(ins.keyword_span.start, max(last_content_end, ins.keyword_span.start))
            if empty_cont:
                self.warnings.append(ParseIssue("Empty continuation line", ins.line_span))
            last_end = last_content_end
            target = ins.sub if (ins.cmd == "onbuild" and ins.sub is not None) else ins
            if ins.error is None and target.cmd in HEREDOC_INSTRUCTIONS and not target.json and "<<" in line:
                try:
                    docs = _heredocs_from_line(line)
                except ValueError as exc:
                    ins.error = str(exc)
                    docs = []
                for name, fd, chomp, expand, wstart, wend in docs:
                    body_start = self.pos
                    content: list[str] = []
                    terminator: Span | None = None
                    while self.pos < n:
                        hs, he = self.next_line()
                        candidate = text[hs:he]
                        if chomp:
                            candidate = candidate.lstrip("\t")
                        if candidate == name:
                            terminator = Span(hs, he)
                            last_end = he
                            break
                        content.append(text[hs : self.pos])
                        last_end = he
                    body_end = terminator.start if terminator else n
                    doc = Heredoc(
                        name,
                        fd,
                        chomp,
                        expand,
                        "".join(content),
                        omap.span(wstart, wend),
                        Span(body_start, body_end),
                        terminator,
                    )
                    target.heredocs.append(doc)
                    if terminator is None:
                        ins.error = "unterminated heredoc"
                        break
            ins.end_line = self.line_no
            ins.raw_start = raw_start
            ins.raw_end = self.pos
            ins.span = Span(ins.keyword_span.start, max(last_end, ins.keyword_span.start))
            if ins.sub is not None:
                ins.sub.start_line, ins.sub.end_line = ins.start_line, ins.end_line
                ins.sub.raw_start, ins.sub.raw_end = raw_start, self.pos
                ins.sub.line_span = Span(ins.sub.keyword_span.start, ins.line_span.end)
                ins.sub.span = Span(ins.sub.keyword_span.start, ins.span.end)
            self.instructions.append(ins)
        if not self.instructions and sync_points is None:
            self.errors.append(ParseIssue("file with no instructions", Span(n, n)))
        return ParseResult(
            text,
            self.instructions,
            self.directives,
            self.comments,
            self.errors,
            self.warnings,
            self.d.escape,
            self.bom,
        )


# --- splitCommand / extractBuilderFlags ---------------------------------------------------------


def _byte_space_mask(line: str) -> list[bool] | None:
    """Per character: does BuildKit's byte-wise ``unicode.IsSpace(rune(line[i]))`` see a space?

    extractBuilderFlags and parseHealthConfig index the line by byte, so a UTF-8 continuation
    byte 0x85 or 0xA0 (as in "à" or "Å") counts as whitespace there, while a real U+00A0 does not
    (its first byte is 0xC2). None for ASCII lines, where bytes and characters agree.
    """
    if line.isascii():
        return None
    mask = []
    for ch in line:
        if ch.isascii():
            mask.append(go_is_space(ch))
        else:
            mask.append(any(b in (0x85, 0xA0) for b in ch.encode("utf-8", "surrogatepass")))
    return mask


def _is_byte_space(line: str, mask: list[bool] | None, i: int) -> bool:
    return mask[i] if mask is not None else line[i] in " \t\n\v\f\r"


def _split_flags(line: str, base: int) -> tuple[int, list[tuple[str, int, int]]]:
    """BuildKit's extractBuilderFlags: the index where arguments start, and the flag words.

    Each flag word is ``(value, start, end)`` with quotes and backslashes processed as BuildKit does
    (always backslash, whatever the escape directive says), indices relative to ``line``.
    """
    words: list[tuple[str, int, int]] = []
    n = len(line)
    pos = 0
    mask = _byte_space_mask(line)
    while True:
        # Looking for the next word: a non-ASCII character's lead byte is never a space and never
        # "-", so it ends the flags.
        while pos < n and line[pos] in " \t\n\v\f\r":
            pos += 1
        if pos >= n:
            return n, words
        if line[pos] != "-" or pos + 1 >= n or line[pos + 1] != "-":
            return pos, words
        wstart = pos
        buf: list[str] = []
        blank_ok = False
        quote = ""
        while pos < n:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                    pos += 1
                    continue
                if ch == "\\":
                    if pos + 1 == n:
                        pos += 1
                        quote = ""
                        continue
                    pos += 1
                    ch = line[pos]
                buf.append(ch)
                pos += 1
                continue
            if _is_byte_space(line, mask, pos):
                break
            if ch in "'\"":
                quote = ch
                blank_ok = True
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            buf.append(ch)
            pos += 1
        word = "".join(buf)
        if word == "--":
            if pos >= n:
                return n, words
            return pos, words
        if blank_ok or word:
            words.append((word, base + wstart, base + pos))
        if pos >= n:
            return n, words


# --- line parsers ----------------------------------------------------------------------------


def _parse_words(rest: str, esc: str) -> list[tuple[str, int, int]]:
    """BuildKit's parseWords: whitespace-separated words, quotes kept, with their bounds."""
    words: list[tuple[str, int, int]] = []
    n = len(rest)
    pos = 0
    while pos < n:
        while pos < n and go_is_space(rest[pos]):
            pos += 1
        if pos >= n:
            break
        wstart = pos
        buf: list[str] = []
        blank_ok = False
        quote = ""
        in_quote = False
        while pos < n:
            ch = rest[pos]
            if in_quote:
                if ch == quote:
                    in_quote = False
            elif go_is_space(ch):
                break
            elif ch in "'\"":
                quote = ch
                blank_ok = True
                in_quote = True
            # The escape character escapes outside quotes and inside double quotes (never a quote
            # character itself, so the state above is the one it is read in).
            if ch == esc and not (in_quote and quote == "'"):
                if pos + 1 == n:
                    in_quote = False  # an escape at the very end is dropped, and ends a quote
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
            buf.append(ch)
            pos += 1
        if blank_ok or buf:
            words.append(("".join(buf), wstart, pos))
    return words


def _ws_split(rest: str) -> list[tuple[str, int, int]]:
    if not rest:
        return []
    out: list[tuple[str, int, int]] = []
    pos = 0
    for m in _TOKEN_WS.finditer(rest):
        out.append((rest[pos : m.start()], pos, m.start()))
        pos = m.end()
    out.append((rest[pos:], pos, len(rest)))
    return out


_JSON_DECODER = json.JSONDecoder(parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))


def _parse_json(rest: str) -> list[tuple[str, int, int]] | None:
    """BuildKit's parseJSON. None when ``rest`` is not a JSON array (BuildKit then falls back).

    Raises NotStringArrayError for a JSON array with a non-string element, which BuildKit rejects.
    """
    i = 0
    n = len(rest)
    while i < n and go_is_space(rest[i]):
        i += 1
    if i >= n or rest[i] != "[":
        return None
    try:
        value, _end = _JSON_DECODER.raw_decode(rest, i)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise NotStringArrayError("when using JSON array syntax, arrays must be comprised of strings only")
    # Recover each string literal's bounds: the array is known to hold only strings.
    out: list[tuple[str, int, int]] = []
    pos = i + 1
    for v in value:
        pos = rest.index('"', pos)
        j = pos + 1
        while rest[j] != '"':
            j += 2 if rest[j] == "\\" else 1
        out.append((v, pos, j + 1))
        pos = j + 1
    return out


def _key_values_env(rest: str, rbase: int, esc: str, key: str) -> tuple[list[KeyValue], str | None]:
    words = _parse_words(rest, esc)
    if not words:
        return [], None
    if "=" not in words[0][0]:
        parts = _TOKEN_WS.split(rest, maxsplit=1)
        if len(parts) < 2:
            return [], f"{key} must have two arguments"
        m = _TOKEN_WS.search(rest)
        assert m is not None
        k = Token(parts[0], Span(rbase, rbase + len(parts[0])))
        v = Token(parts[1], Span(rbase + m.end(), rbase + len(rest)))
        return [KeyValue(k, v, "")], None
    pairs: list[KeyValue] = []
    for word, ws, we in words:
        if "=" not in word:
            return pairs, f"Syntax error - can't find = in {json.dumps(word)}. Must be of the form: name=value"
        eq = word.index("=")
        k = Token(word[:eq], Span(rbase + ws, rbase + ws + eq))
        v = Token(word[eq + 1 :], Span(rbase + ws + eq + 1, rbase + we))
        pairs.append(KeyValue(k, v, "="))
    return pairs, None


def _build_instruction(line: str, lstart: int, omap: _OffsetMap, esc: str) -> Instruction:
    """newNodeFromLine for ``line`` (a slice of the logical line that starts at ``lstart``)."""
    a, b = go_trim_space(line)
    trimmed = line[a:b]
    m = _TOKEN_WS.search(trimmed)
    keyword = trimmed[: m.start()] if m else trimmed
    kstart = lstart + a
    keyword_span = omap.span(kstart, kstart + len(keyword))
    cmd = keyword.lower()
    flags: list[Flag] = []
    args_text = ""
    args_lstart = kstart + len(keyword)
    error: str | None = None
    if m is not None:
        rest = trimmed[m.end() :]
        rest_l = kstart + m.end()
        arg_index, words = _split_flags(rest, rest_l)
        for raw, ws, we in words:
            body = raw[2:] if raw.startswith("--") else raw
            name, eq, value = body.partition("=")
            src_eq = line.find("=", ws - lstart, we - lstart)
            if eq and src_eq != -1:
                name_span = omap.span(ws, lstart + src_eq)
                value_span: Span | None = omap.span(lstart + src_eq + 1, we)
            else:
                name_span = omap.span(ws, we)
                value_span = None
            flags.append(Flag.at(raw, name, value if eq else None, omap.span(ws, we), name_span, value_span))
        rem = rest[arg_index:]
        ra, rb = go_trim_space(rem)
        args_text = rem[ra:rb]
        args_lstart = rest_l + arg_index + ra
    args_span = omap.span(args_lstart, args_lstart + len(args_text))

    def tok(value: str, s: int, e: int) -> Token:
        return Token(value, omap.span(args_lstart + s, args_lstart + e))

    args: list[Token] = []
    pairs: list[KeyValue] = []
    is_json = False
    sub: Instruction | None = None
    rest = args_text
    try:
        if cmd in ("add", "copy", "volume"):
            parsed = _parse_json(rest)
            if parsed is not None:
                is_json = True
                args = [tok(v, s, e) for v, s, e in parsed]
            else:
                args = [tok(v, s, e) for v, s, e in _ws_split(rest)]
        elif cmd in ("cmd", "entrypoint", "run", "shell"):
            if rest:
                parsed = _parse_json(rest)
                if parsed is not None:
                    is_json = True
                    args = [tok(v, s, e) for v, s, e in parsed]
                else:
                    args = [tok(rest, 0, len(rest))]
        elif cmd in ("expose", "from"):
            args = [tok(v, s, e) for v, s, e in _ws_split(rest)]
        elif cmd in ("maintainer", "stopsignal", "user", "workdir"):
            if rest:
                args = [tok(rest, 0, len(rest))]
        elif cmd == "arg":
            for v, s, e in _parse_words(rest, esc):
                args.append(tok(v, s, e))
                name, eq, default = v.partition("=")
                key = tok(name, s, s + len(name))
                val = tok(default, s + len(name) + 1, e) if eq else None
                pairs.append(KeyValue(key, val, eq))
        elif cmd in ("env", "label"):
            kvs, error = _key_values_env(rest, 0, esc, cmd.upper())
            for kv in kvs:
                key = tok(kv.key.value, kv.key.span.start, kv.key.span.end)
                val = (
                    tok(kv.value.value, kv.value.span.start, kv.value.span.end)
                    if kv.value is not None
                    else None
                )
                pairs.append(KeyValue(key, val, kv.separator))
                args.append(key)
                if val is not None:
                    args.append(val)
        elif cmd == "healthcheck":
            mask = _byte_space_mask(rest)
            sep = 0
            while sep < len(rest) and not _is_byte_space(rest, mask, sep):
                sep += 1
            nxt = sep
            while nxt < len(rest) and rest[nxt] in " \t\n\v\f\r":
                nxt += 1
            if sep:
                args.append(tok(rest[:sep], 0, sep))
                sub_rest = rest[nxt:]
                if sub_rest:
                    parsed = _parse_json(sub_rest)
                    if parsed is not None:
                        is_json = True
                        args += [tok(v, nxt + s, nxt + e) for v, s, e in parsed]
                    else:
                        args.append(tok(sub_rest, nxt, len(rest)))
        elif cmd == "onbuild":
            if rest:
                sub = _build_instruction(rest, args_lstart, omap, esc)
                error = sub.error
                sub.error = None
                if sub.cmd == "onbuild":
                    # A nested ONBUILD's value is the (empty) node holding its own payload, if any.
                    args = [Token("", sub.keyword_span)] if sub.sub is not None else []
                else:
                    args = list(sub.args)
        else:
            # BuildKit's parseIgnore: one empty value, whatever followed the keyword.
            args = [Token("", args_span)]
    except NotStringArrayError as exc:
        error = str(exc)
        args = []
    lspan = omap.span(kstart, lstart + len(line))
    return Instruction(
        keyword=keyword,
        cmd=cmd,
        keyword_span=keyword_span,
        flags=flags,
        args=args,
        args_text=args_text,
        args_span=args_span,
        json=is_json,
        span=lspan,
        start_line=0,
        end_line=0,
        original=line,
        pairs=pairs,
        sub=sub,
        error=error,
        line_span=lspan,
    )


# --- heredoc words (BuildKit's shell lexer with RawQuotes, RawEscapes, SkipUnsetEnv) ----------


def _shell_words(line: str) -> list[tuple[str, int, int]]:
    """Split a line into shell words keeping quotes and escapes raw, with bounds."""
    words: list[tuple[str, int, int]] = []
    buf: list[str] = []
    wstart = -1
    n = len(line)
    i = 0

    def flush(end: int) -> None:
        nonlocal wstart
        if buf:
            words.append(("".join(buf), wstart, end))
            buf.clear()
        wstart = -1

    while i < n:
        ch = line[i]
        if ch in "'\"":
            if wstart < 0:
                wstart = i
            j = i + 1
            while j < n and line[j] != ch:
                if ch == '"' and line[j] == "\\" and j + 1 < n:
                    j += 1
                j += 1
            if j >= n:
                # BuildKit's lexer fails on an unterminated quote and the parser then looks for no
                # heredoc at all on this line.
                return []
            buf.append(line[i : j + 1])
            i = j + 1
            continue
        if ch == "\\":
            if wstart < 0:
                wstart = i
            buf.append(line[i : i + 2])
            i += 2
            continue
        if ch == "$" and i + 1 < n and line[i + 1] == "{":
            if wstart < 0:
                wstart = i
            depth = 0
            j = i + 1
            while j < n:
                if line[j] == "{":
                    depth += 1
                elif line[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            buf.append(line[i : j + 1])
            i = j + 1
            continue
        if go_is_space(ch):
            flush(i)
            i += 1
            continue
        if wstart < 0:
            wstart = i
        buf.append(ch)
        i += 1
    flush(n)
    return words


def _unquote_word(word: str) -> list[str]:
    """Shell-process a heredoc name: remove quotes and escapes; split at unquoted blanks."""
    out: list[str] = []
    cur: list[str] = []
    have = False
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        if ch == "'":
            j = word.find("'", i + 1)
            if j < 0:
                raise ValueError("unexpected end of statement while looking for matching single-quote")
            cur.append(word[i + 1 : j])
            have = True
            i = j + 1
        elif ch == '"':
            j = i + 1
            seg: list[str] = []
            while j < n and word[j] != '"':
                if word[j] == "\\" and j + 1 < n and word[j + 1] in '"\\$`':
                    j += 1
                seg.append(word[j])
                j += 1
            if j >= n:
                raise ValueError("unexpected end of statement while looking for matching double-quote")
            cur.append("".join(seg))
            have = True
            i = j + 1
        elif ch == "\\":
            if i + 1 < n:
                cur.append(word[i + 1])
                have = True
            i += 2
        elif go_is_space(ch):
            if have or cur:
                out.append("".join(cur))
            cur, have = [], False
            i += 1
        else:
            cur.append(ch)
            have = True
            i += 1
    if have or cur:
        out.append("".join(cur))
    return out


def _heredocs_from_line(line: str) -> list[tuple[str, int, bool, bool, int, int]]:
    docs: list[tuple[str, int, bool, bool, int, int]] = []
    for word, ws, we in _shell_words(line):
        m = _HEREDOC_WORD.match(word)
        if m is None or not m.group(3):
            continue
        rest = m.group(3)
        names = _unquote_word(rest)
        if len(names) != 1:
            continue
        name = names[0]
        quoted = rest.count("'") + rest.count('"') != name.count("'") + name.count('"')
        fd = int(m.group(1)) if m.group(1) else 0
        docs.append((name, fd, m.group(2) == "-", not quoted, ws, we))
    return docs
