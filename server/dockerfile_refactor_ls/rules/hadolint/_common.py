"""Helpers shared by the hadolint rules (not a rule module: the leading underscore keeps it out of
the registry)."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator

from ...engine.findings import Edit, Finding, Fix
from ...engine.images import stage_chain
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import ShellScript, SimpleCommand, Word, run_instructions, run_script
from ...engine.text import Span
from ..base import Rule, RuleContext

HADOLINT_WIKI = "https://github.com/hadolint/hadolint/wiki/"

# Per document version: RUNs grouped by stage, and the stages other stages are built on.
_RUNS_BY_STAGE: weakref.WeakKeyDictionary[Dockerfile, dict[int, list[Instruction]]] = (
    weakref.WeakKeyDictionary()
)
_BASES: weakref.WeakKeyDictionary[Dockerfile, set[int]] = weakref.WeakKeyDictionary()



def is_shipped(doc: Dockerfile, stage: Stage | None) -> bool:
    """The final stage, or a stage a later stage is built on (its layers end up in an image)."""
    if stage is None:
        return True
    if stage is doc.final_stage:
        return True
    bases = _BASES.get(doc)
    if bases is None:
        bases = {id(s.base_stage) for s in doc.stages if s.base_stage is not None}
        _BASES[doc] = bases
    return id(stage) in bases


def cache_mount_targets(ins: Instruction) -> list[str]:
    """Targets of ``RUN --mount=type=cache,target=...`` and ``--mount=type=tmpfs,target=...``
    flags: either keeps what is written there out of the layer, as hadolint counts them."""
    target_ins = ins.sub if ins.sub is not None else ins
    out: list[str] = []
    for f in target_ins.flags:
        if f.name.lower() != "mount" or not f.value:
            continue
        opts: dict[str, str] = {}
        for part in f.value.split(","):
            k, _, v = part.partition("=")
            opts[k.strip().lower()] = v.strip()
        if opts.get("type") in ("cache", "tmpfs"):
            target = opts.get("target") or opts.get("dst") or opts.get("destination")
            if target:
                out.append(target.strip("'\""))
    return out


def has_cache_mount(ins: Instruction, *prefixes: str) -> bool:
    return any(t.rstrip("/").startswith(p.rstrip("/")) for t in cache_mount_targets(ins) for p in prefixes)


def mounts_with(ins: Instruction, fragment: str) -> bool:
    """A cache or tmpfs mount whose target contains ``fragment`` (hadolint's
    ``hasCacheOrTmpfsMountWith``: ``~/.cache/pip`` and ``/root/.cache/pip`` both hold ``.cache/pip``)."""
    return any(fragment in t for t in cache_mount_targets(ins))


def repeated(instructions: list[Instruction], cmd: str) -> list[Instruction]:
    """The ``cmd`` instructions after the first of them: only the last one takes effect (DL3012
    HEALTHCHECK, DL4003 CMD, DL4004 ENTRYPOINT report these)."""
    return [i for i in instructions if i.cmd == cmd][1:]


def insert_after(word: Word, text: str) -> Edit:
    return Edit(Span(word.span.end, word.span.end), text)


def append_fix(
    script: ShellScript, title: str, command: str, safe: bool = True, drops: tuple[str, ...] = (),
    read_by: tuple[str, ...] = (),
) -> list[Fix]:
    """A fix that appends ``&& command`` to the RUN, when that keeps the script's structure."""
    if script.append_at is None:
        return []
    edit = Edit(Span(script.append_at, script.append_at), f" && {command}")
    return [Fix(title, [edit], safe=safe, drops=drops, read_by=read_by)]


def has_variable(value: str) -> bool:
    return "$" in value or "`" in value


def _runs_by_stage(doc: Dockerfile) -> dict[int, list[Instruction]]:
    """Every RUN of each stage, whatever ``ctx.runs()`` selects (the rule runner narrows what
    rules report on, not the context they read)."""
    by_stage = _RUNS_BY_STAGE.get(doc)
    if by_stage is None:
        # Indexed once per document version: scanning every RUN for every call made the rules
        # that use this quadratic in the file's size.
        by_stage = {}
        for st, run in run_instructions(doc):
            if st is not None and run.sub is None:
                by_stage.setdefault(id(st), []).append(run)
        _RUNS_BY_STAGE[doc] = by_stage
    return by_stage


def mentioned_before(ctx: RuleContext, stage: Stage | None, ins: Instruction, needle: str) -> bool:
    """Whether the shell text of a RUN up to ``ins`` (included) in ``stage``'s chain contains
    ``needle`` (for configuration checks: ``Assume-Yes`` written by an earlier RUN).

    A parent stage comes before ``stage`` in the document, so all of its RUNs count: that part is
    one answer per stage and needle for the analysis (joining the chain's RUNs for every RUN was
    quadratic on a long chain)."""
    if stage is None:
        return False
    doc = ctx.doc
    by_stage = _runs_by_stage(doc)
    for run in by_stage.get(id(stage), ()):
        if run.span.start > ins.span.start:
            break
        script = run_script(doc, run)
        if script is not None and needle in script.source:
            return True
    base = ctx.chains().base(stage)
    if base is None:
        return False

    def own(st: Stage) -> bool:
        for run in by_stage.get(id(st), ()):
            script = run_script(doc, run)
            if script is not None and needle in script.source:
                return True
        return False

    return ctx.chains().fold(base, ("mentions", needle), own, lambda a, b: a or b)


def env_set_in_chain(ctx: RuleContext, stage: Stage | None, name: str, before: int) -> str | None:
    """The value of the last ``ENV``/``ARG`` default ``name`` in ``stage``'s chain before ``before``
    (the parents' part remembered per stage for the analysis).

    A stage's ``ARG name`` without a default takes the global ``ARG``'s (BuildKit hands it to the
    stage's RUNs). In a fragment (``stage`` None: no FROM yet) the ENVs and ARGs before ``before``
    count, as hadolint reads them.
    """
    doc = ctx.doc
    if stage is None:
        decls = [d for d in doc.preamble_envs + doc.global_args if d.name == name and d.instruction.span.start < before]
        decls.sort(key=lambda d: d.instruction.span.start)
        return next((d.value for d in reversed(decls) if d.value is not None), None)

    def global_default(st: Stage) -> str | None:
        start = st.from_instruction.span.start
        found = [d for d in doc.global_args if d.name == name and d.instruction.span.start < start]
        return found[-1].value if found else None

    def last(st: Stage, before: int | None = None) -> str | None:
        for decl in sorted(st.envs + st.args, key=lambda d: d.instruction.span.start, reverse=True):
            if decl.name != name or (before is not None and decl.instruction.span.start >= before):
                continue
            if decl.value is not None:
                return decl.value
            if decl.kind == "arg":
                inherited = global_default(st)
                if inherited is not None:
                    return inherited
        return None

    mine = last(stage, before)
    if mine is not None or stage.base_stage is None:
        return mine
    return ctx.chains().fold(
        stage.base_stage, ("env", name), last, lambda m, above: m if m is not None else above, via_args=False
    )


_VAR_NAME = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_RPM_VERSION_PART = re.compile(r"^[A-Za-z0-9.~^_:+]+$")


def declared_in_chain(doc: Dockerfile, stage: Stage | None, name: str, before: int) -> bool:
    """Whether a RUN at ``before`` in ``stage`` has ``name`` in its environment by the Dockerfile:
    an ``ENV`` or ``ARG`` of the stage before it, or of a stage it is built on. A global ``ARG``
    counts only where the stage declares it again, as BuildKit passes it; in a fragment (no FROM
    yet) the ENVs and ARGs before ``before`` count."""
    if stage is None:
        return any(d.name == name and d.instruction.span.start < before for d in doc.preamble_envs + doc.global_args)
    for k, st in enumerate(stage_chain(stage)):
        if any(d.name == name and (k > 0 or d.instruction.span.start < before) for d in st.envs + st.args):
            return True
    return False


def rpm_package_pinned(doc: Dockerfile, stage: Stage | None, before: int, package: str) -> bool:
    """hadolint 2.15's test for a yum/dnf package (DL3033, DL3041): a local ``.rpm``, a path, a
    ``@group`` or a range pins it; a part after a ``-`` must look like a version (``tomcat-9.2``,
    ``openssl-1:1.1.1k``; ``git-core`` has none); a variable pins it only when the RUN has it
    (``git-core-${version}`` with ``ENV version`` in the stage or its base, not in another stage)."""
    if "/" in package or package.endswith(".rpm") or package.startswith("@") or any(c in package for c in "=<>"):
        return True
    if "$(" in package or "`" in package:
        return True  # a command's output: not known here
    names = _VAR_NAME.findall(package)
    if names:
        return any(declared_in_chain(doc, stage, n, before) for n in names)
    parts = package.split("-")
    if len(parts) <= 1:
        return False
    rest = parts[1:]
    return all(_RPM_VERSION_PART.match(x) for x in rest) and any(x[:1].isdigit() for x in rest)


# apt-get options that take a value (so the next word is not a package).
APT_VALUE_FLAGS = ("o", "c", "t", "a", "option", "config-file", "target-release", "default-release", "host-architecture")


def apt_get_install(cmd: SimpleCommand) -> Word | None:
    """The ``install`` word when ``cmd`` is ``apt-get [options] install ...``."""
    if cmd.name != "apt-get":
        return None
    sub = cmd.subcommand(APT_VALUE_FLAGS)
    return sub if sub is not None and sub.value == "install" else None


def head(cmd: SimpleCommand, sub: Word | None = None) -> Span:
    return cmd.head_span(sub)


# yum / dnf / zypper ------------------------------------------------------------------------------

YUM_VALUE_FLAGS = (
    "c", "config", "installroot", "enablerepo", "disablerepo", "x", "exclude", "setopt", "d",
    "debuglevel", "e", "errorlevel", "releasever", "R", "randomwait", "downloaddir", "destdir",
    "repo", "repoid", "forcearch", "repofrompath", "color",
)  # fmt: skip
ZYPPER_VALUE_FLAGS = (
    "R", "root", "D", "reposd-dir", "C", "cache-dir", "c", "config", "t", "type", "r", "repo",
    "from", "raw-cache-dir", "solv-cache-dir", "pkg-cache-dir",
)  # fmt: skip


def subcommand_in(cmd: SimpleCommand, names: tuple[str, ...], subs: tuple[str, ...], value_flags: tuple[str, ...]) -> Word | None:
    """The subcommand word when ``cmd`` is one of ``names`` and its subcommand is one of ``subs``."""
    if cmd.name not in names:
        return None
    sub = cmd.subcommand(value_flags)
    return sub if sub is not None and sub.value in subs else None


def packages_after(cmd: SimpleCommand, sub: Word, value_flags: tuple[str, ...]) -> list[Word]:
    """Positional words after ``sub`` (the packages of an install command)."""
    return [w for w in cmd.positional(value_flags) if w.span.start > sub.span.start]


def cleaned_after(cmds: list[SimpleCommand], after: SimpleCommand, test: Callable[[SimpleCommand], bool]) -> bool:
    """Whether a command after ``after`` in the same script passes ``test``."""
    return any(c.index > after.index and test(c) for c in cmds)


def shown(values: list[str]) -> str:
    """The first five values, quoted, for a message (", ..." when there are more)."""
    return ", ".join(f"`{p}`" for p in values[:5]) + (", ..." if len(values) > 5 else "")


def unpinned(rule: Rule, span: Span, loose: list[str], message: str) -> Iterator[Finding]:
    """The pin rules' finding on one install command: ``message`` and the first packages it leaves
    unpinned (``loose``); none when it pins them all."""
    if loose:
        yield rule.finding(span, f"{message} (unpinned: {shown(loose)})")


YUM_INSTALLS = ("install", "groupinstall", "localinstall")


def missing_rpm_pins(
    ctx: RuleContext, rule: Rule, tools: tuple[str, ...], message: str, module_left_alone: Callable[[str], bool]
) -> Iterator[Finding]:
    """``<tool> install`` of packages without a version and ``<tool> module install`` of modules
    without a stream (DL3033 for yum, DL3041 for dnf); ``module_left_alone`` says which module
    names are not checked (those given by a variable)."""
    doc = ctx.doc
    for stage, ins, script in ctx.runs():
        for cmd in script.named(*tools):
            pos = cmd.positional(YUM_VALUE_FLAGS)
            if not pos:
                continue
            if pos[0].value == "module" and len(pos) > 1 and pos[1].value == "install":
                sub = pos[1]
                loose = [w.value for w in pos[2:] if ":" not in w.value and not module_left_alone(w.value)]
            elif pos[0].value == "install":
                sub = pos[0]
                loose = [w.value for w in pos[1:] if not rpm_package_pinned(doc, stage, ins.span.start, w.value)]
            else:
                continue
            yield from unpinned(rule, cmd.head_span(sub), loose, message)


def missing_option(
    ctx: RuleContext,
    rule: Rule,
    install: Callable[[SimpleCommand], Word | None],
    present: Callable[[SimpleCommand], bool],
    config_key: str | None,
    message: str,
    option: str,
    safe: bool = True,
) -> Iterator[Finding]:
    """A package-manager command (``install`` gives its subcommand word) without an option
    (``present`` says it is there): DL3014 and DL3015 for apt-get, DL3030/DL3038 for yum/dnf, DL3034
    for zypper. Not reported when an earlier RUN of the stage chain mentions ``config_key`` (the
    option set in the package manager's configuration). The fix inserts ``option`` after the
    subcommand."""
    for stage, ins, script in ctx.runs():
        for cmd in script.commands:
            sub = install(cmd)
            if sub is None or present(cmd):
                continue
            if config_key is not None and mentioned_before(ctx, stage, ins, config_key):
                continue
            fix = Fix(f"Add {option}", [insert_after(sub, f" {option}")], safe=safe, preferred=True)
            yield rule.finding(cmd.head_span(sub), message, fixes=[fix])


def missing_assume_yes(ctx: RuleContext, rule: Rule, tools: tuple[str, ...], message: str) -> Iterator[Finding]:
    """``<tool> install`` without ``-y``/``--assumeyes`` (DL3030 for yum, DL3038 for dnf), unless an
    earlier RUN of the stage chain sets ``assumeyes`` in the configuration."""
    return missing_option(
        ctx, rule, lambda cmd: subcommand_in(cmd, tools, YUM_INSTALLS, YUM_VALUE_FLAGS),
        lambda cmd: cmd.has_flag("y", "assumeyes"), "assumeyes", message, "-y",
    )


def missing_cache_cleanup(
    ctx: RuleContext,
    rule: Rule,
    tools: tuple[str, ...],
    installs: tuple[str, ...],
    value_flags: tuple[str, ...],
    cache_dirs: tuple[str, ...],
    is_clean: Callable[[SimpleCommand], bool],
    message: str,
    clean_command: Callable[[SimpleCommand], str],
) -> Iterator[Finding]:
    """A package install whose RUN leaves the package manager's cache behind (DL3032 yum,
    DL3036 zypper, DL3040 dnf): not when a later command of the RUN cleans it, nor when the cache
    directory is a cache mount. One finding per RUN, with a fix appending the clean command."""
    for _stage, ins, script in ctx.runs():
        if has_cache_mount(ins, *cache_dirs):
            continue
        for cmd in script.commands:
            sub = subcommand_in(cmd, tools, installs, value_flags)
            if sub is None or cleaned_after(script.commands, cmd, is_clean):
                continue
            clean = clean_command(cmd)
            fixes = append_fix(script, f"Append {clean}", clean, drops=cache_dirs)
            yield rule.finding(cmd.head_span(sub), message, fixes=fixes)
            break
