"""The stage walk: what is in force before each instruction of the last stage, and the commands of
its RUNs with their directory and variables. Toolchain modules read it to find the build."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ...engine.findings import Edit
from ...engine.image_facts import ImageFacts
from ...engine.images import ImageName
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import SimpleCommand, run_script
from ...engine.shell import analyse as shell_analyse
from ...engine.text import Span
from .. import _makefile as makefile
from .._context import context_for
from .._toolchains import SHELL_NAMES, expand, resolve, shell_words, unquote
from ..base import NotApplicable
from .runtimes import RuntimeImage

# Instructions that only describe the image (they do nothing for later build steps).
RUNTIME_ONLY = frozenset(
    ("cmd", "entrypoint", "expose", "healthcheck", "stopsignal", "volume", "label", "maintainer", "onbuild")
)
CONFIG = RUNTIME_ONLY | frozenset(("env", "arg", "workdir", "user"))
# ENV names that only steer a toolchain; not repeated in the runtime unless something uses them.
BUILD_ENV = re.compile(
    r"^(CGO_ENABLED|GOOS|GOARCH|GOARM|GOAMD64|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GONOPROXY|GOSUMDB|"
    r"GO111MODULE|GOCACHE|GOMODCACHE|GOTOOLCHAIN|CARGO_[A-Z_]+|RUSTFLAGS|RUSTC_WRAPPER|MAVEN_[A-Z_]+|"
    r"GRADLE_[A-Z_]+|PIP_[A-Z_]+|POETRY_[A-Z_]+|PIPENV_[A-Z_]+|UV_[A-Z_]+|npm_config_\w+|NPM_CONFIG_\w+|"
    r"YARN_[A-Z_]+|DEBIAN_FRONTEND|APT_[A-Z_]+)$"
)
SYSTEM_BIN = ("/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin")
BUILDER_NAMES = ("builder", "build", "builder-stage", "builder2", "builder3")
KEEP_AS_BUILDER = frozenset(
    ("builder", "build", "build-env", "compile", "compiler", "build-stage", "builder-stage")
)
INIT_WRAPPERS = frozenset(("tini", "dumb-init", "catatonit"))
# Directories every runtime image with a shell has.
STANDARD_DIRS = frozenset(
    (
        "/",
        "/home",
        "/opt",
        "/usr",
        "/usr/local",
        "/usr/local/bin",
        "/usr/local/lib",
        "/usr/share",
        "/var",
        "/var/log",
        "/var/lib",
        "/var/cache",
        "/tmp",
        "/etc",
        "/srv",
        "/root",
        "/run",
        "/bin",
        "/sbin",
        "/usr/bin",
        "/usr/sbin",
    )
)


# Why the refactoring does not apply: every refusal raises it with a one-line reason.
NotOffered = NotApplicable


# --- the stage walk --------------------------------------------------------------------------------


@dataclass(slots=True)
class State:
    """What is in force before an instruction: working directory, user, known variable values."""

    workdir: str | None
    user: str | None
    env: dict[str, str | None]


@dataclass(slots=True)
class Cmd:
    """One simple command of a RUN with the directory and variables it runs with."""

    cmd: SimpleCommand
    cwd: str | None
    env: dict[str, str | None]
    ins: Instruction
    index: int  # the instruction's index in the stage
    # For a command of a make recipe (``make_steps``): the ``make`` command of the RUN that runs it.
    via: Cmd | None = None

    @property
    def name(self) -> str:
        return self.cmd.name

    def values(self) -> list[str]:
        return self.cmd.values

    def path(self, value: str) -> str | None:
        v = expand(value, self.env)
        if v is None or self.cwd is None:
            return None
        if v.startswith("~"):
            home = self.env.get("HOME") or "/root"
            v = home + v[1:]
        return resolve(self.cwd, v)


@dataclass(slots=True)
class Artifact:
    src: str
    dest: str
    directory: bool = False
    chown: str | None = None


@dataclass(slots=True)
class Toolchain:
    """What a toolchain detector found and what the runtime stage needs from it."""

    name: str  # for the title: "Go", "Node server", ...
    build: list[int]  # indexes of the instructions that build (the split goes after the last)
    artifacts: list[Artifact]
    runtime: Callable[[bool, str | None], RuntimeImage | None]  # (needs shell, needs family)
    tools: frozenset[str] = frozenset()  # executables the runtime image has
    path_tools: frozenset[str] = frozenset()  # executables the artifacts put on PATH
    any_tool: bool = False  # unknown executables are fine (a Python virtualenv's bin/ is on PATH)
    native: bool = True  # links against OS libraries (so unknown -dev packages make it unsafe)
    replay: bool = True  # repeat ENV/WORKDIR/USER/user setup in the runtime
    carry_packages: bool = True
    builder_inserts: list[tuple[int, list[str]]] = field(
        default_factory=list
    )  # (instruction index, lines before it)
    builder_tail: list[str] = field(default_factory=list)  # lines at the end of the builder
    header: list[str] = field(default_factory=list)  # lines before the COPY --from lines
    footer: list[str] = field(default_factory=list)  # lines after them (and after moved instructions)
    rewrites: list[tuple[Instruction, Span, str]] = field(default_factory=list)
    drops: list[Instruction] = field(default_factory=list)
    copy_context_dirs: list[str] | None = None  # copy context files placed outside these dirs
    runtime_label: str = ""
    builder_edits: list[tuple[Span, str]] = field(default_factory=list)  # edits inside the build steps
    variant: str = ""  # what the title adds after the toolchain name ("CGO_ENABLED=0")
    runtime_packages: list[str] = field(default_factory=list)  # OS packages the artifact needs at run time
    # A toolchain whose split has another shape (PHP: a composer stage before the unchanged runtime):
    # it writes its own edits, and names the runtime image and what the title says.
    custom_edits: Callable[[], list[Edit]] | None = None
    custom_runtime: RuntimeImage | None = None
    custom_title: str = ""
    # OS packages this toolchain's build runs without naming them (node-gyp runs python3): not carried.
    build_only_packages: frozenset[str] = frozenset()
    # Why no runtime image fits, when the toolchain knows better than "no runtime image fits".
    no_runtime_reason: str = ""


@dataclass(slots=True)
class Entry:
    """An executable the runtime configuration starts."""

    exe: str
    ins: Instruction
    workdir: str | None
    shell: bool  # it runs through /bin/sh


class Analysis:
    """The last stage, walked once."""

    def __init__(self, doc: Dockerfile, stage: Stage, image: ImageName, facts: ImageFacts | None) -> None:
        self.doc = doc
        self.stage = stage
        self.ins = stage.instructions
        self.image = image  # the resolved base image (global ARGs substituted)
        self.facts = facts  # what the image table knows about it
        self.repository = image.key
        self.tag = image.tag_info
        family = facts.package_manager if facts is not None else None
        self.family: str | None = (family or None) if family is not None else self.tag.family
        base_env: dict[str, str | None] = {"HOME": "/root"}
        if facts is not None:
            base_env.update(facts.env_values)
        for decl in doc.global_args:
            base_env.setdefault(decl.name, None)
        # The builder's real working directory: golang works in /go, gradle in /home/gradle.
        self.default_workdir = (facts.workdir if facts is not None else None) or "/"
        user = facts.user if facts is not None and facts.user not in (None, "root") else None
        self.default_user = user
        self.states: list[State] = []
        self.cmds: list[list[Cmd]] = []
        state = State(self.default_workdir, user, base_env)
        globals_ = {d.name: d.value for d in doc.global_args}
        for i, ins in enumerate(self.ins):
            self.states.append(state)
            self.cmds.append(self._commands(ins, i, state) if ins.cmd == "run" else [])
            state = self._after(ins, state, globals_)
        self.final = state

    # -- walking ------------------------------------------------------------------------------

    @staticmethod
    def _after(ins: Instruction, state: State, globals_: dict[str, str | None]) -> State:
        cmd = ins.cmd
        if cmd in ("env", "arg"):
            env = dict(state.env)
            for kv in ins.pairs:
                name = kv.key.value
                if kv.value is None:
                    g = globals_.get(name)
                    env[name] = expand(unquote(g), env) if g is not None else env.get(name)
                else:
                    env[name] = expand(unquote(kv.value.value), env)
            return State(state.workdir, state.user, env)
        if cmd == "workdir" and ins.args:
            raw = unquote(ins.args_text)
            val = expand(raw, state.env)
            if val is None:
                wd = None
            elif val.startswith("/"):
                wd = resolve("/", val)
            else:
                wd = resolve(state.workdir, val) if state.workdir is not None else None
            return State(wd, state.user, state.env)
        if cmd == "user" and ins.args:
            return State(state.workdir, ins.args[0].value, state.env)
        return state

    def _commands(self, ins: Instruction, index: int, state: State) -> list[Cmd]:
        script = run_script(self.doc, ins)
        if script is None:
            raise NotOffered("a RUN is not a POSIX shell command")
        return walk_commands(script.commands, state.workdir, state.env, ins, index)

    # -- lookups ------------------------------------------------------------------------------

    def all_cmds(self) -> Iterator[Cmd]:
        for cs in self.cmds:
            yield from cs

    def with_build_steps(self) -> list[Cmd]:
        """:meth:`all_cmds` with each ``make`` whose Makefile, and each build script (``./build.sh``)
        that the build context has, replaced by the commands it runs (:func:`make_steps`,
        :func:`script_steps`): where a toolchain looks for its build."""
        out: list[Cmd] = []
        for c in self.all_cmds():
            steps = make_steps(self, c) if c.name in ("make", "gmake") else script_steps(self, c)
            out += steps or [c]
        return out

    def unread_build_reason(self, tool: str, example: str) -> str | None:
        """Why the stage's build, which runs through ``make`` or a build script, was not found: the
        Makefile or script could not be read or followed, or runs no ``tool``; None when the stage
        runs neither."""
        for c in self.all_cmds():
            if c.name in ("make", "gmake"):
                why = unread_make(self, c) or f"`make {' '.join(c.values())}` runs no `{tool}` (read from the Makefile)"
            elif _runs_script(c):
                why = unread_script(self, c) or f"`{_shown(c)}` runs no `{tool}` (read from the script)"
            else:
                continue
            return f"{why}; name the build command in a RUN ({example}) to split it"
        return None

    def subcommand(self, c: Cmd, takes_value: tuple[str, ...] = ()) -> str | None:
        w = c.cmd.subcommand(takes_value)
        return w.value if w is not None else None

    def entries(self, instructions: list[Instruction]) -> list[Entry]:
        """The executables CMD, ENTRYPOINT and HEALTHCHECK start, in ``instructions``."""
        out: list[Entry] = []
        entrypoint = None
        for ins in instructions:
            if ins.cmd == "entrypoint":
                entrypoint = ins
        for ins in instructions:
            if ins.cmd not in ("cmd", "entrypoint", "healthcheck"):
                continue
            idx = self.index_of(ins)
            wd = self.states[idx].workdir if idx is not None else self.final.workdir
            args = [t.value for t in ins.args]
            if ins.cmd == "healthcheck":
                if not args or args[0].upper() != "CMD":
                    continue
                args = args[1:]
            elif ins.cmd == "cmd" and entrypoint is not None:
                ep = [t.value for t in entrypoint.args]
                if not entrypoint.json or not ep:
                    continue  # a shell-form ENTRYPOINT ignores CMD
                if not (ep[-1] == "--" or posixpath.basename(ep[0]) in INIT_WRAPPERS):
                    continue  # CMD only passes arguments to the entrypoint
            if not args:
                continue
            if ins.json:
                if posixpath.basename(args[0]) in SHELL_NAMES and len(args) >= 3 and args[1] == "-c":
                    for words in shell_words(args[2]):
                        out.append(Entry(words[0], ins, wd, True))
                    out.append(Entry(args[0], ins, wd, True))
                    continue
                exe = args[0]
                out.append(Entry(exe, ins, wd, False))
                if posixpath.basename(exe) in INIT_WRAPPERS and "--" in args[:-1]:
                    out.append(Entry(args[args.index("--") + 1], ins, wd, False))
            else:
                for words in shell_words(" ".join(args)):
                    out.append(Entry(words[0], ins, wd, True))
                out.append(Entry("sh", ins, wd, True))
        return out

    def index_of(self, ins: Instruction) -> int | None:
        for i, x in enumerate(self.ins):
            if x is ins:
                return i
        return None

    def context_copies(self, upto: int) -> list[tuple[int, str]]:
        """Destinations (absolute; a trailing ``/`` for directories) of COPY/ADD before ``upto``."""
        out: list[tuple[int, str]] = []
        for i, ins in enumerate(self.ins[:upto]):
            if ins.cmd not in ("copy", "add") or ins.heredocs:
                continue
            if len(ins.args) < 2:
                continue
            dest = ins.args[-1].value
            st = self.states[i]
            d = expand(dest, st.env)
            if d is None or st.workdir is None:
                raise NotOffered("a COPY destination uses a variable whose value is unknown")
            out.append((i, resolve(st.workdir, d) + ("/" if d.endswith("/") and d != "/" else "")))
        return out


def context_copies(a: Analysis, start: int, stop: int) -> Iterator[tuple[Instruction, str, str]]:
    """``(instruction, destination as written once expanded, destination resolved)`` of each
    COPY/ADD from the build context among ``a.ins[start:stop]`` whose destination is known."""
    for i in range(start, min(stop, len(a.ins))):
        ins = a.ins[i]
        if ins.cmd not in ("copy", "add") or ins.heredocs or len(ins.args) < 2 or ins.flag("from") is not None:
            continue
        st = a.states[i]
        raw = expand(ins.args[-1].value, st.env)
        if raw is None or st.workdir is None:
            continue
        yield ins, raw, resolve(st.workdir, raw)


def source_copies(a: Analysis, upto: int) -> list[tuple[str, str, bool]]:
    """``(context source, builder destination, destination is a folder)`` of the COPY/ADD from the build
    context before ``upto``; sources with wildcards or variables are left out."""
    out: list[tuple[str, str, bool]] = []
    for ins, d, dest in context_copies(a, 0, upto):
        into_dir = len(ins.args) > 2 or d.endswith("/") or d in (".", "./")
        for tok in ins.args[:-1]:
            src = tok.value
            if any(ch in src for ch in "*?[$") or src.startswith(("http://", "https://", "git@")):
                continue
            src = posixpath.normpath(src.lstrip("/")) if src not in ("", ".", "./", "/") else "."
            out.append((src, dest, into_dir))
    return out


def builder_path(a: Analysis, upto: int, rel: str, is_dir: bool) -> str | None:
    """Where the context path ``rel`` lands in the builder (None when no COPY before ``upto`` brings it).

    A folder source copies its contents (``COPY web/ /srv/web/`` maps ``web/x`` to ``/srv/web/x``); a
    file source lands in a folder destination under its own name.
    """
    found: str | None = None
    for src, dest, into_dir in source_copies(a, upto):
        if src == ".":
            found = posixpath.join(dest, rel)
        elif rel == src:
            found = posixpath.join(dest, posixpath.basename(src)) if into_dir and not is_dir else dest
        elif rel.startswith(src + "/"):
            found = posixpath.join(dest, rel[len(src) + 1 :])
    return found


def walk_commands(
    commands: list[SimpleCommand],
    cwd: str | None,
    env: dict[str, str | None],
    ins: Instruction,
    index: int,
    via: Cmd | None = None,
) -> list[Cmd]:
    """The commands of one shell script in order, each with the directory and variables it runs
    with: ``cd`` moves the rest, ``export`` sets for the rest, ``NAME=v cmd`` for that command."""
    out: list[Cmd] = []
    for c in commands:
        local = env  # copied on write: most commands share it
        if c.assignments:
            local = dict(env)
            for a in c.assignments:
                k, _, v = a.value.partition("=")
                local[k] = expand(v, env) if "$" in v else v
        if c.name == "cd" and not c.wrappers:
            target = c.values[0] if c.values else env.get("HOME") or "/root"
            t = expand(target, env)
            cwd = resolve(cwd, t) if (t is not None and cwd is not None) else None
        elif c.name == "export":
            exported = {k: v for k, eq, v in (w.value.partition("=") for w in c.args) if eq}
            if exported:
                env = {**env, **exported}
                local = {**local, **exported}
        out.append(Cmd(c, cwd, local, ins, index, via))
    return out


def context_path(a: Analysis, upto: int, path: str) -> str | None:
    """The build-context path (``.`` for its root) whose contents the COPYs before ``upto`` put at the
    builder folder ``path``; the inverse of :func:`builder_path`, None when no COPY brings it."""
    found: str | None = None
    for src, dest, _into_dir in source_copies(a, upto):
        if path == dest or path.startswith(dest.rstrip("/") + "/"):
            rest = path[len(dest.rstrip("/")) :].strip("/")
            found = posixpath.normpath(posixpath.join(src, rest)) if rest else src
    return found


# Shell that makes which commands run depend on the arguments or on what happened before: a build
# step found inside it may not be the one that runs, so a recipe or script holding it is not followed.
_CONTROL_FLOW = re.compile(r"(?<![\w$-])(if|case|for|while|until|select|function)(?![\w-])|\|\||\(\)\s*\{")


_ASSIGNED = re.compile(r"(?:^|[;&|(`\n])\s*(?:(?:export|local|readonly|declare)\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=", re.M)


def make_steps(a: Analysis, c: Cmd) -> list[Cmd]:
    """The commands ``make`` runs for the goals of ``c``, read from the build context's Makefile (each
    recipe line in make's directory, with make's environment); empty when the Makefile is not in the
    context or this reader cannot follow it (:func:`unread_make` says why)."""
    found = _make_recipe(a, c)
    if isinstance(found, str):
        return []
    make_dir, lines = found
    out: list[Cmd] = []
    for line in lines:
        # Each recipe line runs in its own shell, in make's directory.
        out += _script_commands(a, c, line.text, make_dir, line.env)
    return out


def script_steps(a: Analysis, c: Cmd) -> list[Cmd]:
    """The commands of a build script the RUN runs (``./build.sh``, ``sh scripts/build.sh``), read
    from the build context, in the RUN's directory and environment; empty when the script is not in
    the context or has control flow (``if``, ``case``, loops, functions, ``||``)."""
    rel = _script_in_context(a, c)
    if rel is None or c.cwd is None:
        return []
    text = context_for(a.doc).read(rel)
    if text is None or _CONTROL_FLOW.search(text):
        return []
    return _script_commands(a, c, text, c.cwd, c.env)


def _script_word(c: Cmd) -> str | None:
    """The script ``c`` runs as written (``./build.sh``, ``sh scripts/build.sh``), if it runs one."""
    word = c.cmd.word.value
    if c.name in ("sh", "bash", "dash"):
        vals = c.values()
        return vals[0] if vals and not vals[0].startswith("-") else None
    if "/" not in word or not word.endswith(".sh"):
        return None  # a command found on PATH, not a script of the project
    return word


def _runs_script(c: Cmd) -> bool:
    return _script_word(c) is not None


def _shown(c: Cmd) -> str:
    return " ".join([c.cmd.word.value, *c.values()][:2])


def unread_script(a: Analysis, c: Cmd) -> str | None:
    """Why the build script ``c`` runs could not be followed; None when it was."""
    if not context_for(a.doc).known:
        return f"the build runs through `{_shown(c)}`, and without the build context the script cannot be read"
    rel = _script_in_context(a, c)
    if rel is None:
        return f"`{_shown(c)}` runs a script that no COPY from the build context brings"
    text = context_for(a.doc).read(rel) or ""
    if _CONTROL_FLOW.search(text):
        return f"`{_shown(c)}` runs {rel}, whose commands depend on conditions or loops (if, case, for, ||)"
    return None


def _script_in_context(a: Analysis, c: Cmd) -> str | None:
    """The build-context path of the script ``c`` runs, if it runs one the context holds."""
    word = _script_word(c)
    if word is None:
        return None
    path = c.path(word)
    ctx = context_for(a.doc)
    if path is None or not ctx.known:
        return None
    for src, dest, _into_dir in source_copies(a, c.index):
        if path == dest and not ctx.is_dir(src):
            return src  # COPY build.sh /usr/local/bin/build
        if path.startswith(dest.rstrip("/") + "/"):
            rest = path[len(dest.rstrip("/")) + 1 :]
            inside = posixpath.normpath(posixpath.join(src, rest)) if src != "." else rest
            if ctx.exists(inside) and not ctx.is_dir(inside):
                return inside
            if rest == posixpath.basename(src) and ctx.exists(src):
                return src  # COPY build.sh /src/: the file under its own name
    return None


def _script_commands(a: Analysis, via: Cmd, text: str, cwd: str | None, env: dict[str, str | None]) -> list[Cmd]:
    """The simple commands of a shell script run by ``via`` (a recipe line, a build script) as
    commands of ``via``'s RUN; none for a script with control flow."""
    if _CONTROL_FLOW.search(text):
        return []
    # The shell model keeps no plain assignments (``OUT=bin/app`` on a line of its own): what the
    # script assigns is unknown from its start, so no path or setting is read from a guess (and a
    # ``CGO_ENABLED=1`` it sets counts as set: cgo is then not turned off from outside).
    assigned = {m.group(1) for m in _ASSIGNED.finditer(text)}
    if assigned:
        env = {**env, **dict.fromkeys(assigned)}
    return walk_commands(shell_analyse(text).commands, cwd, env, via.ins, via.index, via)


def unread_make(a: Analysis, c: Cmd) -> str | None:
    """Why the recipe of the ``make`` command ``c`` could not be read; None when it was."""
    found = _make_recipe(a, c)
    return found if isinstance(found, str) else None


def _make_recipe(a: Analysis, c: Cmd) -> tuple[str, list[makefile.RecipeLine]] | str:
    """(make's directory, the recipe lines it runs), or why they are not known."""
    shown = " ".join(["make", *c.values()])
    args = makefile.command_line(c.values()) if c.cwd is not None else None
    if args is None:
        return f"`{shown}`: the options or the directory make runs with are not known"
    goals, overrides, directory, file = args
    make_dir = c.path(directory) if directory else c.cwd
    ctx = context_for(a.doc)
    if not ctx.known:
        return f"the build runs through `{shown}`, and without the build context its Makefile cannot be read"
    rel = context_path(a, c.index, make_dir) if make_dir is not None else None
    if make_dir is None or rel is None:
        return f"`{shown}` runs in {make_dir or 'a folder'} that no COPY from the build context fills"
    names = [file] if file else list(makefile.MAKEFILE_NAMES)
    paths = [posixpath.normpath(posixpath.join(rel, n)) for n in names]
    text = next((t for p in paths if (t := ctx.read(p)) is not None), None)
    if text is None:
        return f"`{shown}` reads {paths[-1]}, which is not in the build context"
    lines = makefile.recipe(makefile.parse(text), goals, c.env, overrides)
    if lines is None:
        return f"the {paths[-1] if not file else file} rule that `{shown}` runs is not one this reader follows"
    return make_dir, lines


def first(values: list[str]) -> str | None:
    return values[0] if values else None


def dedupe(arts: list[Artifact]) -> list[Artifact]:
    out: list[Artifact] = []
    for x in arts:
        if not any(y.src == x.src and y.dest == x.dest for y in out):
            out.append(x)
    return out


def operands(c: Cmd) -> list[str]:
    pos = [w.value for w in c.cmd.positional(("m", "mode", "reference", "t", "S", "suffix", "d", "r"))]
    if c.name in ("chown", "chgrp", "chmod") and not c.cmd.flag_values(long="reference"):
        pos = pos[1:]
    if c.name == "ln":
        pos = pos[-1:]
    return pos


def chown_owner(c: Cmd) -> str | None:
    pos = [w.value for w in c.cmd.positional(())]
    if not pos or "$" in pos[0]:
        return None
    return pos[0] if c.name == "chown" else f"root:{pos[0]}"


def created_names(c: Cmd) -> set[str]:
    pos = [
        w.value
        for w in c.cmd.positional(
            (
                "c",
                "d",
                "e",
                "f",
                "g",
                "G",
                "k",
                "K",
                "p",
                "s",
                "u",
                "b",
                "h",
                "Z",
                "home",
                "shell",
                "gecos",
                "uid",
                "gid",
                "ingroup",
                "comment",
                "home-dir",
                "groups",
                "skel",
                "password",
            )
        )
    ]
    out = {p for p in pos if re.fullmatch(r"[a-z_][a-z0-9_.-]*\$?", p, re.I)}
    if c.name in ("useradd", "adduser", "groupadd", "addgroup"):
        return out
    return set()


def names_in_owner(owner: str) -> set[str]:
    return {p for p in owner.split(":") if p and not p.isdigit() and "$" not in p}


