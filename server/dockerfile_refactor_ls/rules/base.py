"""The rule interface: each rule module defines ``RULE`` and a ``check`` function.

A rule's module docstring is its documentation, in ruff's shape ("## What it does", "## Why is this
bad?", "## Example", "## Fix"); ``scripts/gen_rule_docs.py`` renders it to ``docs/rules/<code>.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..engine.findings import Finding, Severity
from ..engine.model import Dockerfile, Stage
from ..engine.parser import Instruction
from ..engine.shell import ShellScript, SimpleCommand, iter_runs
from .chains import StageChains
from .kept import KeptResults

DOCS_BASE_URL = "https://github.com/dockerfile-refactor-ls/dockerfile-refactor-ls/blob/main/docs/rules/"


@dataclass(slots=True)
class RuleContext:
    doc: Dockerfile
    # Files of the workspace a rule may read (only .dockerignore for now), already loaded by the
    # caller so that rules stay pure.
    dockerignore: str | None = None
    options: dict[str, object] = field(default_factory=dict)
    # The stages a ``per_stage`` rule reports on: all of them (None), or the few whose findings
    # the runner does not keep from an earlier version (see registry.run_rules).
    only_stages: list[Stage] | None = None
    # Whether to report on the instructions before the first FROM (see ``units``); the runner
    # turns it off while it re-checks stale stages and on for its pass over a fragment.
    preamble: bool = True
    # The RUNs (with their stages, in document order) that RUN-walking rules report on: all of
    # them (None), or the few the runner re-checks because an edit touched them (see
    # registry.run_rules). Rules read it through ``runs()``.
    only_runs: list[tuple[Stage | None, Instruction]] | None = None
    # What the runner (and a rule with its own per-RUN memory, such as ShellCheck) keeps from the
    # document's earlier versions: the caller passes the document's store to keep results across
    # keystrokes; a fresh one keeps nothing beyond this analysis.
    kept: KeptResults = field(default_factory=KeptResults)
    # Told ``(rules done, rules in all)`` as the runner goes (the server shows a long first
    # analysis as work-done progress); called in the thread that runs the rules.
    progress: Callable[[int, int], None] | None = None
    # Called after every rule, in the thread that runs them, outside the rule's own error
    # handling: the server answers requests that wait for that thread there, and stops a run
    # whose text is outdated by raising (see analysis_thread.RulesOutdated).
    between_rules: Callable[[], None] | None = None
    # Stage-chain answers for this analysis (see rules/chains.py): made on first use, dropped with
    # the context, so no cache outlives the text it was computed from.
    _chains: StageChains | None = None

    def chains(self) -> StageChains:
        if self._chains is None:
            self._chains = StageChains(self.doc)
        return self._chains

    def stages(self) -> list[Stage]:
        """The stages to report on; rules marked ``per_stage`` iterate these, not ``doc.stages``."""
        return self.doc.stages if self.only_stages is None else self.only_stages

    def runs(self, onbuild: bool = True) -> Iterator[tuple[Stage | None, Instruction, ShellScript]]:
        """The RUNs to report on (and ``ONBUILD RUN`` when ``onbuild``) with their analysis, in
        document order, as :func:`engine.shell.iter_runs` yields them: ``(stage, instruction,
        script)``, RUNs that do not go to a POSIX shell skipped. Rules marked ``per_run`` or
        ``per_stage`` iterate these, not ``iter_runs(doc)``: only the selected RUNs are analysed
        (or moved to their new offsets), so a keystroke costs the RUNs it touched."""
        return iter_runs(self.doc, onbuild, self.only_runs)

    def commands(self, *names: str) -> Iterator[SimpleCommand]:
        """Every simple command of :meth:`runs` in document order, or those called one of
        ``names``: what the rules that check a command wherever a RUN runs it walk."""
        for _stage, _ins, script in self.runs():
            yield from (script.named(*names) if names else script.commands)

    def units(self) -> list[tuple[Stage | None, list[Instruction]]]:
        """The stages to report on with their instructions, and first (stage None) the
        instructions before any FROM: a fragment (a snippet, a half-typed file) is linted too, as
        hadolint does."""
        out: list[tuple[Stage | None, list[Instruction]]] = [(st, st.instructions) for st in self.stages()]
        if self.preamble and self.doc.preamble:
            out.insert(0, (None, self.doc.preamble))
        return out


def instructions_of(doc: Dockerfile, *cmds: str) -> Iterator[Instruction]:
    """The instructions whose command is one of ``cmds`` (lower case), in document order and
    before the first FROM too, an ``ONBUILD`` standing for its trigger (``ONBUILD LABEL`` is a
    LABEL): what the rules that check one kind of instruction wherever it is written walk."""
    for ins in doc.instructions:
        target = ins.sub if ins.sub is not None else ins
        if target.cmd in cmds:
            yield target


CheckFn = Callable[[RuleContext], Iterable[Finding]]


@dataclass(slots=True)
class Rule:
    code: str
    name: str  # a short kebab-case title
    summary: str  # one line, for listings
    severity: Severity
    origin: str  # "buildkit", "hadolint" or "dockerfile-refactor-ls"
    check: CheckFn
    doc: str = ""
    module: str = ""
    # True when the findings for a RUN depend only on that RUN instruction (its text, flags and
    # heredocs). The runner then keeps them on the instruction and re-runs the rule only for RUNs
    # an edit touched (see registry.run_rules).
    per_run: bool = False
    # True when the findings located in a stage depend only on the instructions of that stage and
    # of the stages it is built on (``FROM <stage>``), plus the document's FROM, SHELL and global
    # ARG instructions; and the rule walks stages through ``ctx.stages()`` and RUNs through
    # ``ctx.runs()``. The runner then keeps the findings per stage and re-runs the rule only for
    # stages an edit touched.
    per_stage: bool = False
    # BuildKit checks: off unless ``# check=experimental=<code>`` (or ``all``) enables it.
    experimental: bool = False
    # BuildKit checks that BuildKit runs over the whole file rather than while dispatching one
    # instruction: a ``# check=`` comment above the instruction does not silence them.
    file_scoped: bool = False
    # What the findings depend on besides the model and the context's options: called before each
    # run, it returns a value that changes when that does (ShellCheck's results coming in, the
    # secrets detector being built). The runner reuses a rule's findings on the same model object
    # with the same options while this value is unchanged; a rule without it is a pure function of
    # those two (a rule that reads anything else must say so here).
    outside_state: Callable[[], object] | None = None

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}.md"

    def finding(
        self, span: object, message: str, severity: Severity | None = None, **kw: object
    ) -> Finding:
        from ..engine.text import Span

        assert isinstance(span, Span)
        return Finding(self.code, message, span, severity or self.severity, **kw)  # type: ignore[arg-type]
