"""Go to definition, references, document highlight and rename for stages and variables.

Two kinds of symbol live in a Dockerfile:

- **Stages.** Defined by ``FROM <image> AS <name>``; referred to by ``FROM <name>``,
  ``COPY --from=<name>`` / ``ADD --from=<name>`` and ``RUN --mount=...,from=<name>``. BuildKit
  matches names case-insensitively and only against earlier stages (``--from=<n>`` names a stage by
  index: such references are found, but a rename leaves them alone).
- **Variables.** ``ARG`` and ``ENV`` declarations and their ``$NAME`` / ``${NAME...}`` uses, resolved
  with BuildKit's scoping:

  * in a ``FROM`` line only global ``ARG``\\s (those before the first ``FROM``) are visible;
  * inside a stage an ``ENV`` of the stage (or inherited from the stage it is built ``FROM``) wins
    over an ``ARG`` of the same name, and a declaration is visible from the next instruction on
    (``ENV A=1 B=$A`` reads the ``A`` from before the instruction);
  * a global ``ARG`` is *not* visible inside a stage until the stage declares it again
    (``ARG NAME``), and such a re-declaration shares the global's value, so the two are one symbol;
  * ``ONBUILD`` payloads expand in a later build and resolve to nothing here.

Variables are grouped into symbols (connected components of "this use reads that declaration" and
"this stage ARG re-declares that global ARG"); references and rename work on a whole symbol, so
renaming ``ENV VERSION`` after ``ARG VERSION`` renames the ENV and the uses that read it, while
``ENV VERSION=$VERSION`` keeps reading the ARG.

Everything works on document offsets; the LSP layer converts positions.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .findings import Edit
from .images import chain_intervals
from .index_lock import built_once
from .model import (
    AUTOMATIC_PLATFORM_ARGS,
    PREDEFINED_ARGS,
    RESERVED_STAGE_NAMES,
    Dockerfile,
    Stage,
    VarDecl,
    VarRef,
    scan_variables,
)
from .parser import Flag, Heredoc, Instruction
from .text import Span

# Up to this many stages declaring an ENV name, inherited_env compares their places in the stage
# forest; past it, it walks up the chain (remembered per stage and name).
_FEW_DECLARERS = 16
VARIABLE_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# BuildKit's stage-name rule; new names are asked to be lower case (StageNameCasing).
NEW_STAGE_NAME_RE = re.compile(r"^[a-z][a-z0-9\-_.]*$")


class RenameError(ValueError):
    """A rename that cannot be done; the message is shown to the user."""


# -- stages ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageRef:
    """One place that names a stage (or the stage's own ``AS name``)."""

    stage: Stage
    span: Span  # the stage name (or index) as written
    kind: str  # "definition", "from", "copy", "mount"
    instruction: Instruction
    by_index: bool = False  # ``--from=0``: refers by position, never renamed


def _value_span(doc: Dockerfile, flag: Flag, value: str, start_in_value: int = 0) -> Span | None:
    """Where ``value`` (a part of ``flag.value`` starting at ``start_in_value``) is in the source."""
    vs = flag.value_span
    if vs is None or flag.value is None:
        return None
    src = doc.text[vs.start : vs.end]
    pos = src.find(flag.value)
    if pos < 0:
        return None  # quoting or a line continuation inside the value: no 1:1 mapping
    start = vs.start + pos + start_in_value
    return Span(start, start + len(value))


def mount_from(flag: Flag) -> tuple[str, int] | None:
    """The ``from=`` field of a ``--mount`` flag value and its offset inside the value."""
    value = flag.value
    if flag.name.lower() != "mount" or not value:
        return None
    pos = 0
    for field_text in value.split(","):
        key, eq, val = field_text.partition("=")
        if eq and key.strip().lower() == "from" and val:
            return val, pos + len(key) + 1
        pos += len(field_text) + 1
    return None


@dataclass(frozen=True, eq=False)
class _StageRefIndex:
    """The document's stage references, built at once (never half-filled: the analysis thread
    builds it before a request can read it): in document order and per stage (hover, references
    and highlights read one stage's, not the document's)."""

    refs: list[StageRef]
    by_stage: dict[int, list[StageRef]]


def _stage_ref_index(doc: Dockerfile) -> _StageRefIndex:
    return built_once(_STAGE_REFS, doc, _build_stage_ref_index)


def _stage_refs_of(doc: Dockerfile, stage: Stage, ins: Instruction) -> list[StageRef]:
    """The stage definitions and references of one instruction of ``stage``."""
    out: list[StageRef] = []
    if ins is stage.from_instruction:
        if stage.name and stage.name_span is not None:
            out.append(StageRef(stage, stage.name_span, "definition", ins))
        if stage.base_stage is not None and stage.image is not None:
            out.append(StageRef(stage.base_stage, stage.image.span, "from", ins))
    elif ins.cmd in ("copy", "add"):
        flag = ins.flag("from")
        if flag is not None and flag.value:
            target = doc.stage_named(flag.value, before=stage.index)
            span = _value_span(doc, flag, flag.value)
            if target is not None and span is not None:
                out.append(StageRef(target, span, "copy", ins, flag.value.isdigit()))
    elif ins.cmd == "run":
        for flag in ins.flags:
            found = mount_from(flag)
            if found is None:
                continue
            name, at = found
            # By name only: a number in from= is an image (see Dockerfile.stage_named).
            target = doc.stage_named(name, before=stage.index, by_index=False)
            span = _value_span(doc, flag, name, at)
            if target is not None and span is not None:
                out.append(StageRef(target, span, "mount", ins))
    return out


def instructions_stage_refs(doc: Dockerfile, instructions: list[Instruction]) -> list[StageRef]:
    """The stage definitions and references of ``instructions`` (of ``doc``, in document order),
    as :func:`stage_refs` has them, without the whole document's index: what a request about a
    screenful reads (semantic tokens for a range right after a keystroke in a long file)."""
    out: list[StageRef] = []
    for ins in instructions:
        stage = doc.stage_of(ins)
        if stage is not None:
            out += _stage_refs_of(doc, stage, ins)
    out.sort(key=lambda r: r.span.start)
    return out


def _build_stage_ref_index(doc: Dockerfile) -> _StageRefIndex:
    out: list[StageRef] = []
    for stage in doc.stages:
        out += _stage_refs_of(doc, stage, stage.from_instruction)
        for ins in stage.instructions:
            if ins.cmd in ("copy", "add", "run"):
                out += _stage_refs_of(doc, stage, ins)
    out.sort(key=lambda r: r.span.start)
    by_stage: dict[int, list[StageRef]] = {}
    for ref in out:
        by_stage.setdefault(id(ref.stage), []).append(ref)
    return _StageRefIndex(out, by_stage)


def stage_refs(doc: Dockerfile) -> list[StageRef]:
    """Every stage definition and stage reference of the document, in document order."""
    return _stage_ref_index(doc).refs


def stage_uses(doc: Dockerfile, stage: Stage) -> list[StageRef]:
    """The definition of ``stage`` and every reference to it, in document order."""
    return _stage_ref_index(doc).by_stage.get(id(stage), [])


_STAGE_REFS: weakref.WeakKeyDictionary[Dockerfile, _StageRefIndex] = weakref.WeakKeyDictionary()


def stage_ref_at(doc: Dockerfile, offset: int) -> StageRef | None:
    """The stage definition or reference under the cursor, read from the instructions there (not
    the document's index, which a big document may still be building)."""
    refs = instructions_stage_refs(doc, doc.instructions_between(offset, offset))
    i = bisect_right(refs, offset, key=lambda r: r.span.start) - 1
    # Spans never overlap; the one starting at or before the offset is the only candidate (and its
    # predecessor when the cursor sits right after a name that ends where the next one starts).
    for j in (i, i - 1):
        if 0 <= j < len(refs) and refs[j].span.contains(offset):
            return refs[j]
    return None


# -- variables ---------------------------------------------------------------------------------


@dataclass(eq=False)
class VariableIndex:
    """Resolution of every variable use, and the symbols (groups) declarations form."""

    resolved: dict[int, VarDecl | None] = field(default_factory=dict)  # id(ref) -> decl
    group: dict[int, int] = field(default_factory=dict)  # id(decl) -> group id
    group_decls: dict[int, list[VarDecl]] = field(default_factory=lambda: defaultdict(list))
    group_refs: dict[int, list[VarRef]] = field(default_factory=lambda: defaultdict(list))
    refs_by_instruction: dict[int, list[VarRef]] = field(default_factory=lambda: defaultdict(list))
    refs: list[VarRef] = field(default_factory=list)  # the model's, plus COPY/ADD heredoc bodies
    decls_by_instruction: dict[int, list[VarDecl]] = field(default_factory=lambda: defaultdict(list))

    def resolve(self, ref: VarRef) -> VarDecl | None:
        return self.resolved.get(id(ref))

    def symbol_decls(self, decl: VarDecl) -> list[VarDecl]:
        return self.group_decls[self.group[id(decl)]]

    def symbol_refs(self, decl: VarDecl) -> list[VarRef]:
        return self.group_refs[self.group[id(decl)]]


_INDEXES: weakref.WeakKeyDictionary[Dockerfile, VariableIndex] = weakref.WeakKeyDictionary()


def variable_index(doc: Dockerfile) -> VariableIndex:
    return built_once(_INDEXES, doc, _build_index)


def _all_decls(doc: Dockerfile) -> list[VarDecl]:
    out = list(doc.global_args)
    if not doc.stages:
        # A fragment without FROM: its ENVs behave as the variables of one (implicit) stage.
        out += doc.preamble_envs
    for stage in doc.stages:
        out += stage.args
        out += stage.envs
    return out


def _last_before(decls: list[VarDecl] | None, offset: int) -> VarDecl | None:
    """The last declaration whose instruction starts before ``offset`` (decls in document order)."""
    if not decls:
        return None
    found = None
    for d in decls:
        if d.instruction.span.start < offset:
            found = d
        else:
            break
    return found


def resolve_name(doc: Dockerfile, name: str, stage: Stage | None, instruction_start: int, in_from: bool) -> VarDecl | None:
    """The declaration BuildKit would read for ``$name`` in an instruction starting at the offset."""
    return _resolve_in(_scopes(doc), name, stage, instruction_start, in_from)


def global_args_named(doc: Dockerfile, name: str) -> list[VarDecl]:
    """The global ARGs (before the first FROM) that declare ``name``, in document order."""
    return [d for d in _scopes(doc).globals.get(name, ()) if d.kind == "arg"]


def _resolve_in(
    scopes: _Scopes, name: str, stage: Stage | None, instruction_start: int, in_from: bool
) -> VarDecl | None:
    if stage is None or in_from:
        return _last_before(scopes.globals.get(name), instruction_start)
    env = _last_before(scopes.envs.get((stage.index, name)), instruction_start)
    if env is not None:
        return env
    inherited = scopes.inherited_env(stage, name)
    if inherited is not None:
        return inherited
    return _last_before(scopes.args.get((stage.index, name)), instruction_start)


@dataclass(eq=False)
class _Scopes:
    globals: dict[str, list[VarDecl]]
    args: dict[tuple[int, str], list[VarDecl]]
    envs: dict[tuple[int, str], list[VarDecl]]
    # For inherited_env: each stage's interval in a depth-first walk of the "built on" forest (an
    # ancestor's interval holds its descendants'), and per ENV name the intervals of the stages
    # that set it, sorted, each with the nearest enclosing one among them (they nest or are
    # disjoint, so this is a tree).
    _intervals: dict[int, tuple[int, int]] | None = None
    _env_intervals: dict[str, tuple[list[int], list[tuple[int, int, Stage]], list[int]]] | None = None

    def inherited_env(self, stage: Stage, name: str) -> VarDecl | None:
        """The last ENV ``name`` of the nearest stage ``stage`` is built on (FROM <stage>, as
        written). A binary search among the intervals of the stages that set the name: walking up
        the chain for every use was quadratic (a hover on a 50,000-stage chain did not finish in 10
        minutes), and so was scanning every stage that sets the name for every use (10 MB of
        stages that all set PATH: 221 s)."""
        if self._env_intervals is None:
            self._index()
        assert self._env_intervals is not None and self._intervals is not None
        where = self._intervals.get(id(stage))
        entry = self._env_intervals.get(name)
        if where is None or entry is None:
            return None
        starts, spans, enclosing = entry
        # The last stage setting the name whose walk began before this stage's: it is the nearest
        # ancestor if it holds this stage; if not, its enclosing ones are the only candidates.
        j = bisect_left(starts, where[0]) - 1
        while j >= 0:
            _start, end, found = spans[j]
            if where[1] < end:
                return self.envs[(found.index, name)][-1]
            j = enclosing[j]
        return None

    def _index(self) -> None:
        intervals = chain_intervals(self._doc_stages)
        by_name: dict[str, list[tuple[int, int, Stage]]] = {}
        for (_index, name), decls in self.envs.items():
            st = decls[-1].stage
            if st is not None and id(st) in intervals:
                by_name.setdefault(name, []).append((*intervals[id(st)], st))
        env_intervals: dict[str, tuple[list[int], list[tuple[int, int, Stage]], list[int]]] = {}
        for name, spans in by_name.items():
            spans.sort(key=lambda span: span[0])
            enclosing: list[int] = []
            open_spans: list[int] = []  # indexes of the spans holding the current one, innermost last
            for i, (start, _end, _st) in enumerate(spans):
                while open_spans and spans[open_spans[-1]][1] < start:
                    open_spans.pop()
                enclosing.append(open_spans[-1] if open_spans else -1)
                open_spans.append(i)
            env_intervals[name] = ([span[0] for span in spans], spans, enclosing)
        self._intervals = intervals
        self._env_intervals = env_intervals

    _doc_stages: list[Stage] = field(default_factory=list)




_SCOPES: weakref.WeakKeyDictionary[Dockerfile, _Scopes] = weakref.WeakKeyDictionary()


def _scopes(doc: Dockerfile) -> _Scopes:
    s = _SCOPES.get(doc)
    if s is None:
        s = _doc_scopes(doc) if doc.stages else _scopes_of(_all_decls(doc), stages=doc.stages)
        _SCOPES[doc] = s
    return s


def _doc_scopes(doc: Dockerfile) -> _Scopes:
    """:func:`_scopes_of` the document's declarations, without sorting them: each stage's ARGs and
    its ENVs (and the global ARGs) are each in document order already, and they go to separate
    lists (70-130 -> 45-55 ms at 50,000 stages: a request about a use resolves it from these)."""
    globals_: dict[str, list[VarDecl]] = {}
    for d in doc.global_args:
        globals_.setdefault(d.name, []).append(d)
    args: dict[tuple[int, str], list[VarDecl]] = {}
    envs: dict[tuple[int, str], list[VarDecl]] = {}
    for stage in doc.stages:
        index = stage.index
        for d in stage.args:
            args.setdefault((index, d.name), []).append(d)
        for d in stage.envs:
            envs.setdefault((index, d.name), []).append(d)
    return _Scopes(globals_, args, envs, _doc_stages=doc.stages)


def _scopes_of(decls: list[VarDecl], rename: dict[int, str] | None = None, *, stages: list[Stage]) -> _Scopes:
    """Declarations by scope and name (in document order), names optionally replaced by ``rename``
    (``id(decl) -> new name``)."""
    globals_: dict[str, list[VarDecl]] = defaultdict(list)
    args: dict[tuple[int, str], list[VarDecl]] = defaultdict(list)
    envs: dict[tuple[int, str], list[VarDecl]] = defaultdict(list)
    for d in sorted(decls, key=lambda d: d.name_span.start):
        name = rename.get(id(d), d.name) if rename else d.name
        if d.stage is None:
            globals_[name].append(d)
        elif d.kind == "arg":
            args[(d.stage.index, name)].append(d)
        else:
            envs[(d.stage.index, name)].append(d)
    return _Scopes(dict(globals_), dict(args), dict(envs), _doc_stages=stages)


def _in_from(ref: VarRef) -> bool:
    return ref.stage is None or ref.instruction is ref.stage.from_instruction


def _heredoc_var_refs(doc: Dockerfile, ins: Instruction, heredoc: Heredoc) -> list[VarRef]:
    """The variable uses in a COPY/ADD heredoc body with an unquoted marker, which BuildKit
    expands with the build's ARG/ENV values (quotes are plain text there)."""
    target = ins.sub if ins.sub is not None else ins
    if target.cmd not in ("copy", "add") or not heredoc.expand or "$" not in heredoc.content:
        return []
    stage = doc.stage_of(ins)
    return [
        VarRef(name, whole, name_span, ins, stage, has_default, True)
        for name, whole, name_span, has_default in scan_variables(doc.text, heredoc.body.start, heredoc.body.end, "\\", False)
    ]


def all_var_refs(doc: Dockerfile) -> list[VarRef]:
    """The model's variable uses plus those in COPY/ADD heredoc bodies (:func:`_heredoc_var_refs`)."""
    extra: list[VarRef] = []
    for ins, heredoc in doc.heredocs():
        extra += _heredoc_var_refs(doc, ins, heredoc)
    if not extra:
        return doc.var_refs
    return sorted(doc.var_refs + extra, key=lambda r: r.span.start)


def instructions_var_refs(doc: Dockerfile, instructions: list[Instruction]) -> list[VarRef]:
    """The variable uses of ``instructions`` (of ``doc``, in document order), heredoc bodies
    included, as :func:`all_var_refs` has them (equal, not the same objects: resolve them with
    :func:`resolve_ref`), without the whole document's list: what a request about a few lines
    reads while a big document's indexes are being built."""
    out: list[VarRef] = []
    for ins in instructions:
        found = doc.instruction_var_refs(ins, doc.stage_of(ins))
        extra = [r for heredoc in (ins.sub if ins.sub is not None else ins).heredocs for r in _heredoc_var_refs(doc, ins, heredoc)]
        out += sorted(found + extra, key=lambda r: r.span.start) if extra else found
    return out


def resolve_ref(doc: Dockerfile, ref: VarRef) -> VarDecl | None:
    """The declaration a use reads, as :class:`VariableIndex` resolves it (for a use from
    :func:`instructions_var_refs`): by BuildKit's scoping, none inside ONBUILD (it runs in
    another build)."""
    if ref.instruction.cmd == "onbuild":
        return None
    return resolve_name(doc, ref.name, ref.stage, ref.instruction.span.start, _in_from(ref))


def _build_index(doc: Dockerfile) -> VariableIndex:
    index = VariableIndex()
    decls = _all_decls(doc)
    parent: dict[int, int] = {id(d): id(d) for d in decls}
    by_id = {id(d): d for d in decls}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    scopes = _scopes(doc)
    for d in decls:
        index.decls_by_instruction[id(d.instruction)].append(d)
        if d.kind == "arg" and d.stage is not None:
            glob = scopes.globals.get(d.name)
            if glob:
                union(id(glob[-1]), id(d))
    # A name declared again by the same kind of instruction in the same scope is the same
    # variable (the later declaration sets a new value), and so is an ENV that overrides one the
    # stage inherits through ``FROM <stage>``.
    for group in (*scopes.globals.values(), *scopes.args.values(), *scopes.envs.values()):
        for d in group[1:]:
            union(id(group[0]), id(d))
    for (stage_index, name), envs in scopes.envs.items():
        # (every declaration of a scope is one group already: any of the inherited ones will do)
        inherited = scopes.inherited_env(doc.stages[stage_index], name)
        if inherited is not None:
            union(id(inherited), id(envs[0]))

    index.refs = all_var_refs(doc)
    for ref in index.refs:
        index.refs_by_instruction[id(ref.instruction)].append(ref)
        index.resolved[id(ref)] = resolve_ref(doc, ref)
    for d in decls:
        g = find(id(d))
        index.group[id(d)] = g
        index.group_decls[g].append(by_id[id(d)])
    for ref in index.refs:
        decl = index.resolved[id(ref)]
        if decl is not None:
            index.group_refs[index.group[id(decl)]].append(ref)
    return index


def index_steps(doc: Dockerfile) -> list[Callable[[], object]]:
    """The navigation indexes of ``doc`` in steps that each keep what they build (0.3-0.4 s each
    at 50,000 stages): a caller may stop between two, and the next caller goes on from there."""
    return [
        lambda: doc.var_refs,
        lambda: _scopes(doc),
        lambda: variable_index(doc),
        lambda: stage_refs(doc),
    ]


def var_ref_at(doc: Dockerfile, offset: int) -> VarRef | None:
    """The variable use under the cursor (the innermost one for ``${A:-$B}``)."""
    ins = doc.instruction_at(offset)
    if ins is None:
        return None
    best: VarRef | None = None
    # (The instruction's own uses, not the document's index: see instructions_var_refs.)
    for ref in instructions_var_refs(doc, [ins]):
        if ref.name_span.contains(offset):
            return ref
        if ref.span.contains(offset) and (best is None or len(ref.span) < len(best.span)):
            best = ref
    return best


def var_decl_at(doc: Dockerfile, offset: int) -> VarDecl | None:
    ins = doc.instruction_at(offset)
    if ins is None:
        return None
    # (The declarations of the instruction's own stage, not the document's index: see
    # instructions_var_refs.)
    stage = doc.stage_of(ins)
    if stage is None:
        decls = doc.global_args if doc.stages else [*doc.global_args, *doc.preamble_envs]
    else:
        decls = [*stage.args, *stage.envs]
    for d in decls:
        if d.instruction is ins and d.name_span.contains(offset):
            return d
    return None


# -- what is under the cursor --------------------------------------------------------------------


@dataclass(slots=True)
class Target:
    """The symbol under the cursor."""

    kind: str  # "stage" or "variable"
    name: str
    span: Span  # the occurrence under the cursor
    stage: Stage | None = None  # for "stage"
    decl: VarDecl | None = None  # for "variable": the declaration of the symbol it belongs to
    ref: VarRef | None = None  # for "variable": the use under the cursor, if any
    stage_ref: StageRef | None = None
    heredoc: Heredoc | None = None  # for "heredoc"


def heredoc_spans(doc: Dockerfile, heredoc: Heredoc) -> tuple[Span | None, Span | None]:
    """Where the heredoc's name is in its ``<<NAME`` marker and in its terminator line."""
    marker = doc.text[heredoc.marker.start : heredoc.marker.end]
    at = marker.find(heredoc.name, marker.find("<<") + 2) if heredoc.name else -1
    name_span = Span(heredoc.marker.start + at, heredoc.marker.start + at + len(heredoc.name)) if at >= 0 else None
    term_span = None
    if heredoc.terminator is not None:
        term = doc.text[heredoc.terminator.start : heredoc.terminator.end]
        k = term.rfind(heredoc.name)
        if k >= 0 and heredoc.name:
            term_span = Span(heredoc.terminator.start + k, heredoc.terminator.start + k + len(heredoc.name))
    return name_span, term_span


def _heredoc_at(doc: Dockerfile, offset: int) -> tuple[Heredoc, Span] | None:
    ins = doc.instruction_at(offset)
    if ins is None:
        return None
    target = ins.sub if ins.sub is not None else ins
    for heredoc in target.heredocs:
        for span in heredoc_spans(doc, heredoc):
            if span is not None and span.contains(offset):
                return heredoc, span
    return None


def target_at(doc: Dockerfile, offset: int) -> Target | None:
    offset = max(0, min(offset, len(doc.text)))
    ref = var_ref_at(doc, offset)
    if ref is not None:
        decl = resolve_ref(doc, ref)
        return Target("variable", ref.name, ref.name_span, decl=decl, ref=ref)
    decl = var_decl_at(doc, offset)
    if decl is not None:
        return Target("variable", decl.name, decl.name_span, decl=decl)
    sref = stage_ref_at(doc, offset)
    if sref is not None:
        name = sref.stage.name or str(sref.stage.index)
        return Target("stage", name, sref.span, stage=sref.stage, stage_ref=sref)
    found = _heredoc_at(doc, offset)
    if found is not None:
        heredoc, span = found
        return Target("heredoc", heredoc.name, span, heredoc=heredoc)
    return None


# -- the requests --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occurrence:
    span: Span
    is_definition: bool
    renamable: bool = True


def occurrences(doc: Dockerfile, target: Target) -> list[Occurrence]:
    """Every occurrence of the target's symbol (definitions and uses), in document order."""
    out: list[Occurrence] = []
    if target.kind == "stage" and target.stage is not None:
        for sr in stage_uses(doc, target.stage):
            out.append(Occurrence(sr.span, sr.kind == "definition", not sr.by_index))
    elif target.kind == "heredoc" and target.heredoc is not None:
        marker, terminator = heredoc_spans(doc, target.heredoc)
        if marker is not None:
            out.append(Occurrence(marker, True))
        if terminator is not None:
            out.append(Occurrence(terminator, False))
    elif target.kind == "variable":
        if target.decl is None:
            # An unresolved use: only the uses of that name that resolve to nothing either, in the
            # same scope (the same stage, or FROM lines).
            ref = target.ref
            assert ref is not None
            index = variable_index(doc)
            for r in index.refs:
                if r.name != target.name:
                    continue
                if index.resolve(r) is None and r.stage is ref.stage and _in_from(r) == _in_from(ref):
                    out.append(Occurrence(r.name_span, False, False))
        else:
            index = variable_index(doc)
            for d in index.symbol_decls(target.decl):
                out.append(Occurrence(d.name_span, True))
            for r in index.symbol_refs(target.decl):
                out.append(Occurrence(r.name_span, False))
    out.sort(key=lambda o: (o.span.start, o.span.end))
    return out


def definition(doc: Dockerfile, offset: int) -> list[Span]:
    """Where the symbol under the cursor is declared.

    On a use: the declaration it reads. On a stage ARG that re-declares a global ARG: the global.
    On a stage name: that name (editors then offer references).
    """
    target = target_at(doc, offset)
    if target is None:
        return []
    if target.kind == "stage" and target.stage is not None:
        st = target.stage
        if st.name_span is not None:
            return [st.name_span]
        return [st.from_instruction.keyword_span]
    if target.kind == "heredoc" and target.heredoc is not None:
        # The marker and its terminator are each other's definition.
        return [o.span for o in occurrences(doc, target) if o.span != target.span]
    decl = target.decl
    if decl is None:
        return []
    if target.ref is None and decl.kind == "arg" and decl.stage is not None:
        glob = _scopes(doc).globals.get(decl.name)
        if glob:
            return [glob[-1].name_span]
    return [decl.name_span]


def references(doc: Dockerfile, offset: int, include_declaration: bool = True) -> list[Span]:
    target = target_at(doc, offset)
    if target is None:
        return []
    return [o.span for o in occurrences(doc, target) if include_declaration or not o.is_definition]


def highlights(doc: Dockerfile, offset: int) -> list[tuple[Span, bool]]:
    """``(span, is_write)`` for each occurrence of the symbol under the cursor."""
    target = target_at(doc, offset)
    if target is None:
        return []
    return [(o.span, o.is_definition) for o in occurrences(doc, target)]


def _protected_variable(name: str) -> bool:
    return name in AUTOMATIC_PLATFORM_ARGS or name in PREDEFINED_ARGS


def prepare_rename(doc: Dockerfile, offset: int) -> tuple[Span, str] | None:
    """The range to rename and its current text, or None where nothing can be renamed."""
    target = target_at(doc, offset)
    if target is None:
        return None
    if target.kind == "stage":
        if target.stage is None or not target.stage.name or target.stage.name_span is None:
            return None
        if target.stage_ref is not None and target.stage_ref.by_index:
            return None
        return target.span, doc.text[target.span.start : target.span.end]
    if target.kind == "heredoc":
        return target.span, target.name
    if target.decl is None or _protected_variable(target.name):
        return None
    if not _spells(doc, target.span, target.name):
        return None
    return target.span, target.name


def _spells(doc: Dockerfile, span: Span, name: str) -> bool:
    """Whether the source at ``span`` is ``name``, once line continuations are joined (BuildKit
    reads ``$po\\`` + newline + ``rt`` as ``$port``)."""
    src = doc.text[span.start : span.end]
    if src == name:
        return True
    esc = re.escape(doc.escape)
    return re.sub(rf"{esc}[ \t]*(?:\r\n|\n|\r)", "", src) == name


HEREDOC_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
# What a new name must look like, by the kind of symbol renamed, and the refusal when it does not.
_NEW_NAMES = {
    "heredoc": (HEREDOC_NAME_RE, "'{name}' is not a usable heredoc delimiter (letters, digits, '_', '.', '-')."),
    "stage": (
        NEW_STAGE_NAME_RE,
        "'{name}' is not a valid stage name: use lower-case letters, digits, '-', '_' and '.', starting with a letter.",
    ),
    "variable": (VARIABLE_NAME_RE, "'{name}' is not a valid variable name (letters, digits and '_', not starting with a digit)."),
}


def rename(doc: Dockerfile, offset: int, new_name: str) -> list[Edit]:
    """The edits that rename the symbol under the cursor; raises :class:`RenameError`."""
    target = target_at(doc, offset)
    if target is None or prepare_rename(doc, offset) is None:
        raise RenameError("Only stage names, ARG/ENV variables and heredoc delimiters can be renamed.")
    if new_name == target.name:
        return []
    pattern, refusal = _NEW_NAMES[target.kind]
    if not pattern.match(new_name):
        raise RenameError(refusal.format(name=new_name))
    if target.kind == "stage":
        return _rename_stage(doc, target, new_name)
    if target.kind == "heredoc":
        return _rename_heredoc(doc, target, new_name)
    return _rename_variable(doc, target, new_name)


def _rename_heredoc(doc: Dockerfile, target: Target, new_name: str) -> list[Edit]:
    heredoc = target.heredoc
    assert heredoc is not None
    # A body line equal to the new name would end the heredoc there.
    for line in re.split(r"\r\n|\n|\r", heredoc.content):
        if (line.lstrip("\t") if heredoc.chomp else line) == new_name:
            raise RenameError(f"The heredoc's body has a line '{new_name}', which would end it early.")
    return [Edit(o.span, new_name) for o in occurrences(doc, target)]


def _rename_stage(doc: Dockerfile, target: Target, new_name: str) -> list[Edit]:
    stage = target.stage
    assert stage is not None and stage.name is not None
    if new_name in RESERVED_STAGE_NAMES:
        raise RenameError(f"'{new_name}' is reserved and cannot name a stage.")
    clash = next((s for s in doc.stages if s is not stage and s.key == new_name.lower()), None)
    if clash is not None:
        raise RenameError(f"Stage {clash.index} is already called '{clash.name}'.")
    # An image of that name used in a later FROM / --from would start resolving to this stage.
    for s in doc.stages[stage.index + 1 :]:
        if s.image is not None and s.base_stage is None and s.image.text.lower() == new_name.lower():
            raise RenameError(f"'{new_name}' is used as an image name on line {doc.range(s.image.span).start.line + 1}.")
        for cf in s.copies_from:
            if cf.stage is None and (cf.flag.value or "").lower() == new_name.lower():
                raise RenameError(f"'{new_name}' is used as an image name on line {doc.range(cf.flag.span).start.line + 1}.")
    edits = []
    for occ in occurrences(doc, target):
        if occ.renamable:
            edits.append(Edit(occ.span, new_name))
    return edits


def _rename_variable(doc: Dockerfile, target: Target, new_name: str) -> list[Edit]:
    decl = target.decl
    assert decl is not None
    if _protected_variable(new_name):
        raise RenameError(f"'{new_name}' is a build argument BuildKit sets itself.")
    index = variable_index(doc)
    decls = index.symbol_decls(decl)
    refs = index.symbol_refs(decl)
    # Two declarations of one kind and name in one scope would be one variable: refuse to merge.
    # (``ARG X`` next to ``ENV X=$X`` is a common idiom and allowed; the check below keeps it sound.)
    ours = {(d.kind, d.stage.index if d.stage is not None else None) for d in decls}
    for other in doc.declarations(new_name):
        if (other.kind, other.stage.index if other.stage is not None else None) in ours:
            line = doc.range(other.name_span).start.line + 1
            raise RenameError(f"'{new_name}' is already declared on line {line}.")
    edits = []
    for d in decls:
        if not _spells(doc, d.name_span, d.name):
            raise RenameError(f"The declaration on line {doc.range(d.name_span).start.line + 1} is quoted or escaped.")
        edits.append(Edit(d.name_span, new_name))
    for r in refs:
        if not _spells(doc, r.name_span, r.name):
            raise RenameError(f"The use on line {doc.range(r.name_span).start.line + 1} is quoted or escaped.")
        edits.append(Edit(r.name_span, new_name))
    edits.sort(key=lambda e: e.span.start)
    _check_bindings(doc, decls, refs, target.name, new_name)
    return edits


def _check_bindings(doc: Dockerfile, decls: list[VarDecl], refs: list[VarRef], old_name: str, new_name: str) -> None:
    """Refuse a rename after which some use would read a different declaration than before.

    Only uses of the old and the new name can change; they are resolved again against the
    declarations as they would be after the rename (BuildKit's scoping, as in the index).
    """
    index = variable_index(doc)
    renamed_decls = {id(d) for d in decls}
    renamed_refs = {id(r) for r in refs}
    candidates = [d for d in _all_decls(doc) if d.name in (old_name, new_name)]
    after = _scopes_of(candidates, {id(d): new_name for d in candidates if id(d) in renamed_decls}, stages=doc.stages)
    for r in index.refs:
        if r.name not in (old_name, new_name):
            continue
        before = index.resolve(r)
        name = new_name if id(r) in renamed_refs else r.name
        now = None if r.instruction.cmd == "onbuild" else _resolve_in(after, name, r.stage, r.instruction.span.start, _in_from(r))
        if now is not before:
            line = doc.lines.line_of(r.name_span.start) + 1
            raise RenameError(f"Renaming would change which declaration '${r.name}' on line {line} reads.")
