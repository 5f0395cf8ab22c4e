"""Split into builder/runtime stages: the last stage's toolchain build becomes a named ``builder``
stage, and a new final stage on a runtime image receives only the artifact through
``COPY --from=builder`` and keeps the runtime configuration (CMD, ENTRYPOINT, EXPOSE, ENV, LABEL,
USER, HEALTHCHECK, VOLUME, WORKDIR, STOPSIGNAL and the ARGs they use).

Recognised toolchains: Go (``go build``), Rust (``cargo build``/``cargo install``), Node (a static site
built with ``npm run build`` & co. and served by ``serve``/``http-server``, or a Node server whose
dev dependencies are pruned), Python (pip or Poetry installs into a virtualenv) and Java (Maven,
Gradle, their wrappers). Runtime images come from :mod:`.runtime_images`.

The edits are small: `` AS builder`` after the FROM image, the runtime stage inserted after the last
build step, runtime-only instructions that sat between build steps moved below it (with their
comments), and the few rewrites the new layout needs (a jar or binary path in CMD). Everything after
the last build step stays where it is and simply belongs to the runtime stage.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..engine.findings import Edit
from ..engine.images import parse_tag
from ..engine.model import Dockerfile, Stage, scan_variables
from ..engine.parser import Instruction
from ..engine.shell import SimpleCommand, run_script
from ..engine.text import Span
from . import runtime_images as rti
from ._toolchains import (
    BUILD_ONLY_PACKAGES,
    FILE_COMMANDS,
    OS_INSTALLERS,
    RUNTIME_SAFE_COMMANDS,
    SHELL_NAMES,
    SHELL_UTILITIES,
    USER_COMMANDS,
    PackageInstall,
    command_text,
    expand,
    is_dev_package,
    is_private_path,
    package_install,
    package_name,
    resolve,
    shell_words,
    unquote,
    within,
)
from .base import Refactoring, RefactorResult

KIND = "refactor.rewrite.splitStages"
TITLE = "Split into builder/runtime stages"

# Instructions that only describe the image (they do nothing for later build steps).
RUNTIME_ONLY = frozenset(
    ("cmd", "entrypoint", "expose", "healthcheck", "stopsignal", "volume", "label", "maintainer", "onbuild")
)
CONFIG = RUNTIME_ONLY | frozenset(("env", "arg", "workdir", "user"))
# ENV names that only steer a toolchain; not repeated in the runtime unless something uses them.
_BUILD_ENV = re.compile(
    r"^(CGO_ENABLED|GOOS|GOARCH|GOARM|GOAMD64|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GONOPROXY|GOSUMDB|"
    r"GO111MODULE|GOCACHE|GOMODCACHE|GOTOOLCHAIN|CARGO_[A-Z_]+|RUSTFLAGS|RUSTC_WRAPPER|MAVEN_[A-Z_]+|"
    r"GRADLE_[A-Z_]+|PIP_[A-Z_]+|POETRY_[A-Z_]+|PIPENV_[A-Z_]+|UV_[A-Z_]+|npm_config_\w+|NPM_CONFIG_\w+|"
    r"YARN_[A-Z_]+|DEBIAN_FRONTEND|APT_[A-Z_]+)$"
)
_IMAGE_DEFAULT_ENV: dict[str, dict[str, str | None]] = {
    "golang": {"GOPATH": "/go"},
    "rust": {"CARGO_HOME": "/usr/local/cargo", "RUSTUP_HOME": "/usr/local/rustup"},
}
_IMAGE_DEFAULT_WORKDIR = {"golang": "/go"}
_SYSTEM_BIN = ("/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin")
_BUILDER_NAMES = ("builder", "build", "builder-stage", "builder2", "builder3")
_KEEP_AS_BUILDER = frozenset(
    ("builder", "build", "build-env", "compile", "compiler", "build-stage", "builder-stage")
)
_INIT_WRAPPERS = frozenset(("tini", "dumb-init", "catatonit"))
# Directories every runtime image with a shell has.
_STANDARD_DIRS = frozenset(
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


class NotOffered(Exception):
    """Why the refactoring does not apply (shown by :func:`explain`, used in tests and reports)."""


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
    runtime: Callable[[bool, str | None], rti.RuntimeImage | None]  # (needs shell, needs family)
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


@dataclass(slots=True)
class Entry:
    """An executable the runtime configuration starts."""

    exe: str
    ins: Instruction
    workdir: str | None
    shell: bool  # it runs through /bin/sh


class Analysis:
    """The last stage, walked once."""

    def __init__(self, doc: Dockerfile, stage: Stage) -> None:
        self.doc = doc
        self.stage = stage
        self.ins = stage.instructions
        image = stage.image
        assert image is not None
        self.image = image
        self.repository = image.repository
        self.tag = parse_tag(image.tag)
        self.family = self.tag.family
        base_env: dict[str, str | None] = {"HOME": "/root"}
        base_env.update(_IMAGE_DEFAULT_ENV.get(self.repository, {}))
        for decl in doc.global_args:
            base_env.setdefault(decl.name, None)
        self.default_workdir = _IMAGE_DEFAULT_WORKDIR.get(self.repository, "/")
        self.states: list[State] = []
        self.cmds: list[list[Cmd]] = []
        state = State(self.default_workdir, None, base_env)
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
        out: list[Cmd] = []
        cwd = state.workdir
        env = state.env  # copied on write: most commands share it
        for c in script.commands:
            local = env
            if c.assignments:
                local = dict(env)
                for a in c.assignments:
                    k, _, v = a.value.partition("=")
                    local[k] = v
            if c.name == "cd" and not c.wrappers:
                target = c.values[0] if c.values else env.get("HOME") or "/root"
                t = expand(target, env)
                cwd = resolve(cwd, t) if (t is not None and cwd is not None) else None
            elif c.name == "export":
                exported = {k: v for k, eq, v in (w.value.partition("=") for w in c.args) if eq}
                if exported:
                    env = {**env, **exported}
                    local = {**local, **exported}
            out.append(Cmd(c, cwd, local, ins, index))
        return out

    # -- lookups ------------------------------------------------------------------------------

    def all_cmds(self) -> Iterator[Cmd]:
        for cs in self.cmds:
            yield from cs

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
                if not (ep[-1] == "--" or posixpath.basename(ep[0]) in _INIT_WRAPPERS):
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
                if posixpath.basename(exe) in _INIT_WRAPPERS and "--" in args[:-1]:
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


# --- toolchains ------------------------------------------------------------------------------------

_GO_VALUE_FLAGS = (
    "o",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "tags",
    "mod",
    "modfile",
    "p",
    "pkgdir",
    "buildmode",
    "compiler",
    "installsuffix",
    "overlay",
    "pgo",
    "C",
    "toolexec",
    "covermode",
    "coverpkg",
    "exec",
)


def _go_args(c: Cmd) -> tuple[dict[str, str], list[str]] | None:
    """The flags (``-name`` -> value) and packages of a ``go build``."""
    vals = c.values()
    if not vals or vals[0] not in ("build", "install"):
        # `go -C dir build` and the like: not worth guessing.
        return None
    if vals[0] == "install" and any("@" in v for v in vals[1:]):
        return None  # `go install tool@version` installs a tool, not this project
    flags: dict[str, str] = {}
    pkgs: list[str] = []
    i = 1
    while i < len(vals):
        v = vals[i]
        if v.startswith("-") and v != "-":
            name, eq, val = v.lstrip("-").partition("=")
            if eq:
                flags[name] = val
            elif name in _GO_VALUE_FLAGS and i + 1 < len(vals):
                flags[name] = vals[i + 1]
                i += 1
            else:
                flags[name] = ""
        else:
            pkgs.append(v)
        i += 1
    return flags, pkgs


def _go_default_name(pkg: str) -> str | None:
    if pkg.endswith(".go"):
        return posixpath.basename(pkg)[:-3]
    if pkg in (".", "./") or "..." in pkg or pkg.startswith("$"):
        return None
    parts = [p for p in pkg.rstrip("/").split("/") if p not in ("", ".")]
    if not parts or parts[-1] == "..":
        return None
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        return parts[-2]
    return parts[-1]


def _go(a: Analysis, plan: Plan) -> Toolchain | None:
    builds = [c for c in a.all_cmds() if c.name == "go" and _go_args(c) is not None]
    if not builds:
        return None
    artifacts: list[Artifact] = []
    linkages: set[str] = set()
    path_tools: set[str] = set()
    moved: dict[str, str] = {}
    for c in builds:
        parsed = _go_args(c)
        assert parsed is not None
        flags, pkgs = parsed
        if c.values()[0] == "install":
            # `go install` writes to $GOBIN (or $GOPATH/bin), which the runtime has not on its PATH.
            gobin = c.env.get("GOBIN") or posixpath.join(c.env.get("GOPATH") or "/go", "bin")
            if "$" in gobin or not gobin.startswith("/") or len(pkgs) > 1:
                raise NotOffered("cannot tell where `go install` puts the binary")
            name = _go_default_name(pkgs[0]) if pkgs else None
            if name is None:
                entry = plan.entry_in(gobin, bare_ok=True)
                name = posixpath.basename(entry) if entry else None
            if name is None:
                raise NotOffered("cannot tell the name `go install` gives the binary")
            src = posixpath.join(gobin, name)
            dest = posixpath.join("/usr/local/bin", name)
            artifacts.append(Artifact(src, dest))
            path_tools.add(name)
            moved[src] = dest
            _go_linkage(c, flags, a, linkages)
            continue
        goos = c.env.get("GOOS")
        if goos not in (None, "", "linux") or "C" in flags:
            raise NotOffered("the Go build does not target Linux in this directory")
        out = flags.get("o")
        path: str | None = None
        directory = False
        if out:
            path = c.path(out)
            directory = out.endswith("/")
        elif len(pkgs) <= 1:
            name = _go_default_name(pkgs[0]) if pkgs else None
            if name is not None and c.cwd is not None:
                path = resolve(c.cwd, name)
            elif c.cwd is not None:
                # `go build` names the binary after the module; the CMD that runs it tells us which.
                path = plan.entry_in(c.cwd)
        if path is None:
            raise NotOffered("cannot tell where `go build` writes the binary (add -o)")
        artifacts.append(Artifact(path, path, directory))
        _go_linkage(c, flags, a, linkages)
    linkage = "glibc" if "glibc" in linkages else "musl" if "musl" in linkages else "static"
    tag = a.tag

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.native_runtime(linkage, tag, rti.GO_DEBIAN, shell=shell, family=family)

    tc = Toolchain(
        "Go" if linkage != "static" else "Go (static)",
        sorted({c.index for c in builds}),
        _dedupe(artifacts),
        runtime,
        path_tools=frozenset(path_tools),
        native=linkage != "static",
        copy_context_dirs=[c.cwd for c in builds if c.cwd is not None],
    )
    if moved:
        plan.rewrite_entry_paths(tc, moved)
    return tc


def _go_linkage(c: Cmd, flags: dict[str, str], a: Analysis, linkages: set[str]) -> None:
    cgo = c.env.get("CGO_ENABLED")
    ldflags = flags.get("ldflags", "")
    if cgo == "0" or ("-static" in ldflags and "extldflags" in ldflags):
        linkages.add("static")
    elif a.tag.alpine is not None:
        linkages.add("musl")
    else:
        linkages.add("glibc")


def _rust(a: Analysis, plan: Plan) -> Toolchain | None:
    builds = [c for c in a.all_cmds() if c.name == "cargo" and a.subcommand(c) in ("build", "install")]
    if not builds:
        return None
    c = builds[-1]
    sub = a.subcommand(c)
    cmd = c.cmd
    bins = cmd.flag_values(long="bin")
    triple = _first(cmd.flag_values(long="target"))
    if sub == "build":
        if c.cwd is None:
            raise NotOffered("unknown directory for `cargo build`")
        manifest = _first(cmd.flag_values(long="manifest-path"))
        proj = posixpath.dirname(c.path(manifest) or "") if manifest else c.cwd
        if not proj:
            raise NotOffered("unknown Cargo manifest directory")
        target_dir = _first(cmd.flag_values(long="target-dir")) or c.env.get("CARGO_TARGET_DIR")
        tdir = c.path(target_dir) if target_dir else resolve(proj, "target")
        if tdir is None:
            raise NotOffered("unknown Cargo target directory")
        profile = _first(cmd.flag_values(long="profile"))
        if profile is None:
            profile = "release" if cmd.has_flag("release", "r") else "debug"
        elif profile == "dev":
            profile = "debug"
        outdir = posixpath.join(tdir, triple, profile) if triple else posixpath.join(tdir, profile)
    else:
        if not cmd.flag_values(long="path"):
            return None  # installing a tool from crates.io, not building this project
        root = (
            _first(cmd.flag_values(long="root")) or c.env.get("CARGO_INSTALL_ROOT") or c.env.get("CARGO_HOME")
        )
        rootp = c.path(root) if root else None
        if rootp is None:
            raise NotOffered("unknown `cargo install` root")
        outdir = posixpath.join(rootp, "bin")
    name: str | None = bins[0] if len(bins) == 1 else None
    if name is None:
        entry = plan.entry_in(outdir, bare_ok=sub == "install")
        if entry is not None:
            name = posixpath.basename(entry)
    if name is None:
        raise NotOffered("cannot tell the name of the Rust binary (no --bin, no CMD that runs it)")
    src = posixpath.join(outdir, name)
    dest = posixpath.join("/usr/local/bin", name)
    if triple and "musl" in triple:
        linkage = "static"
    elif a.tag.alpine is not None:
        linkage = "musl"
    else:
        linkage = "glibc"
    tag = a.tag

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.native_runtime(linkage, tag, rti.RUST_DEBIAN, shell=shell, family=family, cc=True)

    tc = Toolchain(
        "Rust",
        [c.index],
        [Artifact(src, dest)],
        runtime,
        path_tools=frozenset((name,)),
        native=linkage != "static",
        copy_context_dirs=[c.cwd] if c.cwd else [],
    )
    plan.rewrite_entry_paths(tc, {src: dest})
    return tc


_MAVEN_PHASES = frozenset(("package", "install", "verify", "deploy", "spring-boot:repackage"))
_GRADLE_TASKS = frozenset(("build", "bootJar", "assemble", "jar", "shadowJar"))


def _java(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository not in rti.JAVA_TOOLCHAIN_IMAGES:
        return None
    builds: list[tuple[Cmd, str]] = []
    for c in a.all_cmds():
        vals = c.values()
        if c.name in ("mvn", "mvnw") and any(v in _MAVEN_PHASES or v.endswith(":repackage") for v in vals):
            f = c.cmd.flag_values("f", "file")
            proj = posixpath.dirname(c.path(f[0]) or "") if f else c.cwd
            if proj:
                builds.append((c, posixpath.join(proj, "target")))
        elif c.name in ("gradle", "gradlew") and any(v.split(":")[-1] in _GRADLE_TASKS for v in vals):
            p = c.cmd.flag_values("p", "project-dir")
            proj = c.path(p[0]) if p else c.cwd
            if proj:
                builds.append((c, posixpath.join(proj, "build", "libs")))
    if not builds:
        return None
    major = rti.java_major(a.repository, a.image.tag)
    if major is None:
        raise NotOffered("the builder image does not say which JDK it has")
    c, outdir = builds[-1]
    shadow = any(v.split(":")[-1] == "shadowJar" for v in c.values())
    final_wd = a.final.workdir or "/"
    dest = posixpath.join(final_wd, "app.jar")
    src = posixpath.join(outdir, "*-all.jar" if shadow else "*.jar")
    tc = Toolchain(
        "Java (Maven)" if "target" in outdir else "Java (Gradle)", [c.index], [], lambda s, f: None
    )
    jar = plan.java_entry(tc, outdir, dest)
    if jar is not None:
        src = jar
        if not within(jar, outdir):
            dest = jar  # the build copied the jar somewhere itself: keep it there
    tc.artifacts = [Artifact(src, dest)]
    alpine = a.tag.alpine is not None or "alpine" in (a.image.tag or "")

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.java_runtime(major, alpine)

    tc.runtime = runtime
    jre = rti.java_runtime(major, alpine)
    if jre is None:
        raise NotOffered(f"no JRE image for Java {major}")
    tc.tools = jre.tools
    tc.native = False
    tc.copy_context_dirs = [c.cwd] if c.cwd else []
    if not alpine and a.repository == "openjdk" and (a.tag.version or (0,))[0] >= 12 and not a.tag.parts:
        a.family = "microdnf"  # openjdk:<12+> without a variant is Oracle Linux
    elif a.repository == "amazoncorretto" and not alpine:
        a.family = "yum"
    return tc


_NPM_INSTALL = frozenset(("ci", "install", "i", "add"))
_BUILD_SCRIPT = re.compile(r"^build([:\-_].*)?$")
_BUILD_TOOLS = frozenset(
    (
        "tsc",
        "vite",
        "ng",
        "react-scripts",
        "vue-cli-service",
        "next",
        "nuxt",
        "webpack",
        "parcel",
        "rollup",
        "esbuild",
        "gatsby",
        "astro",
    )
)
_STATIC_SERVERS = frozenset(("serve", "http-server"))


def _node(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository != "node":
        return None
    installs: list[tuple[Cmd, str, bool]] = []  # (command, manager, includes dev deps)
    build_cmds: list[Cmd] = []
    globals_: list[tuple[Cmd, list[str]]] = []
    node_env_prod = False
    for c in a.all_cmds():
        name = c.name
        vals = c.values()
        sub = vals[0] if vals else None
        prod_env = (
            c.env.get("NODE_ENV") == "production" or (c.env.get("npm_config_production") or "") == "true"
        )
        if name == "npm":
            if sub in _NPM_INSTALL:
                if c.cmd.has_flag("g", "global"):
                    globals_.append((c, [v for v in vals[1:] if not v.startswith("-")]))
                    continue
                dev = not (
                    c.cmd.has_flag("production")
                    or any(v in ("--omit=dev", "--only=prod", "--only=production") for v in vals)
                    or c.cmd.flag_values(long="omit") == ["dev"]
                    or prod_env
                )
                installs.append((c, "npm", dev))
            elif sub in ("run", "run-script") and len(vals) > 1 and _BUILD_SCRIPT.match(vals[1]):
                build_cmds.append(c)
        elif name == "yarn":
            if sub == "global":
                globals_.append((c, [v for v in vals[2:] if not v.startswith("-")]))
            elif sub in (None, "install") or (sub is not None and sub.startswith("-")):
                dev = not (c.cmd.has_flag("production") or prod_env)
                installs.append((c, "yarn", dev))
            elif (sub == "run" and len(vals) > 1 and _BUILD_SCRIPT.match(vals[1])) or _BUILD_SCRIPT.match(
                sub or ""
            ):
                build_cmds.append(c)
            elif sub in ("set", "dlx"):
                raise NotOffered("Yarn 2+ (Berry) is in use; its production install differs")
        elif name == "pnpm":
            if sub in ("install", "i"):
                dev = not (c.cmd.has_flag("prod", "P", "production") or prod_env)
                installs.append((c, "pnpm", dev))
            elif sub == "add" and c.cmd.has_flag("g", "global"):
                globals_.append((c, [v for v in vals[1:] if not v.startswith("-")]))
            elif (sub == "run" and len(vals) > 1 and _BUILD_SCRIPT.match(vals[1])) or _BUILD_SCRIPT.match(
                sub or ""
            ):
                build_cmds.append(c)
        elif name == "npx" and vals and vals[0] in _BUILD_TOOLS and "build" in vals[1:3]:
            build_cmds.append(c)
        elif name in _BUILD_TOOLS and (name == "tsc" or "build" in vals[:2]):
            build_cmds.append(c)
        elif name == "corepack":
            raise NotOffered(
                "corepack picks the package manager version; the production install is not known"
            )
        elif name in ("mv", "cp", "ln") and any("node_modules" in v for v in vals):
            raise NotOffered("node_modules is moved around by a RUN")
        if prod_env:
            node_env_prod = True
    if not installs and not build_cmds:
        return None
    if any("NODE_PATH" in (pair.key.value for pair in ins.pairs) for ins in a.ins if ins.cmd == "env"):
        raise NotOffered("NODE_PATH points Node at modules outside the app directory")
    tag = a.tag
    major = tag.version[0] if tag.version else None
    static = plan.static_site(build_cmds) if build_cmds else None
    if static is not None:
        return static
    wd = a.final.workdir
    if wd is None or wd == "/":
        raise NotOffered("the Node app has no WORKDIR to copy")
    indexes = [c.index for c, _, _ in installs] + [c.index for c in build_cmds]
    tail: list[str] = []
    dev_installs = [(c, m) for c, m, dev in installs if dev]
    if dev_installs:
        c, manager = dev_installs[-1]
        if c.cwd != wd:
            raise NotOffered("the dependencies are installed outside the WORKDIR")
        if manager == "npm":
            prune = "npm prune --production" if major is not None and major <= 14 else "npm prune --omit=dev"
        elif manager == "yarn":
            prune = "yarn install --production" + (
                " --frozen-lockfile" if c.cmd.has_flag("frozen-lockfile") else ""
            )
        else:
            prune = "pnpm prune --prod"
        tail.append(plan.kw("run") + prune)
    leave = bool(
        build_cmds or dev_installs or not (tag.slim or tag.alpine is not None) or plan.build_packages
    )
    leave = leave or any(not plan.entry_uses(pkgs) for _, pkgs in globals_)
    if not leave:
        raise NotOffered("nothing to leave behind: production-only install on a slim image, no build step")
    if node_env_prod and not dev_installs and not build_cmds and (tag.slim or tag.alpine is not None):
        raise NotOffered("nothing to leave behind")
    rt = rti.node_runtime(tag)
    if rt is None:
        raise NotOffered(f"no slim variant of node:{tag.tag}")
    tc = Toolchain(
        "Node server",
        indexes,
        [Artifact(wd, wd, True)],
        lambda s, f: rti.node_runtime(tag),
        tools=rt.tools,
        builder_tail=tail,
        copy_context_dirs=[wd],
    )
    tc.header = plan.npm_globals(globals_)
    return tc


_PIP_TOOLING = re.compile(
    r"^(pip|setuptools|wheel|poetry|poetry-core|virtualenv|pipenv|uv)([<>=!~\[].*)?$", re.I
)


def _pip_install(a: Analysis, c: Cmd) -> list[str] | None:
    """The arguments of a ``pip install`` (``python -m pip install`` too), None if it is not one."""
    vals = c.values()
    name = c.name
    if re.fullmatch(r"pip(3(\.\d+)?)?", name):
        args = vals
    elif re.fullmatch(r"python(3(\.\d+)?)?", name) and vals[:2] == ["-m", "pip"]:
        args = vals[2:]
    else:
        return None
    if not args or args[0] != "install":
        return None
    return args[1:]


def _python(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository != "python":
        return None
    app_installs: list[Cmd] = []
    cache = False
    venv: str | None = None
    for c in a.all_cmds():
        args = _pip_install(a, c)
        if args is not None:
            if any(
                x in ("--user", "--target", "-t", "--prefix", "--root")
                or x.startswith(("--target=", "--prefix=", "--root="))
                for x in args
            ):
                raise NotOffered("pip installs into a custom location (--user/--target/--prefix)")
            pkgs = [x for x in args if not x.startswith("-")]
            if (
                "-r" in args
                or "-e" in args
                or any(x.startswith(("-r", "--requirement", "-e", "--editable")) for x in args)
                or any(not _PIP_TOOLING.match(p) for p in pkgs)
            ):
                app_installs.append(c)
            if "--no-cache-dir" not in args and (c.env.get("PIP_NO_CACHE_DIR") or "").lower() not in (
                "1",
                "true",
                "on",
                "yes",
                "off",
                "0",
            ):
                cache = True
        elif c.name == "poetry" and a.subcommand(c) == "install":
            app_installs.append(c)
            cache = True
        elif c.name in ("pipenv", "conda", "uv", "pdm", "hatch"):
            raise NotOffered(f"{c.name} manages the environment; only pip and Poetry are supported")
        elif (
            re.fullmatch(r"python(3(\.\d+)?)?", c.name)
            and c.values()[:2] == ["-m", "venv"]
            and len(c.values()) > 2
        ):
            venv = c.path(c.values()[-1])
        elif c.name == "virtualenv" and c.values():
            venv = c.path(c.values()[-1])
    if not app_installs:
        return None
    wd = a.final.workdir
    if wd is None or wd == "/":
        raise NotOffered("the Python app has no WORKDIR to copy")
    first = app_installs[0]
    artifacts: list[Artifact] = []
    inserts: list[tuple[int, list[str]]] = []
    header: list[str] = []
    if venv is None:
        if a.states[first.index].user not in (None, "root", "0"):
            raise NotOffered("dependencies are installed as a non-root user without a virtualenv")
        venv = "/opt/venv"
        env_line = plan.kw("env") + 'VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"'
        inserts.append((first.index, [plan.kw("run") + "python -m venv /opt/venv", env_line]))
        header.append(env_line)
    if not within(venv, wd):
        artifacts.append(Artifact(venv, venv, True))
    artifacts.append(Artifact(wd, wd, True))
    tag = a.tag
    full = not (tag.slim or tag.alpine is not None)
    if not (full or cache or plan.build_packages):
        raise NotOffered("nothing to leave behind: slim image, no pip cache, no build packages")
    rt = rti.python_runtime(tag)
    return Toolchain(
        "Python",
        sorted({c.index for c in app_installs}),
        artifacts,
        lambda s, f: rti.python_runtime(tag),
        tools=rt.tools if rt else frozenset(),
        any_tool=True,
        builder_inserts=inserts,
        header=header,
        copy_context_dirs=[wd, venv],
    )


_DETECTORS: dict[str, Callable[[Analysis, Plan], Toolchain | None]] = {
    "golang": _go,
    "rust": _rust,
    "node": _node,
    "python": _python,
}


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _dedupe(arts: list[Artifact]) -> list[Artifact]:
    out: list[Artifact] = []
    for x in arts:
        if not any(y.src == x.src and y.dest == x.dest for y in out):
            out.append(x)
    return out


# --- the plan --------------------------------------------------------------------------------------


class Plan:
    """Everything the refactoring decides for one document, then the edits."""

    def __init__(self, doc: Dockerfile, stage: Stage) -> None:
        self.doc = doc
        self.stage = stage
        self.text = doc.text
        self.nl = doc.line_ending
        self.lower = _lowercase_style(doc)
        self.pad = _padding(doc)
        self.indent = _indentation(doc, stage)
        self.a = Analysis(doc, stage)
        self.build_packages = False
        self.changed: list[Instruction] = []  # instructions rewritten, moved or deleted
        self.moved: list[Instruction] = []
        self.runtime: rti.RuntimeImage | None = None
        self.toolchain: Toolchain | None = None
        self.builder_name = "builder"
        self.runtime_name: str | None = None
        self.default_workdir_line: str | None = None
        self.provided_by_globals: set[str] = set()  # executables of global npm installs we repeat

    # -- text style ----------------------------------------------------------------------------

    def kw(self, name: str) -> str:
        word = name.lower() if self.lower else name.upper()
        width = self.pad
        if width and len(word) < width:
            return word.ljust(width)
        return word + " "

    # -- helpers for detectors -----------------------------------------------------------------

    def runtime_side(self) -> list[Instruction]:
        a = self.a
        return [i for i in a.ins if i.cmd in RUNTIME_ONLY]

    def entry_in(self, directory: str, bare_ok: bool = False) -> str | None:
        """The path of the program CMD/ENTRYPOINT starts when it lives directly in ``directory``."""
        for e in self.a.entries(self.runtime_side()):
            exe = e.exe
            if "/" not in exe:
                if bare_ok and exe not in SHELL_UTILITIES:
                    return posixpath.join(directory, exe)
                continue
            if e.workdir is None or "$" in exe:
                continue
            p = resolve(e.workdir, exe)
            if posixpath.dirname(p) == directory:
                return p
        return None

    def rewrite_entry_paths(self, tc: Toolchain, mapping: dict[str, str]) -> None:
        """Point CMD/ENTRYPOINT words that name a moved artifact at its new place."""
        for ins in self.runtime_side():
            if ins.cmd not in ("cmd", "entrypoint") or not ins.json:
                continue
            idx = self.a.index_of(ins)
            wd = self.a.states[idx].workdir if idx is not None else None
            for t in ins.args:
                if "/" in t.value and wd is not None and "$" not in t.value:
                    p = resolve(wd, t.value)
                    if p in mapping and mapping[p] != p:
                        tc.rewrites.append((ins, t.span, json.dumps(mapping[p])))

    def java_entry(self, tc: Toolchain, outdir: str, dest: str) -> str | None:
        """Adapt ``java -jar <jar>`` (or ``mvn spring-boot:run``) in CMD/ENTRYPOINT; the jar it names."""
        found: str | None = None
        adapted = False
        wd_final = self.a.final.workdir or "/"
        rel_dest = posixpath.relpath(dest, wd_final) if within(dest, wd_final) else dest
        for ins in self.runtime_side():
            if ins.cmd not in ("cmd", "entrypoint"):
                continue
            idx = self.a.index_of(ins)
            wd = (self.a.states[idx].workdir if idx is not None else None) or "/"
            if ins.json:
                vals = [t.value for t in ins.args]
                if vals and posixpath.basename(vals[0]) == "java" and "-jar" in vals[:-1]:
                    k = vals.index("-jar") + 1
                    jar = vals[k]
                    if "$" in jar:
                        raise NotOffered("the jar in CMD/ENTRYPOINT is a variable")
                    p = resolve(wd, jar)
                    if within(p, outdir) or "*" in jar:
                        if "*" not in jar:
                            found = p
                        new = rel_dest if not jar.startswith("/") else dest
                        tc.rewrites.append((ins, ins.args[k].span, json.dumps(new)))
                    else:
                        found = p
                    adapted = True
                elif vals and _runs_from_build_tool(vals):
                    tc.rewrites.append(
                        (ins, ins.args_span, json.dumps(["java", "-jar", rel_dest]).replace('","', '", "'))
                    )
                    adapted = True
            script: tuple[str, Span] | None = None
            if not ins.json:
                script = (ins.args_text, ins.args_span)
            elif (
                len(ins.args) == 3
                and posixpath.basename(ins.args[0].value) in SHELL_NAMES
                and ins.args[1].value == "-c"
            ):
                tok = ins.args[2]
                if len(tok.span) == len(tok.value) + 2:  # no JSON escapes: the value maps 1:1
                    script = (tok.value, Span(tok.span.start + 1, tok.span.end - 1))
            if script is not None:
                words = script[0].split()
                region = script[1]
                if "java" in [posixpath.basename(w) for w in words] and "-jar" in words[:-1]:
                    k = words.index("-jar") + 1
                    jar = words[k]
                    if "$" in jar or "'" in jar or '"' in jar:
                        raise NotOffered("the jar in CMD/ENTRYPOINT is not a plain path")
                    p = resolve(wd, jar)
                    if within(p, outdir) or "*" in jar:
                        if "*" not in jar:
                            found = p
                        m = re.search(
                            r"(?<=\s)" + re.escape(jar) + r"(?=\s|$)",
                            self.text[region.start : region.end],
                        )
                        if m is None:
                            raise NotOffered("cannot locate the jar in CMD")
                        s = region.start + m.start()
                        new = rel_dest if not jar.startswith("/") else dest
                        tc.rewrites.append((ins, Span(s, s + len(jar)), new))
                    else:
                        found = p
                    adapted = True
                elif words and not ins.json and _runs_from_build_tool(words):
                    tc.rewrites.append((ins, ins.args_span, f"java -jar {rel_dest}"))
                    adapted = True
        if not adapted:
            raise NotOffered("CMD/ENTRYPOINT does not run the built jar (java -jar ...)")
        return found

    def static_site(self, build_cmds: list[Cmd]) -> Toolchain | None:
        """A Node build whose output ``serve``/``http-server`` serves: nginx serves it instead."""
        a = self.a
        serve_ins: Instruction | None = None
        for ins in self.runtime_side():
            if ins.cmd not in ("cmd", "entrypoint"):
                continue
            words = [t.value for t in ins.args] if ins.json else (shell_words(ins.args_text) or [[]])[0]
            if words[:1] == ["npx"]:
                words = [w for w in words[1:] if w not in ("-y", "--yes")]
            if words and posixpath.basename(words[0]) in _STATIC_SERVERS:
                serve_ins = ins
                break
        if serve_ins is None:
            return None
        words = [t.value for t in serve_ins.args] if serve_ins.json else shell_words(serve_ins.args_text)[0]
        if words[0] == "npx":
            words = [w for w in words[1:] if w not in ("-y", "--yes")]
        server = posixpath.basename(words[0])
        single = False
        port = "3000" if server == "serve" else "8080"
        directory: str | None = None
        i = 1
        while i < len(words):
            w = words[i]
            if w in ("-s", "--single"):
                single = True
            elif w in ("-l", "--listen", "-p", "--port") and i + 1 < len(words):
                port = words[i + 1].rsplit(":", 1)[-1]
                i += 1
            elif w.startswith(("--listen=", "--port=")):
                port = w.split("=", 1)[1].rsplit(":", 1)[-1]
            elif w.startswith("-"):
                pass
            elif directory is None:
                directory = w
            i += 1
        idx = a.index_of(serve_ins)
        wd = a.states[idx].workdir if idx is not None else None
        if directory is None or wd is None or "$" in directory:
            raise NotOffered("cannot tell which directory the static server serves")
        src = resolve(wd, directory)
        tc = Toolchain(
            "Node static site",
            sorted({c.index for c in build_cmds}),
            [Artifact(src, "/usr/share/nginx/html", True)],
            lambda s, f: rti.nginx_runtime(),
            tools=rti.nginx_runtime().tools,
            native=False,
            replay=False,
            carry_packages=False,
        )
        tc.drops.append(serve_ins)
        for ins in self.runtime_side():
            if ins.cmd == "healthcheck":
                raise NotOffered("a HEALTHCHECK probes the Node server that nginx replaces")
            if ins.cmd == "entrypoint" and ins is not serve_ins:
                raise NotOffered("an ENTRYPOINT wraps the static server")
            if ins.cmd == "cmd" and ins is not serve_ins:
                tc.drops.append(ins)
            if ins.cmd == "expose":
                for t in ins.args:
                    if t.value.split("/")[0] == port:
                        new = "80" + t.value[len(port) :]
                        tc.rewrites.append((ins, t.span, new))
        if single:
            tc.footer = [
                self.kw("copy") + "<<'EOF' /etc/nginx/conf.d/default.conf",
                "server {",
                "    listen 80;",
                "    root /usr/share/nginx/html;",
                "    location / {",
                "        try_files $uri $uri/ /index.html;",
                "    }",
                "}",
                "EOF",
            ]
        return tc

    def entry_uses(self, pkgs: list[str]) -> bool:
        names = {posixpath.basename(e.exe) for e in self.a.entries(self.runtime_side())}
        return any(n == _npm_bin_name(p) or n.startswith(_npm_bin_name(p) + "-") for p in pkgs for n in names)

    def npm_globals(self, globals_: list[tuple[Cmd, list[str]]]) -> list[str]:
        """Global npm packages the runtime configuration runs (pm2, serve ...) are installed again."""
        names = {posixpath.basename(e.exe) for e in self.a.entries(self.runtime_side())}
        out: list[str] = []
        for _c, pkgs in globals_:
            keep = [
                p
                for p in pkgs
                if any(n == _npm_bin_name(p) or n.startswith(_npm_bin_name(p) + "-") for n in names)
            ]
            if keep:
                out.append(self.kw("run") + "npm install -g " + " ".join(keep))
                self.provided_by_globals.update(_npm_bin_name(p) for p in keep)
        return out

    # -- the decision ----------------------------------------------------------------------------

    def decide(self) -> None:
        a = self.a
        self._scan_packages()
        detector = _DETECTORS.get(a.repository)
        if detector is None and a.repository in rti.JAVA_TOOLCHAIN_IMAGES:
            detector = _java
        if detector is None:
            raise NotOffered(f"{a.repository or 'the base image'} is not a toolchain image we know")
        tc = detector(a, self)
        if tc is None:
            raise NotOffered(f"no build step of a known toolchain in the {a.repository} stage")
        self.toolchain = tc
        if self.dev_packages and tc.native:
            raise NotOffered(
                f"the build installs {', '.join(sorted(self.dev_packages))}: the runtime libraries are unknown"
            )
        self._split(tc)
        self._runtime_side(tc)
        self._choose_runtime(tc)
        self._names()

    # packages -------------------------------------------------------------------------------

    def _scan_packages(self) -> None:
        self.installs: list[tuple[Cmd, PackageInstall]] = []
        self.dev_packages: set[str] = set()
        for c in self.a.all_cmds():
            pi = package_install(c.cmd)
            if pi is None:
                continue
            self.installs.append((c, pi))
            for w in pi.packages:
                n = package_name(w.value)
                if n in BUILD_ONLY_PACKAGES or n.endswith(("-dev", "-devel", "-headers")):
                    self.build_packages = True
                if is_dev_package(n):
                    self.dev_packages.add(n)

    # split point ------------------------------------------------------------------------------

    def _split(self, tc: Toolchain) -> None:
        a = self.a
        split = max(tc.build)
        for i, ins in enumerate(a.ins):
            if ins.cmd == "shell":
                raise NotOffered("a SHELL instruction changes how RUN and CMD are run")
            if ins.error:
                raise NotOffered("the stage has a syntax error")
            if i <= split or ins.cmd != "run":
                continue
            if not self._runtime_run(i):
                split = i
        # Everything after the split stays in place and becomes the runtime stage's.
        self.split = split
        own = self.stage.name.lower() if self.stage.name else None
        for ins in a.ins:
            f = ins.flag("from") if ins.cmd in ("copy", "add") else None
            if own and f is not None and f.value and f.value.lower() == own:
                raise NotOffered("the stage copies from itself")
        for ins in a.ins[split + 1 :]:
            if ins.cmd not in CONFIG and ins.cmd not in ("run", "copy", "add"):
                raise NotOffered(f"{ins.keyword} after the build step")

    def _runtime_run(self, i: int) -> bool:
        """A RUN after the build that belongs in the runtime: user/file setup or OS packages only."""
        cmds = self.a.cmds[i]
        if not cmds:
            return False
        useful = False
        for c in cmds:
            if c.name in OS_INSTALLERS:
                useful = True
                continue
            if c.name in USER_COMMANDS or c.name in FILE_COMMANDS:
                useful = True
            elif c.name not in RUNTIME_SAFE_COMMANDS:
                return False
        return useful

    # the runtime stage's content ---------------------------------------------------------------

    def _runtime_side(self, tc: Toolchain) -> None:
        a = self.a
        split = self.split
        before = a.ins[: split + 1]
        self.trailing = a.ins[split + 1 :]
        drops = {id(x) for x in tc.drops}
        self.moved = [x for x in before if x.cmd in RUNTIME_ONLY and id(x) not in drops]
        self.dropped = [x for x in a.ins if id(x) in drops]
        self.replays: list[tuple[Instruction, str]] = []  # (original, text to write)
        self.needs_shell = False
        self.needs_family: str | None = None
        self.users_created: set[str] = set()
        self.owner: str | None = None
        self.extra_packages: list[str] = []
        self.made: set[str] = set()
        self.trailing_files: list[str] = [d for i, d in a.context_copies(len(a.ins)) if i > split]
        arts = tc.artifacts
        # Context files copied outside the build's sources are runtime files: copy them over too.
        if tc.copy_context_dirs is not None:
            roots = [d for d in tc.copy_context_dirs if d]
            for _i, dest in a.context_copies(split + 1):
                d = dest.rstrip("/") or "/"
                if any(within(d, r) or within(r, d) for r in roots) or is_private_path(d):
                    continue
                if any(within(d, x.dest) for x in arts):
                    continue
                arts.append(Artifact(d, d, dest.endswith("/")))
        if tc.replay:
            self._replays(tc, before)
        # Executables the runtime configuration starts must exist there.
        runtime_cfg = [x for x in self.moved + self.trailing if id(x) not in drops]
        replaced = {id(ins) for ins, span, _new in tc.rewrites if span == ins.args_span}
        for e in a.entries(runtime_cfg):
            if id(e.ins) not in replaced:  # a rewritten CMD runs what we wrote (java -jar ...)
                self._check_entry(tc, e)
        for i, ins in enumerate(self.trailing, split + 1):
            if ins.cmd == "run":
                self.needs_shell = True
                for c in a.cmds[i]:
                    if c.name in USER_COMMANDS or c.name in OS_INSTALLERS:
                        self.needs_family = a.family or "unknown"
                    if c.name in USER_COMMANDS:
                        self.users_created |= _created_names(c)
        if not any(x.cmd in ("cmd", "entrypoint") for x in runtime_cfg) and tc.name != "Node static site":
            raise NotOffered("the stage has no CMD or ENTRYPOINT to run in the runtime image")

    def _replays(self, tc: Toolchain, before: list[Instruction]) -> None:
        a = self.a
        last_abs = -1
        for i, ins in enumerate(before):
            if ins.cmd == "workdir" and ins.args:
                raw = ins.args_text
                if raw.startswith(("/", "$", '"/', "'/")):
                    last_abs = i
        picked: list[tuple[int, Instruction, str]] = []
        for i, ins in enumerate(before):
            cmd = ins.cmd
            src = self.text[ins.span.start : ins.span.end]
            if cmd == "workdir" and i >= last_abs:
                picked.append((i, ins, src))
                wd = a.states[i + 1].workdir if i + 1 < len(a.states) else a.final.workdir
                if wd is not None:
                    self.made.add(wd)
            elif cmd == "user":
                picked.append((i, ins, src))
            elif cmd == "env":
                if not all(_BUILD_ENV.match(kv.key.value) for kv in ins.pairs):
                    picked.append((i, ins, src))
            elif cmd == "run":
                line = self._setup_replay(tc, i, ins)
                if line is not None:
                    picked.append((i, ins, line))
        if last_abs < 0 and a.default_workdir != "/" and not any(x.cmd == "workdir" for x in before):
            self.default_workdir_line = self.kw("workdir") + a.default_workdir
        # ARGs (and build-only ENVs) the replayed and remaining instructions use.
        used = self._names_used([ins for _, ins, _ in picked] + self.moved + self.trailing, tc)
        for _ in range(3):
            extra = [
                (i, ins, self.text[ins.span.start : ins.span.end])
                for i, ins in enumerate(before)
                if ins.cmd in ("arg", "env")
                and not any(p[1] is ins for p in picked)
                and any(kv.key.value in used for kv in ins.pairs)
            ]
            if not extra:
                break
            picked += extra
            used |= self._names_used([ins for _, ins, _ in extra], tc)
        picked.sort(key=lambda p: p[0])
        self.replays = [(ins, txt) for _, ins, txt in picked]
        for ins, _ in self.replays:
            if ins.cmd == "run":
                self.needs_shell = True

    def _names_used(self, instructions: list[Instruction], tc: Toolchain) -> set[str]:
        ids = {id(x) for x in instructions}
        names = {r.name for r in self.doc.var_refs if id(r.instruction) in ids}
        for x in instructions:
            if x.cmd == "run":
                for name, *_ in scan_variables(self.text, x.span.start, x.span.end):
                    names.add(name)
        for line in tc.header + tc.footer:
            for name, *_ in scan_variables(line, 0, len(line)):
                names.add(name)
        return names

    def _setup_replay(self, tc: Toolchain, i: int, ins: Instruction) -> str | None:
        """The user/file setup part of a RUN before the build, to repeat in the runtime stage.

        COPY --from keeps the owner and mode of what it copies, but not of the destination
        directory itself: commands on files inside an artifact are dropped, commands on an
        artifact's directory (or its parents) are kept when the directory exists at that point.
        """
        cmds = self.a.cmds[i]
        kept: list[Cmd] = []
        useful = False
        pending_mkdirs: list[tuple[Cmd, list[str]]] = []
        for c in cmds:
            if c.cmd.wrappers and c.cmd.wrappers != ("sudo",):
                continue
            if c.name in USER_COMMANDS:
                kept.append(c)
                useful = True
                self.users_created |= _created_names(c)
                self.needs_family = self.a.family or "unknown"
                continue
            if c.name == "cd":
                kept.append(c)
                continue
            if c.name not in FILE_COMMANDS:
                continue
            paths = [c.path(o) for o in _operands(c)]
            if not paths or any(p is None for p in paths):
                continue
            kinds = [self._artifact_kind(tc, p) for p in paths if p is not None]
            if c.name == "mkdir":
                if all(k == "content" for k in kinds):
                    continue
                if all(k in ("content", "dir") for k in kinds):
                    pending_mkdirs.append((c, [p for p in paths if p is not None]))
                    continue
                kept.append(c)
                useful = True
                self.made.update(p for p in paths if p is not None)
                continue
            if all(k == "content" for k in kinds):
                continue
            if any(k == "outside" for k in kinds):
                kept.append(c)
                useful = True
                continue
            # Only the artifact's directory (or a parent): keep it if that directory exists by then.
            targets = [p for p, k in zip(paths, kinds, strict=True) if k == "dir" and p is not None]
            for mc, mpaths in pending_mkdirs:
                if any(t in mpaths for t in targets) and mc not in kept:
                    kept.append(mc)
                    self.made.update(mpaths)
            if all(self._exists(t) for t in targets):
                kept.append(c)
                useful = True
            elif c.name in ("chown", "chgrp") and c.cmd.has_flag("R", "recursive"):
                owner = _chown_owner(c)
                if owner is not None:
                    self.owner = owner
        if not useful:
            return None
        kept.sort(key=lambda c: c.cmd.span.start)
        while kept and kept[-1].name == "cd":
            kept.pop()
        if (
            len(kept) == len(cmds)
            and not ins.flags
            and not ins.heredocs
            and not ins.json
            and not ins.comment_spans
            and "\n" not in self.text[ins.span.start : ins.span.end]
        ):
            return self.text[ins.span.start : ins.span.end]
        return self.kw("run") + " && ".join(command_text(self.text, c.cmd, self.doc.escape) for c in kept)

    def _artifact_kind(self, tc: Toolchain, p: str) -> str:
        """ "content" (copied over with its owner and mode), "dir" (an artifact's directory or a
        parent of one: created, not copied) or "outside"."""
        for art in tc.artifacts:
            if art.directory and within(p, art.dest) and p != art.dest:
                return "content"
            if not art.directory and p == art.dest:
                return "content"
        for art in tc.artifacts:
            if within(art.dest, p):
                return "dir"
        wd = self.a.final.workdir
        if wd is not None and within(wd, p):
            return "dir"
        return "outside"

    def _exists(self, p: str) -> bool:
        if p in _STANDARD_DIRS:
            return True
        return any(within(m, p) for m in self.made)

    def _check_entry(self, tc: Toolchain, e: Entry) -> None:
        exe = e.exe
        if not exe or "$" in exe:
            return
        base = posixpath.basename(exe)
        if e.shell:
            self.needs_shell = True
        if "/" in exe:
            if e.workdir is None:
                raise NotOffered(f"cannot resolve {exe}")
            p = resolve(e.workdir, exe)
            for art in tc.artifacts:
                if p in (art.dest, art.src) or (art.directory and within(p, art.dest)):
                    return
            if any(
                p == f or (f.endswith("/") and within(p, f.rstrip("/") or "/")) for f in self.trailing_files
            ):
                if p.endswith(".sh"):
                    self.needs_shell = True
                return
            if posixpath.dirname(p) in _SYSTEM_BIN:
                self._check_bare(tc, base)
                return
            if is_private_path(p):
                raise NotOffered(f"{exe} is a private file")
            tc.artifacts.append(Artifact(p, p))
            if p.endswith(".sh"):
                self.needs_shell = True
            return
        self._check_bare(tc, base)

    def _check_bare(self, tc: Toolchain, base: str) -> None:
        if base in tc.tools or base in tc.path_tools:
            return
        if any(base == g or base.startswith(g + "-") for g in self.provided_by_globals):
            return
        for art in tc.artifacts:
            if posixpath.dirname(art.dest) in _SYSTEM_BIN and posixpath.basename(art.dest) == base:
                return
        if base in SHELL_UTILITIES:
            self.needs_shell = True
            return
        for c, pi in self.installs:
            for w in pi.packages:
                if package_name(w.value) == base or (
                    base == "nc" and package_name(w.value).startswith("netcat")
                ):
                    if c.index > self.split:
                        return  # installed by a RUN that stays in the runtime stage
                    if w.value not in self.extra_packages:
                        self.extra_packages.append(w.value)
                    return
        tag = self.a.tag
        if base == "wget" and self.a.family == "apk":
            return  # BusyBox has it
        if base in ("curl", "wget") and self.a.family == "apt" and not tag.slim:
            # The full Debian-based toolchain images come with curl and wget; slim runtimes do not.
            if base not in self.extra_packages:
                self.extra_packages.append(base)
            return
        if base == "bash":
            self.needs_shell = True
            if self.a.family == "apk":
                raise NotOffered("bash is not in Alpine images")
            return
        if tc.any_tool:
            return
        raise NotOffered(f"the runtime configuration runs {base}, which would not be in the runtime image")

    def _choose_runtime(self, tc: Toolchain) -> None:
        a = self.a
        candidates: list[str] = list(self.extra_packages)
        seen = set(candidates)
        if tc.carry_packages:
            for c, pi in self.installs:
                if c.index > self.split:
                    continue
                for w in pi.packages:
                    n = package_name(w.value)
                    if n in BUILD_ONLY_PACKAGES or n.endswith(("-dev", "-devel", "-headers", "-doc")):
                        continue
                    if w.value not in seen and "$" not in w.value:
                        seen.add(w.value)
                        candidates.append(w.value)
        shell = self.needs_shell
        family = self.needs_family
        if family == "unknown" or (family is not None and family != a.family):
            raise NotOffered("user or package setup for the runtime needs the builder's package manager")
        for _ in range(3):
            rt = tc.runtime(shell, family)
            if rt is None:
                raise NotOffered(f"no runtime image fits the {a.repository} builder")
            carry = [p for p in candidates if package_name(p) not in rt.packages]
            if carry and rt.family is None:
                shell, family = True, a.family
                if family not in ("apt", "apk"):
                    raise NotOffered("OS packages to carry over but no known package manager")
                continue
            if carry and rt.family != a.family:
                raise NotOffered("the runtime image has another package manager than the builder")
            if (shell and not rt.shell) or (family is not None and rt.family != family):
                if family is None and not rt.shell:
                    shell = True
                    continue
                raise NotOffered("no runtime image with the shell or package manager the runtime setup needs")
            self.runtime = rt
            self.carry = carry
            break
        else:
            raise NotOffered("no runtime image fits")
        # Named users must exist in the runtime image.
        rt = self.runtime
        assert rt is not None
        wanted: set[str] = set()
        for ins in [x for x, _ in self.replays] + self.trailing:
            if ins.cmd == "user" and ins.args:
                wanted |= _names_in_owner(ins.args[0].value)
            if ins.cmd in ("copy", "add"):
                f = ins.flag("chown")
                if f is not None and f.value:
                    wanted |= _names_in_owner(f.value)
        self.copy_owner = self.owner if tc.replay else None
        if self.copy_owner:
            wanted |= _names_in_owner(self.copy_owner)
        missing = {u for u in wanted if u not in rt.users and u not in self.users_created}
        if missing:
            raise NotOffered(f"user {', '.join(sorted(missing))} would not exist in the runtime image")
        if rt.distroless or not rt.shell:
            for ins, _ in self.replays:
                if ins.cmd == "run":
                    raise NotOffered("setup commands need a shell")

    def _names(self) -> None:
        stage = self.stage
        taken = {s.key for s in self.doc.stages if s is not stage and s.key}
        if stage.name and stage.name.lower() in _KEEP_AS_BUILDER:
            self.builder_name = stage.name
            self.runtime_name = None
            return
        for cand in _BUILDER_NAMES:
            if cand not in taken:
                self.builder_name = cand
                break
        else:
            raise NotOffered("no free stage name for the builder")
        self.runtime_name = stage.name

    # -- edits ------------------------------------------------------------------------------------

    def edits(self) -> list[Edit]:
        tc = self.toolchain
        rt = self.runtime
        assert tc is not None and rt is not None
        text = self.text
        nl = self.nl
        stage = self.stage
        a = self.a
        edits: list[Edit] = []
        self.changed = []
        from_ins = stage.from_instruction
        as_kw = "as" if from_ins.keyword.islower() else "AS"
        if stage.name_span is not None:
            if self.builder_name != stage.name:
                edits.append(Edit(stage.name_span, self.builder_name))
                self.changed.append(from_ins)
        else:
            end = from_ins.args[0].span.end
            edits.append(Edit(Span(end, end), f" {as_kw} {self.builder_name}"))
            self.changed.append(from_ins)
        # Builder additions before an install step (a virtualenv).
        for idx, added in tc.builder_inserts:
            ins = a.ins[idx]
            ls = self._line_start(ins.span.start)
            lead = text[ls : ins.span.start]
            edits.append(Edit(Span(ls, ls), "".join(lead + ln + nl for ln in added)))
        # Runtime-only instructions between build steps move below the new FROM.
        moved_chunks: list[str] = []
        deletions: list[Span] = []
        rewrites: dict[int, list[tuple[Span, str]]] = {}
        for ins, span, new in tc.rewrites:
            rewrites.setdefault(id(ins), []).append((span, new))
        for ins in self.moved:
            block = self._block(ins)
            chunk = text[block.start : block.end]
            for span, new in sorted(rewrites.pop(id(ins), []), key=lambda r: -r[0].start):
                chunk = chunk[: span.start - block.start] + new + chunk[span.end - block.start :]
            if not chunk.endswith(("\n", "\r")):
                chunk += nl
            moved_chunks.append(chunk)
            deletions.append(self._deletion(block))
            self.changed.append(ins)
        for ins in self.dropped:
            if ins in self.moved:
                continue
            deletions.append(
                self._deletion(Span(self._line_start(ins.span.start), self._line_after(ins.span.end)))
            )
            self.changed.append(ins)
        for span in _merge(deletions):
            edits.append(Edit(span, ""))
        for ins in self.trailing:
            for span, new in rewrites.pop(id(ins), []):
                edits.append(Edit(span, new))
                if ins not in self.changed:
                    self.changed.append(ins)
        # The runtime stage, right after the last build step.
        split_ins = a.ins[self.split]
        at = self._line_after(split_ins.span.end)
        ind = self.indent
        lines: list[str] = [ind + ln for ln in tc.builder_tail]
        lines.append("")
        platform = ""
        if stage.platform is not None and stage.platform.value and "BUILD" not in stage.platform.value:
            platform = text[stage.platform.span.start : stage.platform.span.end] + " "
        name = f" {as_kw} {self.runtime_name}" if self.runtime_name else ""
        lines.append(ind + self.kw("from") + platform + rt.ref + name)
        if self.carry:
            lines += [ind + ln for ln in self._install_lines(rt, self.carry)]
        lines += [ind + ln for ln in tc.header if ln.startswith(self.kw("run"))]
        if self.default_workdir_line:
            lines.append(ind + self.default_workdir_line)
        for _ins, txt in self.replays:
            lines.append(txt if txt.startswith(ind) else ind + txt)
        lines += [ind + ln for ln in tc.header if not ln.startswith(self.kw("run"))]
        for art in tc.artifacts:
            lines.append(ind + self._copy_line(art))
        chunk = "".join(ln + nl for ln in lines)
        chunk += "".join(moved_chunks)
        if tc.footer:  # a heredoc: only its first line is indented
            chunk += ind + tc.footer[0] + nl + "".join(ln + nl for ln in tc.footer[1:])
        if at >= len(text) and not text.endswith(("\n", "\r")):
            chunk = nl + chunk
        edits.append(Edit(Span(at, at), chunk))
        if rewrites:
            raise NotOffered("internal: a rewrite has no target")
        return edits

    def _install_lines(self, rt: rti.RuntimeImage, pkgs: list[str]) -> list[str]:
        esc = self.doc.escape
        if rt.family == "apk":
            return [self.kw("run") + "apk add --no-cache " + " ".join(pkgs)]
        return [
            self.kw("run") + f"apt-get update {esc}",
            f"    && apt-get install -y --no-install-recommends {' '.join(pkgs)} {esc}",
            "    && rm -rf /var/lib/apt/lists/*",
        ]

    def _copy_line(self, art: Artifact) -> str:
        flags = f"--from={self.builder_name} "
        if self.copy_owner:
            flags += f"--chown={self.copy_owner} "
        if any(ch.isspace() for ch in art.src + art.dest):
            return self.kw("copy") + flags + json.dumps([art.src, art.dest])
        return self.kw("copy") + flags + f"{art.src} {art.dest}"

    # -- line geometry ----------------------------------------------------------------------------

    def _line_start(self, offset: int) -> int:
        k = self.text.rfind("\n", 0, offset)
        return k + 1

    def _line_after(self, offset: int) -> int:
        k = self.text.find("\n", offset)
        return len(self.text) if k < 0 else k + 1

    def _lead(self, offset: int) -> str:
        return self.text[self._line_start(offset) : offset]

    def _is_blank_line(self, start: int) -> bool:
        end = self._line_after(start)
        return start < len(self.text) and not self.text[start:end].strip()

    def _block(self, ins: Instruction) -> Span:
        """The instruction's lines with the comment lines right above it."""
        text = self.text
        start = self._line_start(ins.span.start)
        while start > 0:
            prev = self._line_start(start - 1)
            line = text[prev:start].strip()
            if not line.startswith("#") or prev <= self.stage.from_instruction.span.end:
                break
            start = prev
        return Span(start, self._line_after(ins.span.end))

    def _deletion(self, block: Span) -> Span:
        """``block``, plus the blank line after it when one also precedes it (no double blanks)."""
        end = block.end
        if (
            block.start > 0
            and self._is_blank_line(self._line_start(block.start - 1))
            and self._is_blank_line(end)
        ):
            end = self._line_after(end)
        return Span(block.start, end)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.start):
        if out and s.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def _runs_from_build_tool(words: list[str]) -> bool:
    name = posixpath.basename(words[0]) if words else ""
    rest = words[1:]
    if name in ("mvn", "mvnw"):
        return "spring-boot:run" in rest
    if name in ("gradle", "gradlew"):
        return "bootRun" in rest
    return False


def _npm_bin_name(spec: str) -> str:
    name = spec
    if name.startswith("@"):
        name = name.split("/", 1)[-1]
    return re.split(r"@", name, maxsplit=1)[0]


def _operands(c: Cmd) -> list[str]:
    pos = [w.value for w in c.cmd.positional(("m", "mode", "reference", "t", "S", "suffix", "d", "r"))]
    if c.name in ("chown", "chgrp", "chmod") and not c.cmd.flag_values(long="reference"):
        pos = pos[1:]
    if c.name == "ln":
        pos = pos[-1:]
    return pos


def _chown_owner(c: Cmd) -> str | None:
    pos = [w.value for w in c.cmd.positional(())]
    if not pos or "$" in pos[0]:
        return None
    return pos[0] if c.name == "chown" else f"root:{pos[0]}"


def _created_names(c: Cmd) -> set[str]:
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


def _names_in_owner(owner: str) -> set[str]:
    return {p for p in owner.split(":") if p and not p.isdigit() and "$" not in p}


def _lowercase_style(doc: Dockerfile) -> bool:
    lower = sum(1 for i in doc.instructions if i.keyword.islower())
    return lower * 2 > len(doc.instructions)


def _padding(doc: Dockerfile) -> int:
    """A column the user aligns arguments at (``RUN     x``), or 0 for a single space."""
    widths = set()
    n = 0
    for ins in doc.instructions:
        if not ins.args_text or ins.args_span.start <= ins.keyword_span.end:
            continue
        gap = doc.text[ins.keyword_span.end : ins.args_span.start]
        if ins.flags:
            gap = doc.text[ins.keyword_span.end : ins.flags[0].span.start]
        if "\n" in gap:
            continue
        widths.add(len(ins.keyword) + len(gap))
        n += 1
    if n >= 3 and len(widths) == 1:
        w = widths.pop()
        if any(len(ins.keyword) + 1 < w for ins in doc.instructions):
            return w
    return 0


def _indentation(doc: Dockerfile, stage: Stage) -> str:
    text = doc.text
    leads = set()
    for ins in [stage.from_instruction, *stage.instructions]:
        k = text.rfind("\n", 0, ins.keyword_span.start) + 1
        leads.add(text[k : ins.keyword_span.start])
    return leads.pop() if len(leads) == 1 else ""


# --- entry points -----------------------------------------------------------------------------------


def _prepare(doc: Dockerfile, span: Span | None) -> Plan:
    stage = doc.final_stage
    if stage is None:
        raise NotOffered("no FROM")
    if span is not None and len(doc.stages) > 1:
        # The cursor (or any part of the selection) must be in the last stage.
        line_start = doc.text.rfind("\n", 0, stage.from_instruction.span.start) + 1
        if span.end < line_start:
            raise NotOffered("the cursor is not in the last stage")
    if stage.error or stage.image is None:
        raise NotOffered("the FROM line is not valid")
    if stage.base_stage is not None:
        raise NotOffered("the last stage builds on another stage")
    if stage.image.has_variables:
        raise NotOffered("the base image is set by a build argument")
    if stage.image.is_scratch:
        raise NotOffered("FROM scratch has no toolchain")
    if doc.parsed.errors or any(ins.error for ins in doc.instructions):
        raise NotOffered("the Dockerfile has syntax errors")
    tag = parse_tag(stage.image.tag)
    if tag.windows:
        raise NotOffered("Windows images are not supported")
    if stage.copies_from and (tag.slim or tag.alpine is not None):
        raise NotOffered("the stage already copies from a builder into a slim runtime")
    repository = stage.image.repository
    if repository not in _DETECTORS and repository not in rti.JAVA_TOOLCHAIN_IMAGES:
        raise NotOffered(f"{repository or 'the base image'} is not a toolchain image we know")
    plan = Plan(doc, stage)
    plan.decide()
    return plan


def explain(doc: Dockerfile, span: Span | None = None) -> str | None:
    """Why the refactoring is not offered (None when it is)."""
    try:
        plan = _prepare(doc, span)
        plan.edits()
    except NotOffered as exc:
        return str(exc)
    return None


def analyse(doc: Dockerfile, span: Span | None = None) -> Plan:
    """The decided plan (raises :class:`NotOffered`); tests use it to see what was moved or changed."""
    plan = _prepare(doc, span)
    return plan


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    try:
        p = _prepare(doc, span)
        edits = p.edits()
    except NotOffered:
        return None
    tc = p.toolchain
    rt = p.runtime
    assert tc is not None and rt is not None
    return RefactorResult(f"{TITLE} ({tc.name} → {rt.ref})", edits)


REFACTORING = Refactoring(name="splitStages", kind=KIND, title=TITLE, plan=plan)
