"""Add non-root user: make the final stage run as an unprivileged user, with the app still working.

The final stage's real base image is found by following ``FROM <stage>`` chains and substituting
global ARGs. Then, in this order of preference:

1. a non-root user the Dockerfile already switched to earlier (``USER app`` ... ``USER root``), or
   created with ``useradd``/``adduser`` in a RUN, is reused;
2. a user the base image ships is used: ``node`` (official node), ``gradle``, ``bun``, ``deno``,
   ``nonroot`` in ``gcr.io/distroless`` images (no shell, so no RUN), ``app`` in .NET 8+ images,
   uid ``1001`` in Bitnami images;
3. on Alpine (``addgroup -S app && adduser -S app -G app``) or Debian/Ubuntu
   (``groupadd --system app && useradd --system --gid app --create-home app``) a user ``app`` is
   created by a RUN right after FROM;
4. on ``scratch`` and on images whose distribution we cannot tell, ``USER 65534:65534`` (nobody):
   a numeric user needs no entry in /etc/passwd, so it is valid in any Linux image.

What the app writes at run time stays writable: the stage's WORKDIR and its ``VOLUME`` paths are
created owned by the user (``mkdir -p`` + ``chown``, in the RUN that creates the user or one right
after FROM); application files copied into the stage get ``--chown``; build steps that only write
the application folder (``npm ci``, ``npm run build``, ``yarn``, ``composer install``, ``dotnet
publish``, ``mvn``/``gradle``, ``mkdir data``...) and come after the last step that needs root run
as the user (``USER`` goes right before them); the files that earlier root RUNs create in the
application folder are handed to the user at the end of those RUNs (``find <dir> ! -user U -exec
chown U {} +``, which touches only what that RUN created, so no earlier layer is copied again).
With the numeric nobody, which has no home to keep those tools' caches in, every build step stays root
and hands its files over that way.

``USER`` goes after the last RUN that needs root (or explicit ``USER root``), before the RUNs that
can run as the user or the CMD/ENTRYPOINT that follows. When the stage EXPOSEs a port below 1024
the title says a non-root process needs CAP_NET_BIND_SERVICE to bind it.

Where it does not apply it says why (``NotApplicable``); every reason is listed in ``REASONS`` and in
docs/refactorings/non-root-user.md.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..engine.ecosystems import (
    Inserts,
    comment_block_start,
    ends_in_continuation,
    indentation,
    keyword_case,
    overlaps,
)
from ..engine.final_stage import (
    MANAGES_PRIVILEGES,
    NEEDS_ROOT,
    ONBUILD,
    UNRESOLVED,
    WINDOWS,
    FinalStage,
    exposed_low_ports,
    final_stage,
    low_port_note,
)
from ..engine.findings import Edit
from ..engine.image_facts import facts_for
from ..engine.images import stage_chain
from ..engine.model import Dockerfile, Stage
from ..engine.parser import Instruction
from ..engine.shell import SimpleCommand, run_script
from ..engine.text import Span
from ..engine.users import (
    NUMERIC_NOBODY,
    created_users,
    family,
    has_shell,
    is_root_user,
    shipped_user,
    start_commands,
    users_in,
)
from ..engine.workdirs import stage_cwds, unquote
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.rewrite.nonRootUser"
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys", "/proc", "/dev",
                "/boot", "/root", "/run", "/var/run")
_CREATE = {
    "alpine": "addgroup -S app && adduser -S app -G app",
    "debian": "groupadd --system app && useradd --system --gid app --create-home app",
}

# Why the action is not offered: one line each, shown in the editor's Refactor menu and by
# `fix --action nonRootUser`. docs/refactorings/non-root-user.md lists them (a test checks).
NO_STAGE = "the file has no FROM instruction"
BROKEN_STAGE = "the final stage's FROM instruction has an error"
ALREADY_USER = "the final stage already runs as the non-root user {user}"
DEFAULT_NON_ROOT = "{image} already runs as a non-root user"
CURSOR = "the cursor is not in the final stage (the image that runs)"
CONTINUATION = "the final stage ends with a line continuation: an added USER line would become part of it"
ROOT_HOME = "the application is under {path}, which only root can enter"
NO_SHELL_VOLUME = "VOLUME {path} would stay owned by root, and {image} has no shell to change that"
REASONS = (NO_STAGE, BROKEN_STAGE, WINDOWS, UNRESOLVED, MANAGES_PRIVILEGES, NEEDS_ROOT, ALREADY_USER,
           DEFAULT_NON_ROOT, ONBUILD, CURSOR, CONTINUATION, ROOT_HOME, NO_SHELL_VOLUME)


@dataclass(slots=True)
class _Choice:
    user: str  # for USER
    chown: str  # for COPY --chown and chown
    create: str | None  # a RUN command creating the user
    after: Instruction | None  # only instructions after this one can name the user
    label: str
    owner: str = ""  # for find ! -user

    def __post_init__(self) -> None:
        self.owner = self.chown.split(":", 1)[0]


def _choose(doc: Dockerfile, info: FinalStage) -> _Choice | None:
    stage = info.stage
    assert info.image is not None
    mine = set(map(id, stage.instructions))
    # 1. A non-root user the file already switched to, or created.
    earlier = [u for u in info.users if not is_root_user(u.args_text)]
    if earlier:
        u = earlier[-1]
        value = u.args_text.strip()
        if "$" not in value:
            return _Choice(value, value, None, u if id(u) in mine else None, value)
    created = created_users(doc, stage)
    if created:
        c = created[-1]
        chown = f"{c.name}:{c.group}" if c.group else c.name
        return _Choice(c.name, chown, None, c.instruction if id(c.instruction) in mine else None, c.name)
    # 2. A user the base image ships.
    shipped = shipped_user(info.image)
    if shipped is not None:
        return _Choice(shipped.user, shipped.chown, None, None, shipped.user.split(":", 1)[0])
    # 3. Create one where we know the distribution's tools; 4. else a numeric user.
    fam = family(info.image)
    if fam in _CREATE:
        return _Choice("app", "app:app", _CREATE[fam], None, "app")
    if fam == "windows":
        return None
    return _Choice(NUMERIC_NOBODY, NUMERIC_NOBODY, None, None, NUMERIC_NOBODY)


def _absolute(cwd: str, dest: str) -> str:
    dest = unquote(dest)
    path = dest if dest.startswith(("/", "$")) else (cwd.rstrip("/") + "/" + dest)
    return posixpath.normpath(path) if path.startswith("/") else path


# Where projects conventionally put application code, although under a system directory.
_APP_DIRS_UNDER_SYSTEM = ("/usr/src", "/usr/local/src", "/usr/app", "/usr/local/app")


def _is_app_destination(cwd: str, dest: str) -> bool:
    path = _absolute(cwd, dest).rstrip("/") or "/"
    if path == "/":
        return False
    if any(path.startswith(d + "/") for d in _APP_DIRS_UNDER_SYSTEM):
        return True
    return not any(path == d or path.startswith(d + "/") for d in _SYSTEM_DIRS)


def _literal(path: str) -> bool:
    """An absolute path we know (no variable, not the unknown default WORKDIR of the image)."""
    return path.startswith("/") and "$" not in path and "<" not in path and " " not in path and path != "/"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _volumes(stage: Stage) -> list[tuple[Instruction, str]]:
    out: list[tuple[Instruction, str]] = []
    for ins in stage.instructions:
        if ins.cmd == "volume":
            out += [(ins, unquote(t.value)) for t in ins.args if t.value.strip("\"'")]
    return out


# --- what a RUN does to the application folder ----------------------------------------------------

# Commands that install or configure the system: they need root and do not write the folder they
# run in.
_SYSTEM = frozenset(
    ("apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "zypper", "pacman", "tdnf", "dpkg", "rpm",
     "useradd", "adduser", "groupadd", "addgroup", "usermod", "update-ca-certificates", "locale-gen", "ldconfig",
     "update-alternatives", "dpkg-reconfigure", "gem", "pip", "pip3", "pipx", "echo", "printf", "true", ":", "set",
     "export", "sleep", "rm", "corepack", "rustup", "cargo-install")
)
_FILE_TOOLS = frozenset(("mkdir", "touch", "cp", "mv", "chmod", "ln"))
_NODE_GLOBAL = frozenset(("-g", "--global", "--location=global", "global", "--prefix"))


def _relative_only(values: list[str]) -> bool:
    return all(not v.startswith(("/", "~", "$", "..")) for v in values if not v.startswith("-"))


def _command_class(cmd: SimpleCommand) -> str:
    """"system" (needs root, writes no application folder), "user" (can run as the user in a folder
    it owns, writing only there and under $HOME) or "root" (anything else)."""
    name, values = cmd.name, cmd.values
    if "sudo" in cmd.wrappers:
        return "system"
    if re.fullmatch(r"python[0-9.]*", name) and values[:2] in (["-m", "pip"], ["-m", "pip3"]):
        name, values = "pip", values[2:]
    if name in _SYSTEM or re.fullmatch(r"pip[0-9.]*", name):
        if name.startswith("pip") and any(v in (".", "-e", "--editable") or v.startswith("./") for v in values):
            return "root"  # installs the project itself: writes build files where it runs
        return "system"
    if name in ("npm", "npx", "yarn", "yarnpkg", "pnpm", "bun"):
        return "system" if any(v.split("=", 1)[0] in _NODE_GLOBAL or v == "--location=global" for v in values) else "user"
    if name == "bundle":
        if values[:1] in (["config"], ["lock"]):
            return "system"
        if values[:1] == ["install"] and not any(v.split("=", 1)[0] in ("--deployment", "--path") for v in values):
            return "system"  # gems go to GEM_HOME, not the application folder
        return "root"
    if name == "composer":
        return "system" if "global" in values else "user"
    if name == "dotnet":
        if values[:1] not in (["restore"], ["build"], ["publish"], ["test"]):
            return "root"
        outputs = [values[k + 1] for k in range(len(values) - 1) if values[k] in ("-o", "--output")]
        outputs += [v.split("=", 1)[1] for v in values if v.startswith("--output=")]
        return "user" if _relative_only(outputs) else "root"
    if name in ("node", "tsc", "mvn", "mvnw", "gradle", "gradlew"):
        return "user"
    if name in _FILE_TOOLS:
        return "user" if _relative_only(values) else "root"
    if name == "make":
        return "root" if "install" in values else "user"
    return "root"


@dataclass(slots=True)
class _Run:
    ins: Instruction
    index: int
    cwd: str
    kind: str  # "system", "user" or "root" (the most demanding of its commands)
    writes: bool  # may write the folder it runs in
    cd: bool  # changes directory part way
    append_at: int | None


def _classify(doc: Dockerfile, stage: Stage) -> list[_Run]:
    """The stage's RUNs that run as root, with what they do."""
    cwds = stage_cwds(doc, stage)
    chain = stage_chain(stage, doc)
    inherited = users_in(doc, chain[1]) if len(chain) > 1 else []
    root = not inherited or is_root_user(inherited[-1].args_text)
    out: list[_Run] = []
    for idx, ins in enumerate(stage.instructions):
        if ins.cmd == "user" and ins.args_text:
            root = is_root_user(ins.args_text)
        if ins.cmd != "run" or not root:
            continue
        script = run_script(doc, ins) if not ins.heredocs else None
        if script is None or not script.commands or (script.parser == "exec"):
            out.append(_Run(ins, idx, cwds[idx], "root", True, True, None))
            continue
        kinds = {_command_class(c) for c in script.commands}
        kind = "root" if "root" in kinds else "system" if "system" in kinds else "user"
        cd = any(c.name in ("cd", "pushd") for c in script.commands)
        mounts = [f for f in ins.flags if f.name.lower() == "mount"]
        if mounts and kind == "user":
            kind = "root"  # cache mounts are owned by root unless told otherwise
        writes = kinds != {"system"}
        out.append(_Run(ins, idx, cwds[idx], kind, writes, cd, script.append_at))
    return out


@dataclass(slots=True)
class _Layout:
    """The folders the app writes at run time, and who writes what at build time."""

    workdir: str | None  # the stage's final WORKDIR, when it is an application folder we can name
    dirs: list[str] = field(default_factory=list)  # to create owned by the user (not recursive)
    trees: list[str] = field(default_factory=list)  # to hand over with everything in them
    user_from: int | None = None  # runs from this instruction index on run as the user
    chown_runs: list[_Run] = field(default_factory=list)  # root RUNs whose new files go to the user


def _final_cwd(doc: Dockerfile, stage: Stage) -> str:
    cwds = stage_cwds(doc, stage)
    cwd = cwds[-1] if cwds else "/<image>"
    if stage.instructions:
        last = stage.instructions[-1]
        if last.cmd == "workdir" and last.args_text:
            cwd = _absolute(cwd, last.args_text)
    return cwd


def _under_root_home(doc: Dockerfile, stage: Stage, final: str) -> str | None:
    """What the app uses under /root (mode 700: no other user can enter it), if anything: the
    WORKDIR, a start command, files copied there (`COPY --from=build /root/.local /root/.local`), a
    PATH or other ENV value pointing there."""
    if _inside(final, "/root"):
        return final
    for ins in start_commands(doc, stage):
        for w in ins.args:
            if w.value.startswith("/root/"):
                return w.value.split()[0]
    cwds = stage_cwds(doc, stage)
    # A copy into /root that a later RUN consumes (pip's cache brought in for the install) is build
    # time, done as root; only what is still there for the app after the last RUN counts.
    last_run = max((i for i, ins in enumerate(stage.instructions) if ins.cmd == "run"), default=-1)
    for idx, ins in enumerate(stage.instructions):
        if ins.cmd in ("copy", "add") and len(ins.args) >= 2 and idx > last_run:
            dest = _absolute(cwds[idx], ins.args[-1].value)
            if _inside(dest, "/root"):
                return dest
        if ins.cmd == "env":
            for kv in ins.pairs:
                value = kv.value.value if kv.value is not None else ""
                m = re.search(r"(?:^|[:=\s])(/root(?:/[^:\s\"']*)?)", value)
                if m:
                    return m.group(1)
    return None


def _layout(doc: Dockerfile, info: FinalStage, choice: _Choice, shell: bool) -> _Layout:
    stage = info.stage
    ins_list = stage.instructions
    final = _final_cwd(doc, stage)
    under_root = _under_root_home(doc, stage, final)
    if under_root is not None:
        raise NotApplicable(ROOT_HOME.format(path=under_root))
    workdir = final if _literal(final) and _is_app_destination("/", final) else None
    layout = _Layout(workdir)
    for _ins, path in _volumes(stage):
        if not shell:
            raise NotApplicable(NO_SHELL_VOLUME.format(path=path, image=info.image.text if info.image else "the image"))
        if _literal(path) and path not in layout.dirs:
            layout.dirs.append(path)
    if not shell:
        return layout
    if workdir is not None:
        # Files the stages it is built on put there are root's: hand the whole folder over.
        inherited = False
        for parent in stage_chain(stage, doc)[1:]:
            cwds = stage_cwds(doc, parent)
            for k, ins in enumerate(parent.instructions):
                if ins.cmd == "run" and _inside(cwds[k], workdir):
                    inherited = True
                elif ins.cmd in ("copy", "add") and len(ins.args) >= 2:
                    inherited |= _inside(_absolute(cwds[k], ins.args[-1].value), workdir)
        (layout.trees if inherited else layout.dirs).insert(0, workdir)
    after = ins_list.index(choice.after) if choice.after is not None else -1
    runs = [r for r in _classify(doc, stage) if r.index > after]
    # Build steps after the last one that needs root run as the user, in folders it owns.
    anchor = after
    for idx, ins in enumerate(ins_list):
        if ins.cmd == "user" and is_root_user(ins.args_text):
            anchor = max(anchor, idx)
    # The numeric nobody has no home it can write (/nonexistent, or / without a passwd entry), and
    # every build tool that may run as the user keeps a cache there (~/.m2, ~/.gradle, ~/.npm,
    # ~/.nuget...): with it, build steps stay root and their files are handed over instead.
    homeless = choice.user == NUMERIC_NOBODY
    for r in runs:
        if r.kind != "user" or homeless or not _literal(r.cwd) or not _is_app_destination("/", r.cwd) or r.cd:
            anchor = max(anchor, r.index)
    tail = [r for r in runs if r.index > anchor]
    limit = len(ins_list)
    if tail and workdir is not None and all(_inside(r.cwd, workdir) for r in tail):
        layout.user_from = tail[0].index
        limit = anchor
        for r in tail:
            if r.cwd not in layout.dirs and r.cwd not in layout.trees:
                layout.dirs.append(r.cwd)
    # Root RUNs that write in an application folder: what they create goes to the user.
    for r in runs:
        if r.index <= limit and r.writes and _literal(r.cwd) and _is_app_destination("/", r.cwd):
            layout.chown_runs.append(r)
    return layout


def _root_point(doc: Dockerfile, info: FinalStage, after: Instruction | None) -> Instruction | None:
    """The first instruction, from ``after`` on, after which RUN runs as root (None: right after FROM)."""
    chain = stage_chain(info.stage, doc)
    inherited = users_in(doc, chain[1]) if len(chain) > 1 else []
    root = not inherited or is_root_user(inherited[-1].args_text)
    ins_list = info.stage.instructions
    start = ins_list.index(after) if after is not None else -1
    for idx in range(-1, len(ins_list)):
        if idx >= 0 and ins_list[idx].cmd == "user" and ins_list[idx].args_text:
            root = is_root_user(ins_list[idx].args_text)
        if idx >= start and root:
            return ins_list[idx] if idx >= 0 else None
    return after


def _maven_config(doc: Dockerfile, info: FinalStage, choice: _Choice) -> list[str]:
    """``MAVEN_CONFIG=<home>/.m2`` (for an ENV) for a user created on the maven image: its ENTRYPOINT
    (mvn-entrypoint.sh) copies its reference files into $MAVEN_CONFIG, root's /root/.m2, at every
    start, and prints a notice before the app's output where it cannot write there. The created
    user's home (``--create-home``, ``adduser -S``) is /home/<user>."""
    assert info.image is not None
    facts = facts_for(info.image)
    config = facts.env_values.get("MAVEN_CONFIG", "") if facts is not None else ""
    if choice.create is None or not config.startswith("/root"):
        return []
    if any(i.cmd == "env" and "MAVEN_CONFIG" in i.args_text for st in stage_chain(info.stage, doc) for i in st.instructions):
        return []
    return [f"MAVEN_CONFIG=/home/{choice.owner}/.m2"]


def _why_not(doc: Dockerfile, span: Span | None) -> FinalStage:
    stage = doc.final_stage
    if stage is None:
        raise NotApplicable(NO_STAGE)
    info = final_stage(doc)
    if info is None:
        raise NotApplicable(BROKEN_STAGE)
    if info.skip is not None:
        raise NotApplicable(info.skip)
    if not info.runs_as_root:
        last = info.last_user
        if last is not None:
            raise NotApplicable(ALREADY_USER.format(user=last.args_text.strip()))
        raise NotApplicable(DEFAULT_NON_ROOT.format(image=info.image.text if info.image else "the base image"))
    if span is not None and not overlaps(stage.span, span):
        raise NotApplicable(CURSOR)
    last = stage.instructions[-1] if stage.instructions else stage.from_instruction
    if ends_in_continuation(doc, last) or ends_in_continuation(doc, stage.from_instruction):
        raise NotApplicable(CONTINUATION)
    return info


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    info = _why_not(doc, span)
    stage = info.stage
    choice = _choose(doc, info)
    if choice is None:
        raise NotApplicable(WINDOWS)
    assert info.image is not None
    shell = choice.create is not None or has_shell(doc, stage, info.image)
    layout = _layout(doc, info, choice, shell)
    eol = doc.line_ending
    kw = keyword_case(doc)
    ins_list = stage.instructions
    indent = indentation(doc, (ins_list[0] if ins_list else stage.from_instruction).keyword_span.start)
    edits = Inserts()

    # The user, and the folders the app writes, owned by it: right after FROM (or after the
    # instruction that creates the user).
    prepare: list[str] = [choice.create] if choice.create is not None else []
    owned = [*layout.trees, *layout.dirs]
    if owned:
        parts = ["mkdir -p " + " ".join(owned)]
        if layout.dirs:
            parts.append(f"chown {choice.chown} " + " ".join(layout.dirs))
        if layout.trees:
            parts.append(f"chown -R {choice.chown} " + " ".join(layout.trees))
        prepare.append(" && ".join(parts))
    if prepare:
        after = _root_point(doc, info, choice.after)
        at = after.span.end if after is not None else stage.from_instruction.span.end
        run = kw("RUN") + " " + " && ".join(prepare)
        if len(prepare) > 1 and len(indent + run) > 100:
            # One line per step, as Dockerfiles write long RUNs.
            run = kw("RUN") + " " + f" {doc.escape}{eol}{indent}    && ".join(prepare)
        edits.insert(at, eol + indent + run)

    # --chown on the application files.
    cwds = stage_cwds(doc, stage)
    started = choice.after is None
    for idx, ins in enumerate(ins_list):
        if ins is choice.after:
            started = True
            continue
        if not started or ins.cmd not in ("copy", "add") or ins.flag("chown") is not None or len(ins.args) < 2:
            continue
        if _is_app_destination(cwds[idx], ins.args[-1].value):
            at = ins.flags[-1].span.end if ins.flags else ins.keyword_span.end
            edits.insert(at, f" --chown={choice.chown}")

    # What root RUNs create in the application folder goes to the user, in the same layer.
    for r in layout.chown_runs:
        hand_over = f"find {r.cwd} ! -user {choice.owner} -exec chown {choice.chown} {{}} +"
        if r.append_at is not None:
            edits.insert(r.append_at, " && " + hand_over)
        else:
            edits.insert(r.ins.span.end, eol + indentation(doc, r.ins.keyword_span.start) + kw("RUN") + " " + hand_over)

    # USER before the steps that can run as the user, else after the last instruction that may
    # need root, before the CMD/ENTRYPOINT that follows.
    user_line = kw("USER") + " " + choice.user
    env_line = _maven_config(doc, info, choice)
    target: Instruction | None
    if layout.user_from is not None:
        target = ins_list[layout.user_from]
    else:
        anchor = -1
        for idx, ins in enumerate(ins_list):
            if ins.cmd == "run" or (ins.cmd == "user" and is_root_user(ins.args_text)):
                anchor = idx
        target = next((ins for ins in ins_list[anchor + 1 :] if ins.cmd in ("cmd", "entrypoint")), None)
    if target is not None:
        lead = indentation(doc, target.keyword_span.start)
        before = "".join(lead + kw("ENV") + " " + value + eol for value in env_line)
        edits.insert(comment_block_start(doc, target), before + lead + user_line + eol)
    else:
        end = ins_list[-1].span.end if ins_list else stage.from_instruction.span.end
        edits.insert(end, "".join(eol + indent + kw("ENV") + " " + value for value in env_line) + eol + indent + user_line)
    result: list[Edit] = edits.edits
    title = f"Add non-root user ({choice.label})"
    note = low_port_note(exposed_low_ports(doc, stage))
    if note:
        title += f"; note: {note}"
    return RefactorResult(title, result)


REFACTORING = Refactoring(
    kind=KIND,
    title="Add non-root user",
    plan=plan,
    resolves=("DL3002", "NoUserInFinalStage", "UserCreatedNeverUsed"),
)

__all__ = ["KIND", "REASONS", "REFACTORING", "FinalStage", "exposed_low_ports", "final_stage", "low_port_note",
           "start_commands"]
