"""The document model: stages, images, ARG/ENV declarations and variable references.

Built once per document version from :func:`.parser.parse` and shared by every feature (rules,
refactors, completion, hover, navigation). Nothing here imports pygls.
"""

from __future__ import annotations

import re
import threading
import weakref
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from .images import split_name, split_reference
from .parser import Flag, Heredoc, Instruction, ParseResult, parse
from .text import LineIndex, PositionEncoding, Range, Span

# Build arguments BuildKit defines without an ARG instruction (usable once declared with ARG in a
# stage, and in FROM lines directly) and the proxy variables it always passes through.
AUTOMATIC_PLATFORM_ARGS = frozenset(
    (
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETSTAGE",
    )
)
PREDEFINED_ARGS = frozenset(
    (
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
        "SOURCE_DATE_EPOCH",
        "BUILDKIT_SYNTAX",
        "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
        "BUILDKIT_INLINE_CACHE",
        "BUILDKIT_MULTI_PLATFORM",
        "BUILDKIT_SANDBOX_HOSTNAME",
    )
)
# Instructions whose arguments BuildKit itself expands ($VAR, ${VAR}); the others are expanded (if
# at all) by the shell at run time.
BUILDKIT_EXPANDED = frozenset(
    ("add", "copy", "env", "expose", "from", "label", "stopsignal", "user", "volume", "workdir", "arg")
)
SHELL_EXPANDED = frozenset(("run", "cmd", "entrypoint", "healthcheck"))
RESERVED_STAGE_NAMES = frozenset(("scratch", "context"))
STAGE_NAME_RE = re.compile(r"^[a-z][a-z0-9\-_\.]*$", re.IGNORECASE)


@dataclass(slots=True)
class ImageRef:
    """``[registry/]repository[:tag][@digest]`` with a span for each part."""

    text: str
    span: Span
    name: str
    name_span: Span
    tag: str | None
    tag_span: Span | None
    digest: str | None
    digest_span: Span | None

    @property
    def has_variables(self) -> bool:
        return "$" in self.text

    @property
    def is_scratch(self) -> bool:
        return self.text.lower() == "scratch"

    @property
    def repository(self) -> str:
        """The name without registry host, e.g. ``library/golang`` -> ``golang`` (see :mod:`.images`)."""
        return split_name(self.name)[1]

    @property
    def registry(self) -> str | None:
        return split_name(self.name)[0]


def parse_image_ref(text: str, span: Span) -> ImageRef:
    """The reference ``text`` a token at ``span`` holds."""
    base = span.start
    # A token that came through a line continuation does not map 1:1; keep whole-token spans then.
    contiguous = len(span) == len(text)
    digest = tag = None
    digest_span = tag_span = None
    name_end, tag_start, digest_start = split_reference(text)
    rest_end = len(text)
    if digest_start is not None:
        digest = text[digest_start:]
        digest_span = Span(base + digest_start, base + len(text)) if contiguous else span
        rest_end = digest_start - 1
    if tag_start is not None:
        tag = text[tag_start:rest_end]
        tag_span = Span(base + tag_start, base + rest_end) if contiguous else span
    name_span = Span(base, base + name_end) if contiguous else span
    return ImageRef(text, span, text[:name_end], name_span, tag, tag_span, digest, digest_span)


@dataclass(slots=True, eq=False)
class VarDecl:
    """An ARG or ENV definition."""

    name: str
    name_span: Span
    value: str | None
    value_span: Span | None
    kind: str  # "arg" or "env"
    instruction: Instruction
    # Its stage (None for a global ARG, before the first FROM), held weakly: the stage holds its
    # declarations, and a cycle would keep every dropped model (every keystroke's: 575,000 objects
    # at 50,000 stages) until a full collection walked the whole heap for seconds, GIL held.
    _stage: weakref.ref[Stage] | None

    @property
    def stage(self) -> Stage | None:
        return self._stage() if self._stage is not None else None


@dataclass(slots=True, eq=False)
class VarRef:
    """A ``$NAME`` or ``${NAME...}`` in the text."""

    name: str
    span: Span  # the whole reference, ``${NAME:-x}``
    name_span: Span
    instruction: Instruction
    stage: Stage | None
    has_default: bool  # ${NAME:-x}, ${NAME-x}, ${NAME:+x}, ${NAME+x}
    by_buildkit: bool  # expanded by BuildKit (vs. by the shell at run time)


@dataclass(slots=True, eq=False)
class CopyFrom:
    instruction: Instruction
    flag: Flag
    stage: Stage | None  # the earlier stage it names, if any


@dataclass(slots=True, eq=False, weakref_slot=True)
class Stage:
    index: int
    from_instruction: Instruction
    # The image token's text and span in this version (see ``image``).
    image_source: tuple[str, Span] | None
    name: str | None  # as written
    name_span: Span | None
    as_span: Span | None  # the "AS" keyword
    platform: Flag | None
    instructions: list[Instruction] = field(default_factory=list)  # after FROM
    base_stage: Stage | None = None
    copies_from: list[CopyFrom] = field(default_factory=list)
    args: list[VarDecl] = field(default_factory=list)
    envs: list[VarDecl] = field(default_factory=list)
    error: str | None = None
    # root_image(), once known: (the image,) — set when the model is complete.
    _root: tuple[ImageRef | None] | None = field(default=None, init=False, repr=False)
    _image: tuple[ImageRef | None] | None = field(default=None, init=False, repr=False)

    @property
    def image(self) -> ImageRef | None:
        """What FROM names, parsed on first use: a keystroke in a big file builds a model whose
        requests read few images (50,000 parses were a fifth of the model). From the text and
        span the token had when the model was built: a later version's incremental parse moves
        the token."""
        got = self._image
        if got is None:
            source = self.image_source
            got = self._image = (parse_image_ref(*source) if source is not None else None,)
        return got[0]

    @property
    def key(self) -> str | None:
        """The name BuildKit matches stage references against (lower case)."""
        return self.name.lower() if self.name else None

    @property
    def span(self) -> Span:
        end = self.instructions[-1].span.end if self.instructions else self.from_instruction.span.end
        return Span(self.from_instruction.span.start, end)

    @property
    def label(self) -> str:
        return self.name or f"stage {self.index}"

    def root_image(self) -> ImageRef | None:
        """Follow ``FROM <stage>`` chains to the image the stage really starts from.

        Remembered on every stage of the chain (rules ask it for every stage, and 50,000 stages
        that each build on the one before made the walk quadratic).
        """
        seen = set()
        path: list[Stage] = []
        stage: Stage | None = self
        while stage is not None and stage.base_stage is not None and id(stage) not in seen:
            if stage._root is not None:
                root = stage._root[0]
                break
            seen.add(id(stage))
            path.append(stage)
            stage = stage.base_stage
        else:
            root = stage.image if stage is not None else None
        for st in path:
            st._root = (root,)
        return root

    def last(self, cmd: str) -> Instruction | None:
        for ins in reversed(self.instructions):
            if ins.cmd == cmd:
                return ins
        return None


class Dockerfile:
    """A parsed Dockerfile and everything derived from it, for one text version."""

    def __init__(
        self,
        text: str,
        encoding: PositionEncoding = PositionEncoding.UTF16,
        parsed: ParseResult | None = None,
        reuse: ReusableStages | None = None,
    ) -> None:
        """``reuse``: what an earlier version's model offers (:func:`reusable_stages`), taken as
        it is when ``parsed`` still starts with those stages' instructions: a keystroke in a long
        file then models the stages from the edited one on, not the whole file."""
        self.text = text
        self.parsed = parsed if parsed is not None else parse(text)
        self.encoding = encoding
        self.instructions = self.parsed.instructions
        self.escape = self.parsed.escape
        # Held while the per-model indexes are built (engine/index_lock.py).
        self.index_lock = threading.RLock()
        self.global_args: list[VarDecl] = []
        self.preamble: list[Instruction] = []  # instructions before the first FROM
        # ENVs before the first FROM: an error to BuildKit, but what a fragment without FROM (a
        # file being written) declares, for navigation and completion only.
        self.preamble_envs: list[VarDecl] = []
        self.stages: list[Stage] = []
        self._var_refs: list[VarRef] | None = None
        self._by_key: dict[str, Stage] = {}  # the first stage of each name
        self._stage_starts: list[int] = []
        self._reused = 0
        if reuse is not None and (start := self._reuse(reuse)) is not None:
            self._build(start)
            self._stage_starts += [st.from_instruction.span.start for st in self.stages[self._reused :]]
        else:
            self._build()
            self._stage_starts = [st.from_instruction.span.start for st in self.stages]
        # The build context (the Dockerfile's folder) when the document is a file on disk; set by the
        # CLI and the language server, read by refactorings that look at the sources (splitStages).
        self.context_dir: str | None = None
        # The Dockerfile's own file name when it is on disk (``api.Dockerfile``): BuildKit reads
        # ``<name>.dockerignore`` first, and addDockerignore leaves the file itself out of the context.
        self.file_name: str | None = None

    @property
    def reused_stages(self) -> int:
        """How many of its stages were taken from the model given as ``reuse``."""
        return self._reused

    # -- positions ------------------------------------------------------------------------------

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text, self.encoding)

    def range(self, span: Span) -> Range:
        return self.lines.range(span)

    @cached_property
    def line_ending(self) -> str:
        """The document's dominant line ending, for edits that add lines."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"

    # -- lookups --------------------------------------------------------------------------------

    def instruction_at(self, offset: int) -> Instruction | None:
        lo, hi = 0, len(self.instructions)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.instructions[mid].span.end < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.instructions) and self.instructions[lo].span.contains(offset):
            return self.instructions[lo]
        return None

    def first_ending_at(self, offset: int) -> int:
        """The index of the first instruction whose span ends at or after ``offset`` (binary search;
        ``len(instructions)`` when none does)."""
        instructions = self.instructions
        lo, hi = 0, len(instructions)
        while lo < hi:
            mid = (lo + hi) // 2
            if instructions[mid].span.end < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def instructions_between(self, start: int, end: int) -> list[Instruction]:
        """The instructions whose span (heredoc bodies included) meets ``[start, end]``, in order:
        a binary search and the instructions found, not a walk of the document."""
        instructions = self.instructions
        out = []
        for k in range(self.first_ending_at(start), len(instructions)):
            ins = instructions[k]
            if ins.span.start > end:
                break
            out.append(ins)
        return out

    def stage_at(self, offset: int) -> Stage | None:
        starts = self._stage_starts
        k = bisect_right(starts, offset) - 1
        return self.stages[k] if k >= 0 else None

    def stage_named(self, name: str, before: int | None = None, *, by_index: bool = True) -> Stage | None:
        """The stage called ``name`` (case-insensitive) defined before stage index ``before``.

        A numeric name refers to a stage by index, as ``COPY --from=0`` does, unless ``by_index`` is
        False: BuildKit looks ``FROM <name>`` and ``RUN --mount=from=<name>`` up by stage name only
        (dockerfile2llb's detectRunMount calls findStateByName), so there ``0`` is an image.
        """
        limit = len(self.stages) if before is None else before
        if name.isdigit() and not by_index:
            return None  # no stage can be named by digits alone (the parser takes them as an index)
        if name.isdigit():
            idx = int(name)
            return self.stages[idx] if idx < limit else None
        found = self._by_key.get(name.lower())
        return found if found is not None and found.index < limit else None

    def stage_of(self, ins: Instruction) -> Stage | None:
        return self.stage_at(ins.span.start)

    def iter_instructions(self) -> Iterator[tuple[Stage | None, Instruction]]:
        for ins in self.preamble:
            yield None, ins
        for stage in self.stages:
            yield stage, stage.from_instruction
            for ins in stage.instructions:
                yield stage, ins

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def declarations(self, name: str) -> list[VarDecl]:
        out = [d for d in self.global_args if d.name == name]
        for stage in self.stages:
            out += [d for d in stage.args if d.name == name]
            out += [d for d in stage.envs if d.name == name]
        return out

    def refs_to(self, name: str) -> list[VarRef]:
        return [r for r in self.var_refs if r.name == name]

    # -- building -------------------------------------------------------------------------------

    def _reuse(self, reuse: ReusableStages) -> int | None:
        """Take ``reuse``'s stages if this parse still starts with their instructions; the index
        of the first instruction left to build, or None."""
        instructions = self.instructions
        start = self.first_ending_at(reuse.resume.span.start)
        if start >= len(instructions) or instructions[start] is not reuse.resume or self.parsed.kept <= start:
            return None
        self.preamble = list(reuse.preamble)
        self.global_args = list(reuse.global_args)
        self.preamble_envs = list(reuse.preamble_envs)
        self.stages = list(reuse.stages)
        self._by_key = dict(reuse.by_key)
        self._stage_starts = list(reuse.stage_starts)
        self._reused = len(reuse.stages)
        return start

    def _build(self, start: int = 0) -> None:
        stage: Stage | None = None
        for ins in self.instructions[start:] if start else self.instructions:
            if ins.cmd == "from":
                stage = self._new_stage(ins)
                self.stages.append(stage)
                if stage.key is not None:
                    self._by_key.setdefault(stage.key, stage)
                continue
            if stage is None:
                self.preamble.append(ins)
                if ins.cmd == "arg":
                    self.global_args += self._decls(ins, None, "arg")
                elif ins.cmd == "env":
                    self.preamble_envs += self._decls(ins, None, "env")
                continue
            stage.instructions.append(ins)
            if ins.cmd == "arg":
                stage.args += self._decls(ins, stage, "arg")
            elif ins.cmd == "env":
                stage.envs += self._decls(ins, stage, "env")
            elif ins.cmd in ("copy", "add"):
                flag = ins.flag("from")
                if flag is not None and flag.value:
                    target = self.stage_named(flag.value, before=stage.index)
                    stage.copies_from.append(CopyFrom(ins, flag, target))

    def _new_stage(self, ins: Instruction) -> Stage:
        index = len(self.stages)
        args = ins.args
        source = (args[0].value, args[0].span) if args else None
        name = name_span = as_span = None
        error = None
        if len(args) == 3 and args[1].value.lower() == "as":
            name, name_span, as_span = args[2].value, args[2].span, args[1].span
            if not STAGE_NAME_RE.match(name):
                error = f"invalid name for build stage: {name!r}, name can't start with a number or contain symbols"
        elif len(args) != 1:
            error = "FROM requires either one or three arguments"
        stage = Stage(index, ins, source, name, name_span, as_span, ins.flag("platform"), error=error)
        if source is not None and "$" not in source[0] and not source[0].isdigit():
            stage.base_stage = self.stage_named(source[0], before=index)
        return stage

    @staticmethod
    def _decls(ins: Instruction, stage: Stage | None, kind: str) -> list[VarDecl]:
        out = []
        for kv in ins.pairs:
            val = kv.value
            out.append(
                VarDecl(
                    kv.key.value,
                    kv.key.span,
                    val.value if val is not None else None,
                    val.span if val is not None else None,
                    kind,
                    ins,
                    weakref.ref(stage) if stage is not None else None,
                )
            )
        return out

    @property
    def var_refs(self) -> list[VarRef]:
        """Every variable reference, in document order.

        Built on first use, not with the stages: after a keystroke in a big document the loop gets
        the model sooner (200,000 instructions' references were 0.2-0.3 s of its 0.7 s at 50,000
        stages), and only the variable index, a few rules and refactorings read them. Two threads
        that ask at once may both build it; each builds the whole list before it is stored, so
        neither sees a part of one.
        """
        refs = self._var_refs
        if refs is None:
            refs = []
            for stage, ins in self.iter_instructions():
                refs += self.instruction_var_refs(ins, stage)
            self._var_refs = refs
        return refs

    def instruction_var_refs(self, ins: Instruction, stage: Stage | None) -> list[VarRef]:
        """The variable references of one instruction (of ``stage``), as :attr:`var_refs` has
        them: what a request about a few lines reads without the whole document's list."""
        cached = ins.cache.get("refs")
        if cached is None:
            cached = self._scan_instruction(ins)
            ins.cache["refs"] = cached
        if not cached:
            return []
        base = ins.span.start
        return [
            VarRef(name, Span(base + s0, base + s1), Span(base + n0, base + n1), ins, stage, has_default, by_buildkit)
            for name, s0, s1, n0, n1, has_default, by_buildkit in cached  # type: ignore[attr-defined]
        ]

    def _scan_instruction(self, ins: Instruction) -> list[tuple[str, int, int, int, int, bool, bool]]:
        """Every variable reference of an instruction, in offsets relative to its start."""
        target = ins.sub if ins.sub is not None else ins
        cmd = target.cmd
        if cmd in BUILDKIT_EXPANDED:
            by_buildkit, esc, single_quotes = True, self.escape, cmd != "from"
        elif cmd in SHELL_EXPANDED and not target.json:
            by_buildkit, esc, single_quotes = False, "\\", True
        else:
            return []
        if "$" not in ins.original and not target.heredocs:
            return []
        text = self.text
        found: list[tuple[str, Span, Span, bool, bool]] = []

        def scan(span: Span, bk: bool, e: str, sq: bool) -> None:
            for name, whole, name_span, has_default in scan_variables(text, span.start, span.end, e, sq):
                found.append((name, whole, name_span, has_default, bk))

        for f in target.flags:
            if f.value_span is not None and f.value is not None and "$" in f.value:
                scan(f.value_span, by_buildkit, esc, single_quotes)
        span = target.args_span
        if target.line_span is not None and span.end < target.line_span.end:
            span = Span(span.start, target.line_span.end)
        if "$" in target.args_text:
            pos = span.start
            for c in ins.comment_spans:
                if c.start >= pos and c.end <= span.end:
                    scan(Span(pos, c.start), by_buildkit, esc, single_quotes)
                    pos = c.end
            scan(Span(pos, span.end), by_buildkit, esc, single_quotes)
        for doc in target.heredocs:
            if doc.expand and cmd == "run":
                scan(doc.body, False, "\\", True)
        base = ins.span.start
        return [
            (name, w.start - base, w.end - base, n.start - base, n.end - base, d, bk)
            for name, w, n, d, bk in found
        ]

    def heredocs(self) -> Iterator[tuple[Instruction, Heredoc]]:
        for ins in self.instructions:
            target = ins.sub if ins.sub is not None else ins
            for doc in target.heredocs:
                yield ins, doc


@dataclass(frozen=True, slots=True)
class ReusableStages:
    """The stages of a model that a later version's model may take as they are: those that end
    before the first instruction an edit parsed again (with the preamble before them)."""

    stages: list[Stage]
    stage_starts: list[int]
    by_key: dict[str, Stage]
    preamble: list[Instruction]
    global_args: list[VarDecl]
    preamble_envs: list[VarDecl]
    resume: Instruction  # the FROM of the first stage not taken (built again)


def reusable_stages(model: Dockerfile, parsed: ParseResult) -> ReusableStages | None:
    """What ``model`` offers the model of ``parsed``, an incremental re-parse of its parse (see
    ``ParseResult.kept``); None when that is not one stage."""
    kept = parsed.kept
    old = model.instructions
    if kept < 2 or len(old) < kept or old[kept - 1] is not parsed.instructions[kept - 1]:
        return None
    # The stage of the last shared instruction may go on past it: built again, with the rest.
    stage = model.stage_at(old[kept - 1].span.start)
    if stage is None or stage.index == 0:
        return None
    count = stage.index
    stages = model.stages[:count]
    # The names' first stages among those kept: all of them but those first named later (a walk
    # of the stages after the edit, not of the whole file).
    by_key = dict(model._by_key)
    for st in model.stages[count:]:
        key = st.key
        if key is not None and by_key.get(key) is st:
            del by_key[key]
    return ReusableStages(
        stages, model._stage_starts[:count], by_key, model.preamble, model.global_args, model.preamble_envs,
        stage.from_instruction,
    )


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCANNERS: dict[tuple[str, bool], re.Pattern[str]] = {}


def _scanner(esc: str, single_quotes: bool) -> re.Pattern[str]:
    key = (esc, single_quotes)
    pat = _SCANNERS.get(key)
    if pat is None:
        e = re.escape(esc)
        alts = [rf"{e}.", rf'"(?:{e}.|[^"{e}])*"']
        if single_quotes:
            alts.append(r"'[^']*'")
        alts.append(r"\$")
        pat = re.compile("|".join(alts), re.S)
        _SCANNERS[key] = pat
    return pat


# Nesting deeper than this (``${a:-${b:-...}}``, quotes in defaults) is not descended into: real
# Dockerfiles nest two or three levels, and each level costs a Python frame (and a rescan).
_MAX_NESTING = 32


def scan_variables(
    text: str, start: int, end: int, esc: str = "\\", single_quotes: bool = True, _depth: int = 0
) -> Iterator[tuple[str, Span, Span, bool]]:
    """Find ``$NAME`` and ``${NAME...}`` in ``text[start:end]``.

    Skips escaped dollars and, when ``single_quotes`` is set, single-quoted text (neither BuildKit
    nor the shell expands there); double-quoted text is scanned. Nested defaults (``${a:-${b}}``)
    yield both names. Yields ``(name, whole span, name span, has default)``.
    """
    pat = _scanner(esc, single_quotes)
    pos = start
    while pos < end:
        m = pat.search(text, pos, end)
        if m is None:
            return
        tok = m.group()
        if tok == "$":
            yield from _read_ref(text, m.start(), end, _depth, esc)
            pos = _ref_end(text, m.start(), end, esc)
        elif tok.startswith('"') and len(tok) > 1:
            if _depth < _MAX_NESTING:
                yield from scan_variables(text, m.start() + 1, m.end() - 1, esc, False, _depth + 1)
            pos = m.end()
        else:
            pos = m.end()


_CONTINUATION_TAIL = re.compile(r"[ \t]*(?:\r\n|\n|\r)")


def _name_at(text: str, pos: int, end: int, esc: str) -> tuple[str, int, int] | None:
    """The variable name starting at ``pos`` as BuildKit reads it: a name split by a line
    continuation (``$po\\`` then ``rt``) is one name. Returns ``(name, start, end)``."""
    m = _NAME.match(text, pos, end)
    if m is None:
        return None
    name_end = m.end()
    if name_end >= end or text[name_end] != esc:
        return m.group(), pos, name_end
    parts = [m.group()]
    while name_end < end and text[name_end] == esc:
        c = _CONTINUATION_TAIL.match(text, name_end + 1, end)
        if c is None:
            break
        more = _NAME_CONT.match(text, c.end(), end)
        if more is None or more.end() == c.end():
            break
        parts.append(more.group())
        name_end = more.end()
    return "".join(parts), pos, name_end


_NAME_CONT = re.compile(r"[A-Za-z0-9_]*")


def _ref_end(text: str, j: int, end: int, esc: str = "\\") -> int:
    if j + 1 < end and text[j + 1] == "{":
        depth = 0
        k = j + 1
        while k < end:
            c = text[k]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        return end
    found = _name_at(text, j + 1, end, esc)
    return found[2] if found else j + 1


def _read_ref(text: str, j: int, end: int, depth: int = 0, esc: str = "\\") -> Iterator[tuple[str, Span, Span, bool]]:
    """What the reference at ``text[j] == '$'`` names (nested ones too)."""
    if j + 1 >= end:
        return
    if text[j + 1] == "{":
        found = _name_at(text, j + 2, end, esc)
        if found is None:
            return
        name, name_start, k = found
        close = _ref_end(text, j, end, esc)
        has_default = text.startswith((":-", ":+", "-", "+"), k)
        yield name, Span(j, close), Span(name_start, k), has_default
        inner_end = close - 1 if close <= end and text[close - 1] == "}" else close
        if k < inner_end and depth < _MAX_NESTING and "$" in text[k:inner_end]:
            yield from scan_variables(text, k, inner_end, "\\", False, depth + 1)
        return
    found = _name_at(text, j + 1, end, esc)
    if found is not None:
        name, name_start, name_end = found
        yield name, Span(j, name_end), Span(name_start, name_end), False


_REF_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REF_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?"
_IMAGE_REFERENCE = re.compile(
    rf"^(?:{_REF_DOMAIN}/)?{_REF_COMPONENT}(?:/{_REF_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def is_image_reference(text: str) -> bool:
    """Whether ``text`` parses as an image reference (the grammar of distribution/reference)."""
    return len(text) <= 255 and _IMAGE_REFERENCE.match(text) is not None
