"""Discovers rule modules and runs them."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import cast

from ..engine.findings import Finding
from ..engine.model import Dockerfile, Stage
from ..engine.parser import Instruction
from .base import Rule, RuleContext
from .kept import SERIAL

log = logging.getLogger(__name__)
_PACKAGES = ("syntax", "buildkit", "hadolint", "own")


@cache
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for pkg in _PACKAGES:
        base = importlib.import_module(f"{__package__}.{pkg}")
        for info in pkgutil.iter_modules(base.__path__):
            if info.name.endswith("_test") or info.name.startswith("_"):
                continue
            mod = importlib.import_module(f"{base.__name__}.{info.name}")
            rule = getattr(mod, "RULE", None)
            if isinstance(rule, Rule):
                rule.doc = (mod.__doc__ or "").strip()
                rule.module = mod.__name__
                rules.append(rule)
    rules.sort(key=lambda r: (_PACKAGES.index(r.module.split(".")[-2]), r.code))
    return tuple(rules)


def rule_by_code(code: str) -> Rule | None:
    return _by_code().get(code)


@cache
def _by_code() -> dict[str, Rule]:
    # Looked up once per published diagnostic: thousands of times per keystroke on a huge file.
    return {r.code: r for r in all_rules()}


def run_rules(ctx: RuleContext, enabled: frozenset[str] | None = None) -> list[Finding]:
    """Every finding of every rule; a rule that raises is logged and skipped, never fatal.

    Run again on the same model object with the same options (the secrets detector or
    ShellCheck's results arriving, a setting that only changes severities or suppressions), a
    rule is run again only if it reads outside state (``Rule.outside_state``) and that changed:
    the others' findings are the last run's (a second whole run took 3.1 s at 50,000 stages)."""
    out: list[Finding] = []
    per_run: list[Rule] = []
    per_stage: list[Rule] = []
    whole: list[Rule] = []
    for rule in all_rules():
        if enabled is not None and rule.code not in enabled:
            continue
        if rule.per_run:
            per_run.append(rule)
        elif rule.per_stage:
            per_stage.append(rule)
        else:
            whole.append(rule)
    signature = _run_signature(ctx, enabled)
    last = _last_run(ctx, signature)
    this = _LastRun(weakref.ref(ctx.doc), signature)
    total = len(whole) + len(per_run) + len(per_stage)
    progress = ctx.progress
    for done, rule in enumerate(whole, 1):
        state = rule.outside_state() if rule.outside_state is not None else None
        previous = last.findings.get(rule.code) if last is not None else None
        if previous is not None and previous[0] == state:
            found = previous[1]
        else:
            found = []
            _run(rule, ctx, found)
        this.findings[rule.code] = (state, found)
        out.extend(found)
        if progress is not None:
            progress(done, total)
    done = len(whole)
    for key, group, run_group in (("per_run", per_run, _run_per_run), ("per_stage", per_stage, _run_per_stage)):
        if not group:
            continue
        previous = last.findings.get(key) if last is not None else None
        if previous is not None and all(r.outside_state is None for r in group):
            found = previous[1]
        else:
            found = []
            run_group(group, ctx, found)
        this.findings[key] = (None, found)
        out.extend(found)
        done += len(group)
        if progress is not None:
            progress(done, total)
    ctx.kept.values[_LAST_RUN] = this
    ctx.kept.retain(ctx.doc)
    return out


_LAST_RUN = "last-run"


@dataclass(slots=True)
class _LastRun:
    """The findings of the last run on a model, per whole-file rule (with the outside state they
    were found with) and per group of RUN-local and stage-local rules (under "per_run" and
    "per_stage"); held weakly, so the store keeps no old model alive."""

    doc: weakref.ref[Dockerfile]
    signature: tuple[object, ...]
    findings: dict[str, tuple[object, list[Finding]]] = field(default_factory=dict)


def _run_signature(ctx: RuleContext, enabled: frozenset[str] | None) -> tuple[object, ...]:
    return (enabled, repr(sorted(ctx.options.items())), ctx.dockerignore)


def _last_run(ctx: RuleContext, signature: tuple[object, ...]) -> _LastRun | None:
    """The last run's findings if they were found on this very model with the same options."""
    last = ctx.kept.values.get(_LAST_RUN)
    if not isinstance(last, _LastRun) or last.doc() is not ctx.doc or last.signature != signature:
        return None
    return last


def run_local_rules(ctx: RuleContext, stages: list[Stage], enabled: frozenset[str] | None = None) -> list[Finding]:
    """The findings of the stage-local and RUN-local rules (``per_stage``, ``per_run``) on
    ``stages`` and the instructions before the first FROM, and only those located there: what
    those rules report about a stage depends on nothing after its stage chain but the later FROM,
    SHELL and global ARG instructions (which stage is final, say), so the caller passes stages
    whose findings that cannot change (see ``analysis.diagnose_head``). Nothing is kept."""
    from ..engine.shell import run_instructions

    doc = ctx.doc
    rules = [r for r in all_rules() if (r.per_run or r.per_stage) and (enabled is None or r.code in enabled)]
    wanted = {id(st) for st in stages}
    found: list[Finding] = []
    runs = [(st, ins) for st, ins in run_instructions(doc) if st is None or id(st) in wanted]
    _run_on(rules, ctx, stages, runs, found)
    out = []
    for f in found:
        stage = doc.stage_at(f.span.start)  # None: before the first FROM
        if stage is None or id(stage) in wanted:
            out.append(f)
    return out


def _run(rule: Rule, ctx: RuleContext, out: list[Finding]) -> None:
    try:
        out.extend(rule.check(ctx))
    except Exception:  # a bug in one rule must not hide the others
        log.exception("rule %s failed", rule.code)
    if ctx.between_rules is not None:
        ctx.between_rules()


def _context_signature(rules: list[Rule], ctx: RuleContext) -> tuple[object, ...]:
    """What kept findings depend on besides their own RUN or stage.

    FROM and SHELL instructions (and ``# hadolint shell=`` pragmas) decide whether a stage's RUNs go to a POSIX shell, which image a
    stage starts from, which stage builds on which and which stage is final; global ARGs can name
    the base image. Incremental parsing re-creates exactly the instructions an edit touched, so
    their identities say whether any of that changed.
    """
    from ..engine.shell import shell_pragmas

    doc = ctx.doc
    uid = ctx.kept.uid
    codes = tuple(r.code for r in rules)
    signature = (
        codes,
        shell_pragmas(doc),
        tuple(uid(i) for i in doc.instructions if i.cmd in ("from", "shell")),
        tuple(uid(i) for i in doc.preamble),
        repr(sorted(ctx.options.items())),
        ctx.dockerignore,
    )
    # Kept keys are compared once per RUN and stage: hand out the same object while the signature
    # is unchanged, so those comparisons stop at identity instead of walking every FROM again.
    slot = ("signature", codes)
    last = cast("tuple[object, ...] | None", ctx.kept.values.get(slot))
    if signature == last:
        return last
    ctx.kept.values[slot] = signature
    return signature


def _run_per_run(rules: list[Rule], ctx: RuleContext, out: list[Finding]) -> None:
    """Run RUN-local rules only on RUNs whose findings are not already kept for the instruction.

    Kept findings are valid while (a) the instruction object is the same (incremental parsing
    re-creates the ones an edit touched) and (b) the context signature is the same.
    """
    from ..engine.shell import run_instructions

    doc = ctx.doc
    kept = ctx.kept
    signature = _context_signature(rules, ctx)
    entries = run_instructions(doc)
    runs = [ins for _stage, ins in entries]
    kept_runs = kept.slot("run-findings")
    stale_entries = [(st, ins) for st, ins in entries if not _fresh(kept_runs.get(ins), signature)]
    stale = [ins for _st, ins in stale_entries]
    if stale:
        fresh: dict[int, list[Finding]] = {id(ins): [] for ins in stale}
        ctx.only_runs = stale_entries
        try:
            # Outside any re-checked RUN: report, do not keep.
            out.extend(_sorted_into(fresh, rules, ctx, doc.instruction_at))
        finally:
            ctx.only_runs = None
        for ins in stale:
            kept_runs[ins] = (signature, ins.span.start, fresh[id(ins)])
    for ins in runs:
        out.extend(_kept(kept_runs, ins, signature))


def _run_per_stage(rules: list[Rule], ctx: RuleContext, out: list[Finding]) -> None:
    """Run stage-local rules only on stages whose findings are not already kept.

    A stage's findings are kept for its FROM instruction with the identities of every instruction
    of the stage and of the stages it builds on, and the stage's text: an edit anywhere in that
    chain, or to the context signature, makes the stage stale.
    """
    from ..engine.shell import run_instructions

    doc = ctx.doc
    kept = ctx.kept
    signature = _context_signature(rules, ctx)
    kept_stages = kept.slot("stage-findings")
    chain_slot = kept.slot("chain-identity")
    keys: dict[int, tuple[object, ...]] = {}
    chains: dict[int, int] = {}
    stale: list[Stage] = []
    starts = [st.from_instruction.span.start for st in doc.stages] + [len(doc.text)]
    for k, stage in enumerate(doc.stages):
        # The stage's own text (to the next FROM) too: an edit in a comment or blank line between
        # two of its instructions re-creates no instruction but moves the later ones, and with
        # them the findings, relative to the FROM the findings are kept on.
        key = (signature, _chain_identity(stage, chains, kept.uid, chain_slot), doc.text[starts[k] : starts[k + 1]])
        keys[id(stage)] = key
        if not _fresh(kept_stages.get(stage.from_instruction), key):
            stale.append(stage)
    if stale:
        fresh: dict[int, list[Finding]] = {id(st): [] for st in stale}
        stale_ids = set(fresh)
        ctx.only_runs = [(st, ins) for st, ins in run_instructions(doc) if st is not None and id(st) in stale_ids]
        ctx.only_stages = stale
        ctx.preamble = False
        try:
            outside = _sorted_into(fresh, rules, ctx, doc.stage_at)
            leaked = bool(outside)
            out.extend(outside)
        finally:
            ctx.only_runs = None
            ctx.only_stages = None
            ctx.preamble = True
        if leaked:
            # A rule reported outside the stages it was asked about: it is not stage-local after
            # all. Report this version's findings but keep nothing, so nothing can go stale.
            log.debug("a per-stage rule reported outside its stage; not keeping stage findings")
            for st in stale:
                out.extend(fresh[id(st)])
            for st in doc.stages:
                if id(st) not in stale_ids:
                    out.extend(_kept(kept_stages, st.from_instruction, keys[id(st)]))
                    kept_stages.pop(st.from_instruction, None)
            return
        for st in stale:
            kept_stages[st.from_instruction] = (keys[id(st)], st.from_instruction.span.start, fresh[id(st)])
    for st in doc.stages:
        out.extend(_kept(kept_stages, st.from_instruction, keys[id(st)]))
    _run_on_preamble_runs(rules, ctx, out)


def _run_on_preamble_runs(rules: list[Rule], ctx: RuleContext, out: list[Finding]) -> None:
    """Instructions before the first FROM belong to no stage: a fragment (a half-typed file, a
    snippet) still gets what the stage-local rules decide about them (through ``ctx.runs()`` and
    ``ctx.units()``), as hadolint lints fragments. Not kept: such a file is an error BuildKit
    refuses, and rarely large."""
    from ..engine.shell import run_instructions

    doc = ctx.doc
    if all(ins.cmd == "arg" for ins in doc.preamble):
        return  # no preamble, or only global ARGs: nothing stage-local to report
    _run_on(rules, ctx, [], [(st, ins) for st, ins in run_instructions(doc) if st is None], out)


def _run_on(
    rules: list[Rule], ctx: RuleContext, stages: list[Stage], runs: list[tuple[Stage | None, Instruction]],
    out: list[Finding],
) -> None:
    """Run ``rules`` with their stages and RUNs narrowed to ``stages`` and ``runs``."""
    ctx.only_runs = runs
    ctx.only_stages = stages
    try:
        for rule in rules:
            _run(rule, ctx, out)
    finally:
        ctx.only_runs = None
        ctx.only_stages = None


def _sorted_into(
    buckets: dict[int, list[Finding]], rules: list[Rule], ctx: RuleContext, locate: Callable[[int], object]
) -> list[Finding]:
    """Run ``rules`` and put each finding in the bucket of the unit (RUN or stage) ``locate``
    finds at its start; return the findings that belong to no bucket."""
    outside: list[Finding] = []
    for rule in rules:
        found: list[Finding] = []
        _run(rule, ctx, found)
        for f in found:
            unit = locate(f.span.start)
            bucket = buckets.get(id(unit)) if unit is not None else None
            (outside if bucket is None else bucket).append(f)
    return outside


def _chain_identity(
    stage: Stage, memo: dict[int, int], uid: Callable[[Instruction], int], chain_slot: dict[Instruction, object]
) -> int:
    """A number for the instruction objects of ``stage`` and of the stages it builds on: two
    versions get the same number exactly when that whole chain is the same objects.

    Built from the parent's number (kept for the FROM with what it was built from), so a chain of
    n stages costs O(n) in all; the tuple of every id in the chain, per stage, made 50,000 stages
    that each build on the one before quadratic. ``memo`` holds the numbers of this run's stages;
    ``uid`` and ``chain_slot`` come from the runner's store (looked up once per run, not per stage).
    """
    path: list[Stage] = []
    seen: set[int] = set()
    st: Stage | None = stage
    parent_identity = -1  # no parent
    while st is not None:
        known = memo.get(id(st))
        if known is not None:
            parent_identity = known
            break
        if id(st) in seen:  # a cycle (not valid BuildKit, but the model allows it): stop there
            break
        seen.add(id(st))
        path.append(st)
        st = st.base_stage
    for st in reversed(path):
        own = (uid(st.from_instruction), *(uid(i) for i in st.instructions))
        key = (own, parent_identity)
        known_chain = chain_slot.get(st.from_instruction)
        if isinstance(known_chain, tuple) and known_chain[0] == key:
            identity = cast(int, known_chain[1])
        else:
            identity = next(SERIAL)
            chain_slot[st.from_instruction] = (key, identity)
        memo[id(st)] = parent_identity = identity
    return memo[id(stage)]


def _kept(slot: dict[Instruction, object], holder: Instruction, key: object) -> list[Finding]:
    """The findings kept for ``holder`` in ``slot``, moved to where it now starts."""
    from ..engine.findings import shifted

    entry = cast(tuple[object, int, list[Finding]], slot[holder])
    base, findings = entry[1], entry[2]
    d = holder.span.start - base
    if d:
        findings = [shifted(f, d) for f in findings]
        slot[holder] = (key, holder.span.start, findings)
    return findings


def _fresh(entry: object, signature: object) -> bool:
    return isinstance(entry, tuple) and entry[0] == signature
