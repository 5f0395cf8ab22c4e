"""What the cacheDependencies refactoring knows about package managers, and small editing helpers.

Three parts:

- :class:`RunScript`: a RUN's shell text split into ``&&``/``;`` separated segments, each tied back
  to document offsets (through line continuations and comment lines), so a RUN can be cut in two
  without retyping what the user wrote. Its words are the shell model's (:func:`.shell.tokens`,
  strict). Anything beyond a plain command list (``if``, ``for``, subshells, background jobs,
  heredocs) yields None: we do not split what we cannot read.
- :func:`install_step`: whether a segment installs (or, for compilers that fetch on the fly,
  downloads) dependencies, which manifest files it reads, and what to run before the source is
  copied. :func:`source_independent` says whether a command can safely run before the source COPY.
- Text helpers shared by this package's refactorings: keyword casing, indentation, comment blocks,
  and :func:`minimal_edits` (the smallest line-aligned edits that turn one text into another).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .findings import Edit
from .model import Dockerfile
from .parser import Instruction
from .shell import Token, shell_source, tokens
from .text import Span

# --- RUN scripts ----------------------------------------------------------------------------


@dataclass(slots=True)
class Command:
    """One simple command of a pipeline: ``[NAME=v ...] [sudo|env ...] prog args...``."""

    words: list[Token]  # prog and its args
    assignments: list[str]
    prog: str = field(init=False)  # basename of the command word

    def __post_init__(self) -> None:
        self.prog = posixpath.basename(self.words[0].value) if self.words else ""

    @property
    def args(self) -> list[Token]:
        return self.words[1:]

    def values(self) -> list[str]:
        return [w.value for w in self.words[1:]]


@dataclass(slots=True)
class Segment:
    """A part of the script between ``&&``/``;`` separators (a pipeline, possibly with ``||``)."""

    start: int  # index into RunScript.clean
    end: int
    pipeline: list[Command]  # commands joined by | or ||
    redirects: list[str]  # targets of > >> < redirections
    sep: str  # the separator after it: "&&", ";" or "" for the last one

    @property
    def command(self) -> Command:
        return self.pipeline[0]


@dataclass(slots=True)
class RunScript:
    ins: Instruction
    clean: str  # what the shell runs ("" for the exec form)
    offsets: list[int]  # document offset of each character of ``clean``, less ``shift``
    segments: list[Segment]
    json: bool = False
    shift: int = 0  # how far the instruction moved since ``offsets`` were taken (see run_script)

    def doc_start(self, seg: Segment) -> int:
        if self.json:
            return self.ins.args_span.start
        return self.offsets[seg.start] + self.shift

    def doc_end(self, seg: Segment) -> int:
        if self.json:
            return self.ins.args_span.end
        return self.offsets[seg.end - 1] + 1 + self.shift

    def doc_offset(self, index: int) -> int:
        """The document offset of ``clean[index]``."""
        return self.offsets[index] + self.shift

    def doc_offset_after(self, word: Token) -> int:
        return self.offsets[word.end - 1] + 1 + self.shift

    def segment_span(self, seg: Segment) -> Span:
        return Span(self.doc_start(seg), self.doc_end(seg))


_REDIRECTS = frozenset((">", ">>", "<", "&>", ">&", "<&"))
_COMPOUND = frozenset(
    ("if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
     "function", "{", "}", "!", "[[", "select", "coproc")
)
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")
_WRAPPERS = frozenset(("sudo", "env", "exec", "time", "nice", "command", "nohup", "doas"))


def _strip_command(words: list[Token]) -> Command:
    assignments: list[str] = []
    k = 0
    while k < len(words) and _ASSIGNMENT.match(words[k].raw):
        assignments.append(words[k].value)
        k += 1
    while k < len(words) and words[k].value in _WRAPPERS:
        k += 1
        while k < len(words) and (words[k].value.startswith("-") or _ASSIGNMENT.match(words[k].raw)):
            if _ASSIGNMENT.match(words[k].raw):
                assignments.append(words[k].value)
            k += 1
    return Command(words[k:], assignments)


def _segment(toks: list[Token], sep: str) -> Segment | None:
    pipeline: list[Command] = []
    redirects: list[str] = []
    current: list[Token] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "op":
            if tok.value in ("|", "||"):
                pipeline.append(_strip_command(current))
                current = []
            elif tok.value in _REDIRECTS:
                if tok.value == "&>" and current and current[-1].end == tok.start and current[-1].raw.isdigit():
                    # `2&>x`: the shell tokenizer keeps the number as a word (bash runs it as an
                    # argument); these scripts have always read it as the redirection's fd.
                    current.pop()
                if i + 1 >= len(toks) or toks[i + 1].kind == "op":
                    return None
                target = toks[i + 1].value
                if not (tok.value in (">&", "<&") and (target.isdigit() or target == "-")):
                    redirects.append(target)
                i += 1
            else:
                return None
        else:
            if not current and not pipeline and tok.value in _COMPOUND:
                return None
            current.append(tok)
        i += 1
    pipeline.append(_strip_command(current))
    if not pipeline[0].words:
        return None
    return Segment(toks[0].start, toks[-1].end, pipeline, redirects, sep)


def run_script(doc: Dockerfile, ins: Instruction) -> RunScript | None:
    """Split a RUN into command segments; None for heredocs, ONBUILD and shell syntax we skip.

    The words come from the shell model's tokenizer in strict mode (:func:`.shell.tokens`), which
    refuses what a static reading must not edit; anything but a list of pipelines joined by
    ``&&``/``;`` with plain redirections is refused here.

    The result depends on the instruction's own text only, so it is kept on the instruction, which
    incremental re-parsing reuses for unchanged text (moved with it when it moved): cacheMounts
    reads every RUN of the file per version, and a keystroke changes one.
    """
    base = ins.keyword_span.start
    saved = ins.cache.get("segments")
    if isinstance(saved, tuple) and saved[2] == doc.escape:
        old_base: int = saved[0]
        kept: RunScript | None = saved[1]
        if kept is None or old_base == base:
            return kept
        delta = base - old_base
        return RunScript(ins, kept.clean, kept.offsets, kept.segments, kept.json, kept.shift + delta)
    found = _run_script(doc, ins)
    ins.cache["segments"] = (base, found, doc.escape)
    return found


def _run_script(doc: Dockerfile, ins: Instruction) -> RunScript | None:
    if ins.cmd != "run" or ins.heredocs or ins.sub is not None:
        return None
    if ins.json:
        if not ins.args:
            return None
        words = [Token("word", t.value, t.value, -1, -1) for t in ins.args]
        seg = Segment(-1, -1, [Command(words, [])], [], "")
        return RunScript(ins, "", [], [seg], json=True)
    clean, offsets = shell_source(doc, ins)
    if not clean.strip() or "\n" in clean:
        return None
    toks = tokens(clean, strict=True)
    if not toks:
        return None
    segments: list[Segment] = []
    current: list[Token] = []
    for tok in toks:
        if tok.kind == "op" and tok.value in ("&&", ";"):
            if not current:
                return None
            part = _segment(current, tok.value)
            if part is None:
                return None
            segments.append(part)
            current = []
        else:
            current.append(tok)
    if current:
        tail = _segment(current, "")
        if tail is None:
            return None
        segments.append(tail)
    elif segments and segments[-1].sep == "&&":
        return None
    return RunScript(ins, clean, offsets, segments)


# --- install commands -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstallStep:
    """A command that installs or fetches dependencies from manifest files.

    ``files`` and ``dirs`` are relative to the directory the command runs in; ``files`` may hold
    wildcards for optional files (BuildKit's COPY accepts a wildcard that matches nothing, as long
    as the instruction copies something). ``explicit`` steps are moved before the source COPY as
    they are (with ``extra_flags`` added after ``anchor`` when a dependencies-only run needs them,
    in which case the original command runs again after the source COPY); for the others (a build
    that downloads what it needs) ``fetch`` is a new command that downloads the dependencies first.
    """

    ecosystem: str
    tool: str
    files: tuple[str, ...]
    dirs: tuple[str, ...] = ()
    explicit: bool = True
    extra_flags: tuple[str, ...] = ()
    anchor: Token | None = None
    fetch: str | None = None
    label: str = ""  # the command as the user wrote it, for messages


def _options_only(args: Sequence[Token], takes_value: frozenset[str] = frozenset()) -> bool:
    """True when ``args`` hold no positional argument (values of ``takes_value`` options skipped)."""
    words = iter(args)
    for w in words:
        v = w.value
        if not v.startswith("-"):
            return False
        if "=" not in v and v in takes_value:
            next(words, None)  # its value
    return True


def _has(args: Sequence[Token], *names: str) -> bool:
    return any(w.value in names or w.value.split("=", 1)[0] in names for w in args)


_NPM_VALUE_OPTS = frozenset(("--omit", "--include", "--loglevel", "--registry", "--cache", "--userconfig",
                             "--install-strategy", "--fetch-retries", "--network-concurrency"))
_PIP_VALUE_OPTS = frozenset(
    ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
     "--trusted-host", "--cache-dir", "--src", "--platform", "--python-version", "--implementation", "--abi",
     "--progress-bar", "--log", "--timeout", "--retries", "--exists-action", "--upgrade-strategy",
     "--global-option", "--install-option", "--config-settings", "-C", "--only-binary", "--no-binary",
     "--proxy", "--python", "-p", "--report", "--default-timeout", "--keyring-provider", "--index-strategy")
)
_BUNDLE_VALUE_OPTS = frozenset(("--jobs", "-j", "--retry", "--path", "--without", "--with", "--binstubs"))
_MAVEN_VALUE_OPTS = frozenset(("-s", "--settings", "-gs", "--global-settings", "-P", "--activate-profiles",
                               "-T", "--threads", "-t", "--toolchains", "-l", "--log-file"))
_MAVEN_UNSUPPORTED = frozenset(("-pl", "--projects", "-f", "--file", "-am", "--also-make", "-amd",
                                "--also-make-dependents", "-rf", "--resume-from", "-o", "--offline"))
_MAVEN_CARRIED = frozenset(("-B", "--batch-mode", "-q", "--quiet", "-ntp", "--no-transfer-progress", "-U",
                            "--update-snapshots", "-e", "--errors"))
_GRADLE_CARRIED = frozenset(("--no-daemon", "-q", "--quiet", "--console=plain", "--info", "-i", "--stacktrace",
                             "-s", "--refresh-dependencies"))
CARGO_DUMMY_MAIN = "mkdir -p src && echo 'fn main() {}' > src/main.rs"


def _go(cmd: Command, assignments: list[str]) -> InstallStep | None:
    args = cmd.args
    if not args:
        return None
    sub = args[0].value
    env = " ".join(assignments)
    if "-mod=vendor" in env or "GO111MODULE=off" in env or _has(args, "-mod=vendor") or (
        _has(args, "-mod") and any(w.value == "vendor" for w in args)
    ):
        return None
    files = ("go.mod", "go.sum*")
    if sub == "mod" and len(args) > 1 and args[1].value == "download":
        if any(not w.value.startswith("-") for w in args[2:]):
            return None
        return InstallStep("go", "go", files, label="go mod download")
    if sub in ("build", "install", "test", "vet", "run", "generate"):
        if any("@" in w.value and not w.value.startswith("-") for w in args[1:]):
            return None  # go install tool@version: a tool, not this module's dependencies
        return InstallStep("go", "go", files, explicit=False, fetch="go mod download", label=f"go {sub}")
    return None


def _node(cmd: Command) -> InstallStep | None:
    prog, args = cmd.prog, cmd.args
    if prog == "npm":
        if not args:
            return None
        sub, rest = args[0].value, args[1:]
        if _has(rest, "-g", "--global", "--prefix", "--workspace", "-w", "--workspaces"):
            return None
        if sub in ("ci", "clean-install", "ic", "install-clean") or (
            sub in ("install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall")
            and _options_only(rest, _NPM_VALUE_OPTS)
        ):
            return InstallStep("node", "npm", ("package*.json",), label=f"npm {sub}")
        return None
    if prog == "yarn":
        sub = args[0].value if args and not args[0].value.startswith("-") else "install"
        rest = args[1:] if args and not args[0].value.startswith("-") else args
        if sub != "install" or not _options_only(rest):
            return None
        if _has(rest, "--immutable", "--immutable-cache", "--check-cache", "--mode", "--inline-builds"):
            return None  # Yarn Berry: needs .yarnrc.yml and .yarn/releases, which we cannot see
        lock = "yarn.lock" if _has(rest, "--frozen-lockfile") else "yarn.lock*"
        return InstallStep("node", "yarn", ("package.json", lock), label="yarn install" if args else "yarn")
    if prog == "pnpm":
        if not args or args[0].value not in ("install", "i"):
            return None
        rest = args[1:]
        if not _options_only(rest) or _has(rest, "-g", "--global", "--filter", "-F", "-r", "--recursive"):
            return None
        lock = "pnpm-lock.yaml" if _has(rest, "--frozen-lockfile") else "pnpm-lock.yaml*"
        return InstallStep("node", "pnpm", ("package.json", lock), label=f"pnpm {args[0].value}")
    if prog == "bun":
        if not args or args[0].value not in ("install", "i") or not _options_only(args[1:]):
            return None
        if _has(args[1:], "-g", "--global"):
            return None
        return InstallStep("node", "bun", ("package.json", "bun.lock*"), label=f"bun {args[0].value}")
    return None


def _pip_args(cmd: Command) -> list[Token] | None:
    """The arguments after ``install`` of pip, pip3, python -m pip or uv pip; None for other commands."""
    prog, args = cmd.prog, cmd.args
    if re.fullmatch(r"pip[0-9.]*", prog):
        rest = args
    elif re.fullmatch(r"python[0-9.]*|py", prog) and len(args) >= 2 and args[0].value == "-m" and re.fullmatch(
        r"pip[0-9.]*", args[1].value
    ):
        rest = args[2:]
    elif prog == "uv" and args and args[0].value == "pip":
        rest = args[1:]
    else:
        return None
    if not rest or rest[0].value != "install":
        return None
    return rest[1:]


def _looks_local(v: str) -> bool:
    if "://" in v or v.startswith("git+"):
        return False
    return (
        v in (".", "..")
        or v.startswith((".", "/", "~", "$"))
        or "/" in v
        or v.endswith((".whl", ".tar.gz", ".zip", ".tgz"))
    )


def _python(cmd: Command) -> InstallStep | None:
    pip = _pip_args(cmd)
    prog, args = cmd.prog, cmd.args
    if pip is not None:
        files: list[str] = []
        # An option's value is taken from the iterator with it (next), so it is not read as a word.
        words = iter(pip)
        for w in words:
            v = w.value
            if v in ("-e", "--editable") or v.startswith("--editable="):
                return None
            req: str | None = None
            if v in ("-r", "--requirement", "-c", "--constraint"):
                value = next(words, None)
                if value is None:
                    return None
                req = value.value
            elif v.startswith(("--requirement=", "--constraint=")):
                req = v.split("=", 1)[1]
            elif v.startswith(("-r", "-c")) and not v.startswith("--") and len(v) > 2:
                req = v[2:]
            elif v.startswith("-"):
                if "=" not in v and v in _PIP_VALUE_OPTS:
                    next(words, None)
                continue
            elif _looks_local(v):
                return None  # installs the project itself (or a local path): needs the source
            if req is not None:
                if "$" in req or " " in req or not req:
                    return None
                files.append(req)
        if not files:
            return None
        return InstallStep("python", "pip", tuple(files), label="pip install -r " + " ".join(files))
    if not args:
        return None
    sub, rest = args[0].value, args[1:]
    if prog == "poetry" and sub == "install":
        if _has(rest, "--only-root") or not _options_only(rest, frozenset(("--only", "--with", "--without", "-E",
                                                                            "--extras"))):
            return None
        extra = () if _has(rest, "--no-root") else ("--no-root",)
        return InstallStep("python", "poetry", ("pyproject.toml", "poetry.lock*"), extra_flags=extra, anchor=args[0],
                           label="poetry install")
    if prog == "uv" and sub == "sync":
        if not _options_only(rest, frozenset(("--extra", "--group", "--only-group", "--python", "-p",
                                              "--package", "--index-url", "--extra-index-url"))):
            return None
        if _has(rest, "--package", "--all-packages"):
            return None
        locked = _has(rest, "--locked", "--frozen")
        extra = () if _has(rest, "--no-install-project", "--only-dev") else ("--no-install-project",)
        return InstallStep("python", "uv", ("pyproject.toml", "uv.lock" if locked else "uv.lock*"),
                           extra_flags=extra, anchor=args[0], label="uv sync")
    if prog == "pdm" and sub in ("install", "sync"):
        if not _options_only(rest, frozenset(("-G", "--group", "-L", "--lockfile"))):
            return None
        extra = () if _has(rest, "--no-self") else ("--no-self",)
        return InstallStep("python", "pdm", ("pyproject.toml", "pdm.lock*"), extra_flags=extra, anchor=args[0],
                           label=f"pdm {sub}")
    if prog == "pipenv" and sub in ("install", "sync"):
        if not _options_only(rest, frozenset(("--python", "--categories"))):
            return None
        locked = sub == "sync" or _has(rest, "--deploy", "--ignore-pipfile")
        return InstallStep("python", "pipenv", ("Pipfile", "Pipfile.lock" if locked else "Pipfile.lock*"),
                           label=f"pipenv {sub}")
    return None


def _maven(cmd: Command) -> InstallStep | None:
    args = cmd.args
    wrapper = cmd.prog == "mvnw"
    goals: list[str] = []
    carried: list[str] = []
    files = ["pom.xml"]
    words = iter(args)  # an option's value is taken with next(), as in _python
    for w in words:
        v = w.value
        if v in _MAVEN_UNSUPPORTED or v.split("=", 1)[0] in _MAVEN_UNSUPPORTED:
            return None
        if v.startswith("-"):
            if v in _MAVEN_VALUE_OPTS:
                value = next(words, None)
                if value is None:
                    return None
                if v in ("-T", "--threads", "-l", "--log-file"):
                    continue
                if " " in value.value or "$" in value.value:
                    return None
                carried += [v, value.raw]
                if v in ("-s", "--settings", "-gs", "--global-settings", "-t", "--toolchains") and not (
                    value.value.startswith("/")
                ):
                    files.append(value.value)
            elif v in _MAVEN_CARRIED or v.startswith(("-D", "-P")):
                carried.append(w.raw)
            continue
        goals.append(v)
    if not goals:
        return None
    exe = cmd.words[0].raw
    files_t = (*files, "mvnw") if wrapper else tuple(files)
    dirs = (".mvn",) if wrapper else ()
    label = f"{exe} {' '.join(goals)}"
    if any(g.startswith(("dependency:go-offline", "dependency:resolve")) for g in goals) and all(
        g.startswith("dependency:") for g in goals
    ):
        return InstallStep("maven", "maven", files_t, dirs, label=label)
    fetch = " ".join([exe, *carried, "dependency:go-offline"])
    return InstallStep("maven", "maven", files_t, dirs, explicit=False, fetch=fetch, label=label)


def _gradle(cmd: Command) -> InstallStep | None:
    args = cmd.args
    wrapper = cmd.prog == "gradlew"
    tasks = [w.value for w in args if not w.value.startswith("-")]
    if not tasks or any(":" in t for t in tasks) or _has(args, "-p", "--project-dir", "-b", "--build-file",
                                                            "-c", "--settings-file", "--offline"):
        return None
    exe = cmd.words[0].raw
    carried = [w.raw for w in args if w.value in _GRADLE_CARRIED or w.value.startswith(("-D", "-P"))]
    files: tuple[str, ...] = ("build.gradle*", "settings.gradle*", "gradle.properties*")
    if wrapper:
        files = (*files, "gradlew")
    dirs = ("gradle",) if wrapper else ()
    label = f"{exe} {' '.join(tasks)}"
    if tasks == ["dependencies"]:
        return InstallStep("gradle", "gradle", files, dirs, label=label)
    fetch = " ".join([exe, "dependencies", *carried])
    return InstallStep("gradle", "gradle", files, dirs, explicit=False, fetch=fetch, label=label)


def _cargo(cmd: Command) -> InstallStep | None:
    args = cmd.args
    if not args:
        return None
    sub, rest = args[0].value, args[1:]
    if sub == "install":
        if not (_has(rest, "--path") and any(w.value in (".", "./") for w in rest)):
            return None
    elif sub not in ("build", "fetch", "test", "run", "check", "clippy", "doc", "bench", "b", "t", "r", "c"):
        return None
    if _has(rest, "-p", "--package", "--workspace", "--all", "--manifest-path", "--offline", "--frozen"):
        return None
    locked = _has(rest, "--locked")
    fetch = f"{CARGO_DUMMY_MAIN} && cargo fetch{' --locked' if locked else ''} && rm -r src"
    return InstallStep("rust", "cargo", ("Cargo.toml", "Cargo.lock" if locked else "Cargo.lock*"),
                       explicit=False, fetch=fetch, label=f"cargo {sub}")


def _ruby(cmd: Command) -> InstallStep | None:
    args = cmd.args
    if cmd.prog != "bundle":
        return None
    if args and args[0].value != "install" and not args[0].value.startswith("-"):
        return None
    rest = args[1:] if args and args[0].value == "install" else args
    if not _options_only(rest, _BUNDLE_VALUE_OPTS) or _has(rest, "--gemfile"):
        return None
    locked = _has(rest, "--deployment", "--frozen")
    return InstallStep("ruby", "bundler", ("Gemfile", "Gemfile.lock" if locked else "Gemfile.lock*"),
                       label="bundle install")


def _php(cmd: Command) -> InstallStep | None:
    args = cmd.args
    if cmd.prog not in ("composer", "composer.phar") or not args or args[0].value not in ("install", "i"):
        return None
    rest = args[1:]
    if not _options_only(rest) or _has(rest, "-d", "--working-dir"):
        return None
    extra = tuple(f for f in ("--no-scripts", "--no-autoloader") if not _has(rest, f))
    return InstallStep("php", "composer", ("composer.json", "composer.lock*"), extra_flags=extra, anchor=args[0],
                       label="composer install")


# What `dotnet restore` reads besides the project: central package versions, shared build
# properties, package sources and the SDK pin, each optional (wildcards that may match nothing).
DOTNET_SHARED = ("Directory.Build.props*", "Directory.Packages.props*", "Directory.Build.targets*",
                 "[Nn]u[Gg]et.[Cc]onfig*", "global.json*")
_DOTNET_PROJECT = re.compile(r".*\.(csproj|fsproj|vbproj)$", re.I)
_DOTNET_VALUE_OPTS = frozenset(("-c", "--configuration", "-o", "--output", "-f", "--framework", "-r", "--runtime",
                                "-a", "--arch", "--os", "-s", "--source", "--configfile", "-v", "--verbosity",
                                "--version-suffix", "-p", "--property", "-bl"))
_DOTNET_CARRIED = frozenset(("-r", "--runtime", "-a", "--arch", "--os", "-s", "--source", "--configfile"))


def _dotnet(cmd: Command) -> InstallStep | None:
    args = cmd.args
    if not args or args[0].value not in ("restore", "build", "publish", "test", "pack"):
        return None
    sub, rest = args[0].value, args[1:]
    if _has(rest, "--no-restore"):
        return None  # restores nothing: an earlier step did
    projects: list[str] = []
    carried: list[str] = []
    words = iter(rest)  # an option's value is taken with next(), as in _python
    for w in words:
        v = w.value
        if v.startswith("-"):
            name = v.split("=", 1)[0].split(":", 1)[0]
            if name in _DOTNET_VALUE_OPTS and "=" not in v and ":" not in v[1:]:
                value = next(words, None)
                if value is None or "$" in value.value or " " in value.value:
                    return None
                if name in _DOTNET_CARRIED:
                    carried += [w.raw, value.raw]
            elif name in _DOTNET_CARRIED:
                carried.append(w.raw)
            continue
        projects.append(v)
    if len(projects) > 1 or any("$" in p or " " in p for p in projects):
        return None
    if projects and not _DOTNET_PROJECT.match(projects[0]):
        return None  # a solution (whose projects we cannot see) or a folder
    if projects:
        project = posixpath.normpath(projects[0])
        shared = DOTNET_SHARED if "/" not in project else ()
        files: tuple[str, ...] = (project, *shared)
    else:
        files = ("*.csproj", "*.fsproj", "*.vbproj", *DOTNET_SHARED)
    target = [projects[0]] if projects else []
    label = " ".join(["dotnet", sub, *target])
    if sub == "restore":
        return InstallStep("dotnet", "dotnet", files, label=label)
    fetch = " ".join(["dotnet", "restore", *target, *carried])
    return InstallStep("dotnet", "dotnet", files, explicit=False, fetch=fetch, label=label)


def install_step(seg: Segment) -> InstallStep | None:
    """The dependency step ``seg`` performs, if any."""
    cmd = seg.command
    if not cmd.words:
        return None
    prog = cmd.prog
    if prog in ("sh", "bash") and cmd.args and cmd.args[0].value in ("gradlew", "./gradlew", "mvnw", "./mvnw"):
        cmd = Command(cmd.words[1:], cmd.assignments)
        prog = cmd.prog
    if re.fullmatch(r"php[0-9.]*", prog) and cmd.args and posixpath.basename(cmd.args[0].value) in (
        "composer", "composer.phar"
    ):
        # php composer.phar install: a composer.phar of the project is a manifest too.
        phar = cmd.args[0].value
        step = _php(Command(cmd.words[1:], cmd.assignments))
        if step is None or phar.startswith(("/", "$", "~")):
            return step
        return replace(step, files=(*step.files, posixpath.normpath(phar)), label="php " + step.label)
    if prog == "dotnet":
        return _dotnet(cmd)
    if prog == "go":
        return _go(cmd, cmd.assignments)
    if prog in ("npm", "yarn", "pnpm", "bun"):
        return _node(cmd)
    if prog in ("mvn", "mvnw"):
        return _maven(cmd)
    if prog in ("gradle", "gradlew"):
        return _gradle(cmd)
    if prog == "cargo":
        return _cargo(cmd)
    if prog == "bundle":
        return _ruby(cmd)
    if prog in ("composer", "composer.phar"):
        return _php(cmd)
    return _python(cmd)


# --- commands that do not read the build context -----------------------------------------------

_SYSTEM_TOOLS = frozenset(
    ("apk", "apt-get", "apt", "aptitude", "yum", "dnf", "microdnf", "zypper", "pacman", "tdnf", "update-ca-certificates",
     "mkdir", "useradd", "adduser", "groupadd", "addgroup", "usermod", "echo", "printf", "set", "true", ":",
     "export", "corepack", "rustup", "locale-gen", "ldconfig", "apk-cache", "update-alternatives", "umask",
     "pipx", "gem", "dpkg-reconfigure", "ln", "sleep")
)
_PIPE_CONSUMERS = re.compile(r"^(sh|bash|ash|dash|python[0-9.]*|php|tar|gpg|apt-key)$")


def _paths_outside(values: Sequence[str], src_dir: str | None) -> bool:
    for v in values:
        if v.startswith("-"):
            continue
        if not v.startswith("/"):
            return False
        if src_dir is not None and (v == src_dir or v.startswith(src_dir.rstrip("/") + "/")):
            return False
    return True


def _command_independent(cmd: Command, manifests: frozenset[str], src_dir: str | None, piped_in: bool) -> bool:
    if not cmd.words:
        return True
    prog = cmd.prog
    values = cmd.values()
    if prog in _SYSTEM_TOOLS:
        if prog == "ln":
            return _paths_outside(values, src_dir)
        if prog == "gem":
            return bool(values) and values[0] in ("install", "update", "sources")
        return True
    if piped_in and _PIPE_CONSUMERS.match(prog):
        return True
    if prog == "npm":
        return _has(cmd.args, "-g", "--global") or (bool(values) and values[0] in ("config", "set", "cache"))
    if prog == "yarn":
        return bool(values) and values[0] in ("global", "config", "cache") and (values[0] != "global" or (
            len(values) > 1 and values[1] == "add"))
    if prog == "pnpm":
        return _has(cmd.args, "-g", "--global") or (bool(values) and values[0] in ("config", "setup", "env"))
    pip = _pip_args(cmd)
    if pip is not None:
        words = iter(pip)  # an option's value is taken with next(), as in _python
        for w in words:
            v = w.value
            if v in ("-r", "-c", "-e", "--requirement", "--constraint", "--editable") or v.startswith(
                ("-r", "-c", "-e", "--requirement=", "--constraint=", "--editable=")
            ):
                return False
            if v.startswith("-"):
                if "=" not in v and v in _PIP_VALUE_OPTS:
                    next(words, None)
                continue
            if _looks_local(v):
                return False
        return True
    if re.fullmatch(r"pip[0-9.]*", prog):
        return bool(values) and values[0] in ("config", "cache")
    if re.fullmatch(r"python[0-9.]*", prog) and len(values) >= 3 and values[:2] == ["-m", "venv"]:
        return _paths_outside(values[2:], src_dir)
    if prog in ("poetry", "bundle", "composer", "uv"):
        return (bool(values) and values[0] in ("config", "self-update", "self")) or (
            prog == "composer" and values[:2] == ["global", "require"])
    if prog == "go":
        return (bool(values) and values[0] == "env") or (
            len(values) > 1 and values[0] == "install" and all("@" in v for v in values[1:] if not v.startswith("-"))
        )
    if prog == "cargo":
        return bool(values) and values[0] == "install" and "--path" not in values and not any(
            _looks_local(v) for v in values[1:] if not v.startswith("-"))
    if prog in ("chmod", "chown"):
        targets = [v for v in values[1:] if not v.startswith("-")]
        return bool(targets) and all(posixpath.normpath(t) in manifests for t in targets)
    if prog == "rm":
        return _paths_outside(values, src_dir)
    if prog == "cd":
        return len(values) == 1 and _paths_outside(values, src_dir)
    if prog in ("curl", "wget"):
        out = [v for i, v in enumerate(values) if i > 0 and values[i - 1] in ("-o", "--output", "-O",
                                                                            "--output-document", "-P")]
        return bool(out) and _paths_outside(out, src_dir)
    return False


def source_independent(seg: Segment, manifests: frozenset[str] = frozenset(), src_dir: str | None = None) -> bool:
    """Whether ``seg`` neither reads nor writes the copied source (safe to run before it is copied)."""
    if not all(r.startswith("/dev/") or _paths_outside([r], src_dir) for r in seg.redirects):
        return False
    for i, cmd in enumerate(seg.pipeline):
        if not _command_independent(cmd, manifests, src_dir, piped_in=i > 0):
            return False
    return True


STATEFUL = frozenset(("export", "set", "cd", "umask", "source", ".", "alias", "shopt", "ulimit"))


def changes_shell_state(seg: Segment) -> bool:
    """Commands whose effect lasts for the rest of the script (and must be repeated if it is split)."""
    cmd = seg.command
    return not cmd.words or cmd.prog in STATEFUL or (bool(cmd.assignments) and len(cmd.words) == 0)


# --- text helpers -----------------------------------------------------------------------------


def commands_in(text: str, mentioning: tuple[str, ...] = ()) -> list[Command]:
    """Every simple command in ``text`` (any shell text, line by line), for a rough reading.

    Each line is read by the shell model's strict tokenizer (a line it refuses, a comment say, is
    skipped) and cut at every operator. With ``mentioning``, only lines that contain one of those
    words are read.
    """
    out: list[Command] = []
    for line in text.splitlines():
        if mentioning and not any(w in line for w in mentioning):
            continue
        current: list[Token] = []
        for tok in tokens(line, strict=True) or ():
            if tok.kind == "op":
                if current:
                    out.append(_strip_command(current))
                current = []
            else:
                current.append(tok)
        if current:
            out.append(_strip_command(current))
    return out


def ends_in_continuation(doc: Dockerfile, ins: Instruction) -> bool:
    """The instruction's last line ends with the escape character (only possible at the end of the
    file): a line inserted after it would be read as part of it."""
    if ins.heredocs or (ins.sub is not None and ins.sub.heredocs):
        return False
    lines = doc.text[ins.keyword_span.start : ins.span.end].split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()  # blank and comment lines inside a continuation
    line = lines[-1].rstrip(" \t\r")
    return line.endswith(doc.escape) and not line.endswith(doc.escape * 2)


def keyword_case(doc: Dockerfile) -> Callable[[str], str]:
    """How the document writes keywords: lower case when most of them are, else upper case."""
    lower = sum(1 for ins in doc.instructions if ins.keyword.islower())
    upper = len(doc.instructions) - lower
    return str.lower if lower > upper else str.upper


def same_case(example: str, word: str) -> str:
    return word.lower() if example.islower() else word.upper() if example.isupper() else word


def line_start(doc: Dockerfile, offset: int) -> int:
    return doc.lines.line_start(doc.lines.line_of(offset))


def indentation(doc: Dockerfile, offset: int) -> str:
    start = line_start(doc, offset)
    end = start
    while end < len(doc.text) and doc.text[end] in " \t":
        end += 1
    return doc.text[start:end] if end <= offset else ""


def comment_block_start(doc: Dockerfile, ins: Instruction) -> int:
    """Start of the comment lines directly above ``ins`` (its own line start if there are none)."""
    comment_starts = {doc.lines.line_of(c.start) for c in doc.parsed.comments}
    directive_lines = {doc.lines.line_of(d.span.start) for d in doc.parsed.directives}
    line = doc.lines.line_of(ins.keyword_span.start)
    while line > 0 and (line - 1) in comment_starts and (line - 1) not in directive_lines:
        line -= 1
    return doc.lines.line_start(line)


def overlaps(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end


def minimal_edits(old: str, new: str) -> list[Edit]:
    """Small non-overlapping edits turning ``old`` into ``new``: changed line runs, trimmed."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    edits: list[Edit] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(trim_edit(old, Edit(Span(starts[i1], starts[i2]), "".join(b[j1:j2]))))
    return edits


def trim_edit(text: str, edit: Edit) -> Edit:
    """The same edit without the text it would replace by itself (common prefix and suffix)."""
    seg_old = text[edit.span.start : edit.span.end]
    seg_new = edit.new_text
    p = 0
    limit = min(len(seg_old), len(seg_new))
    while p < limit and seg_old[p] == seg_new[p]:
        p += 1
    if p and seg_old[p - 1] == "\r":
        p -= 1  # never between the two characters of a CRLF
    s = 0
    while s < limit - p and seg_old[len(seg_old) - 1 - s] == seg_new[len(seg_new) - 1 - s]:
        s += 1
    if s and seg_old[len(seg_old) - s] == "\n" and len(seg_old) - s > p and seg_old[len(seg_old) - s - 1] == "\r":
        s -= 1
    return Edit(Span(edit.span.start + p, edit.span.end - s), seg_new[p : len(seg_new) - s])


@dataclass(slots=True)
class Inserts:
    """Collects edits; several insertions at one offset keep the order they were added in."""

    edits: list[Edit] = field(default_factory=list)

    def insert(self, offset: int, text: str) -> None:
        for i, e in enumerate(self.edits):
            if e.span.start == e.span.end == offset:
                self.edits[i] = Edit(e.span, e.new_text + text)
                return
        self.edits.append(Edit(Span(offset, offset), text))

    def replace(self, span: Span, text: str) -> None:
        self.edits.append(Edit(span, text))
