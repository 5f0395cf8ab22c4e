"""The plan: everything the refactoring decides for one document (the split point, what the runtime
stage repeats, the runtime image), from the stage walk and the toolchain module's findings."""

from __future__ import annotations

import json
import posixpath

from ...engine.findings import Edit
from ...engine.image_facts import ImageFacts
from ...engine.images import ImageName
from ...engine.model import Dockerfile, Stage, scan_variables
from ...engine.parser import Instruction
from .._toolchains import (
    BUILD_ONLY_PACKAGES,
    FILE_COMMANDS,
    OS_INSTALLERS,
    RUN_BY_NAME,
    RUNTIME_SAFE_COMMANDS,
    SHELL_UTILITIES,
    USER_COMMANDS,
    PackageInstall,
    command_text,
    is_dev_package,
    is_private_path,
    package_install,
    package_name,
    resolve,
    within,
)
from . import frontend as fe_mod
from .analysis import (
    BUILD_ENV,
    BUILDER_NAMES,
    CONFIG,
    KEEP_AS_BUILDER,
    RUNTIME_ONLY,
    STANDARD_DIRS,
    SYSTEM_BIN,
    Analysis,
    Artifact,
    Cmd,
    Entry,
    NotOffered,
    Toolchain,
    chown_owner,
    context_copies,
    context_path,
    created_names,
    names_in_owner,
    operands,
)
from .context import context_for
from .emit import edits, indentation, lowercase_style, padding
from .runtimes import RuntimeImage, through_mirror
from .toolchains import DETECTORS, toolchain_of

TITLE = "Split into builder/runtime stages"


class Plan:
    """Everything the refactoring decides for one document, then the edits."""

    def __init__(self, doc: Dockerfile, stage: Stage, image: ImageName, facts: ImageFacts | None) -> None:
        self.doc = doc
        self.stage = stage
        self.text = doc.text
        self.nl = doc.line_ending
        self.lower = lowercase_style(doc)
        self.pad = padding(doc)
        self.indent = indentation(doc, stage)
        self.a = Analysis(doc, stage, image, facts)
        self.build_packages = False
        self.changed: list[Instruction] = []  # instructions rewritten, moved or deleted
        self.moved: list[Instruction] = []
        self.runtime: RuntimeImage | None = None
        self.toolchain: Toolchain | None = None
        self.builder_name = "builder"
        self.runtime_name: str | None = None
        self.default_workdir_line: str | None = None
        self.provided_by_globals: set[str] = set()  # executables of global npm installs we repeat
        self.toolchain_name = toolchain_of(image, facts)
        self.frontend: fe_mod.Frontend | None = None  # a Node front-end build that moves to its own stage

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

    def decide(self) -> None:
        a = self.a
        self._scan_packages()
        self.frontend = fe_mod.find(self)
        detector = DETECTORS.get(self.toolchain_name or "")
        if detector is None:
            raise NotOffered(f"{a.repository or 'the base image'} is not a toolchain image we know")
        tc = detector(a, self)
        if tc is None:
            raise NotOffered(f"no build step of a known toolchain in the {a.repository} stage")
        self.toolchain = tc
        self._follow_moves(tc)
        if self.frontend is not None:
            fe = self.frontend
            if tc.custom_edits is not None or set(fe.removed) & set(tc.build):
                raise NotOffered("the front-end build and the back end's build share a RUN")
            tc.name += " + Node front end"
            if fe.into_builder_before is not None:
                # go:embed reads the assets at build time: they go into the builder before go build.
                tc.builder_inserts.append((fe.into_builder_before, [fe_mod.copy_line(self, fe)]))
        if tc.custom_edits is not None:
            self.runtime = tc.custom_runtime
            self.split = -1
            return
        if self.dev_packages and tc.native:
            raise NotOffered(
                f"the build installs {', '.join(sorted(self.dev_packages))}: the runtime libraries are unknown"
            )
        self._split(tc)
        self._runtime_side(tc)
        self._choose_runtime(tc)
        self._names()

    def _follow_moves(self, tc: Toolchain) -> None:
        """An artifact a later build command moves (``mv app /usr/local/bin/``) is copied from where it
        went, and one it copies onto PATH (``cp app /usr/local/bin/``) from the copy the CMD runs: the
        runtime gets the binary where the original image had the one it ran."""
        a = self.a
        first = min(tc.build, default=0)
        runs = {posixpath.basename(e.exe) for e in a.entries(self.runtime_side()) if "/" not in e.exe}
        runs |= {resolve(e.workdir, e.exe) for e in a.entries(self.runtime_side()) if "/" in e.exe and e.workdir}
        for art in tc.artifacts:
            if art.directory or art.src != art.dest:
                continue
            for c in a.all_cmds():
                if c.index < first or c.name not in ("mv", "cp", "install"):
                    continue
                words = [w.value for w in c.cmd.positional(("m", "mode", "o", "owner", "g", "group"))]
                if len(words) < 2 or not any(c.path(v) == art.src for v in words[:-1]):
                    continue
                to = c.path(words[-1])
                if to is None:
                    raise NotOffered(f"cannot tell where {c.name} puts {art.src}")
                into_dir = words[-1].endswith("/") or to in SYSTEM_BIN or len(words) > 2 or to in self._made_dirs()
                target = posixpath.join(to, posixpath.basename(art.src)) if into_dir else to
                on_path = posixpath.dirname(target) in SYSTEM_BIN and posixpath.basename(target) in runs
                if c.name == "mv" or target in runs or on_path:
                    art.src = art.dest = target

    def _made_dirs(self) -> set[str]:
        """Directories the stage makes (WORKDIR, mkdir): a copy into one keeps its file name."""
        a = self.a
        dirs = {s.workdir for s in a.states if s.workdir}
        for c in a.all_cmds():
            if c.name == "mkdir":
                dirs |= {p for o in operands(c) if (p := c.path(o)) is not None}
        return dirs

    # packages -------------------------------------------------------------------------------

    def _scan_packages(self) -> None:
        self.installs: list[tuple[Cmd, PackageInstall]] = []
        self.dev_packages: set[str] = set()
        ran: set[str] = set()  # command names the RUNs run (and `assets:precompile`, which runs node)
        for c in self.a.all_cmds():
            ran.add(c.name)
            ran.update(v for v in c.values() if v.endswith("assets:precompile"))
            pi = package_install(c.cmd)
            if pi is not None:
                self.installs.append((c, pi))
        # Tools such as curl that no RUN runs: installed for the container, so they stay in the runtime.
        self.runtime_tools = {
            n
            for _c, pi in self.installs
            for w in pi.packages
            if (n := package_name(w.value)) in RUN_BY_NAME and not RUN_BY_NAME[n] & ran
        }
        for _c, pi in self.installs:
            for w in pi.packages:
                n = package_name(w.value)
                if self._build_only(n):
                    self.build_packages = True
                if is_dev_package(n):
                    self.dev_packages.add(n)

    def _build_only(self, name: str) -> bool:
        """A package only the build needs: compilers, headers, fetchers and toolchains the RUNs use."""
        if name in self.runtime_tools:
            return False
        return name in BUILD_ONLY_PACKAGES or name.endswith(("-dev", "-devel", "-headers"))

    # split point ------------------------------------------------------------------------------

    def _split(self, tc: Toolchain) -> None:
        a = self.a
        split = max(tc.build)
        for i, ins in enumerate(a.ins):
            if ins.cmd == "shell":
                raise NotOffered("a SHELL instruction changes how RUN and CMD are run")
            if ins.error:
                raise NotOffered("the stage has a syntax error")
            if i <= split or ins.cmd != "run" or i in self.removed():
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

    def removed(self) -> frozenset[int]:
        """Stage indexes of the RUNs the split takes out (the front-end build and its Node install)."""
        return frozenset(self.frontend.removed) if self.frontend is not None else frozenset()

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
            for i, dest in a.context_copies(split + 1):
                d = dest.rstrip("/") or "/"
                if any(within(d, r) or within(r, d) for r in roots) or is_private_path(d):
                    continue
                for path, is_dir in self._copied_paths(a.ins[i], d, dest.endswith("/")):
                    if not any(within(path, x.dest) for x in arts):
                        arts.append(Artifact(path, path, is_dir))
        if tc.replay:
            self._replays(tc, before)
        # Executables the runtime configuration starts must exist there.
        runtime_cfg = [x for x in self.moved + self.trailing if id(x) not in drops]
        replaced = {id(ins) for ins, span, _new in tc.rewrites if span == ins.args_span}
        for e in a.entries(runtime_cfg):
            if id(e.ins) not in replaced:  # a rewritten CMD runs what we wrote (java -jar ...)
                self._check_entry(tc, e)
        for i, ins in enumerate(self.trailing, split + 1):
            if ins.cmd == "run" and i not in self.removed():
                self.needs_shell = True
                for c in a.cmds[i]:
                    if c.name in USER_COMMANDS or c.name in OS_INSTALLERS:
                        self.needs_family = a.family or "unknown"
                    if c.name in USER_COMMANDS:
                        self.users_created |= created_names(c)
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
                if not all(BUILD_ENV.match(kv.key.value) for kv in ins.pairs):
                    picked.append((i, ins, src))
            elif cmd == "run":
                line = self._setup_replay(tc, i, ins)
                if line is not None:
                    picked.append((i, ins, line))
        if self._trailing_sets_workdir() and not any(p[1].cmd in ("run", "user") for p in picked):
            # The runtime part sets its own absolute WORKDIR before anything depends on it.
            picked = [p for p in picked if p[1].cmd != "workdir"]
        elif last_abs < 0 and a.default_workdir != "/" and not any(x.cmd == "workdir" for x in before):
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

    def _copied_paths(self, ins: Instruction, dest: str, into_dir: bool) -> list[tuple[str, bool]]:
        """What a context COPY into ``dest`` put there: the files it names (``COPY entrypoint.sh
        /usr/local/bin/`` is ``/usr/local/bin/entrypoint.sh``, not the folder, which holds the image's
        own programs), or the whole folder when a source is a folder or a pattern."""
        sources = [t.value for t in ins.args[:-1]]
        if not (into_dir or len(sources) > 1):
            return [(dest, False)]
        ctx = context_for(self.doc)
        out: list[tuple[str, bool]] = []
        for src in sources:
            name = posixpath.basename(src.rstrip("/"))
            rel = posixpath.normpath(src.lstrip("/"))
            folder = (
                any(ch in src for ch in "*?[$")
                or src.endswith("/")
                or rel == "."
                or (ctx.known and ctx.is_dir(rel))
                or (not ctx.known and "." not in name and dest not in SYSTEM_BIN)
            )
            if folder:
                return [(dest, True)]
            out.append((posixpath.join(dest, name), False))
        return out

    def _trailing_sets_workdir(self) -> bool:
        for ins in self.trailing:
            if ins.cmd == "workdir":
                return ins.args_text.startswith(("/", '"/', "'/"))
            if ins.cmd in ("run", "copy", "add", "user"):
                return False
        return False

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
                self.users_created |= created_names(c)
                self.needs_family = self.a.family or "unknown"
                continue
            if c.name == "cd":
                kept.append(c)
                continue
            if c.name not in FILE_COMMANDS:
                continue
            paths = [c.path(o) for o in operands(c)]
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
            outside = [p for p, k in zip(paths, kinds, strict=True) if k == "outside" and p is not None]
            if outside and all(context_path(self.a, i, p) is not None for p in outside):
                continue  # the build's sources (`chmod +x build.sh`): they stay in the builder
            if outside:
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
                owner = chown_owner(c)
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
        if p in STANDARD_DIRS:
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
            if posixpath.dirname(p) in SYSTEM_BIN:
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
            if posixpath.dirname(art.dest) in SYSTEM_BIN and posixpath.basename(art.dest) == base:
                if base.endswith(".sh"):
                    self.needs_shell = True  # a script: the runtime needs the shell that runs it
                return
        if self._copied_onto_path(base):
            if base.endswith(".sh"):
                self.needs_shell = True
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

    def _copied_onto_path(self, base: str) -> bool:
        """Whether a COPY that stays in the runtime stage puts a program named ``base`` into a PATH
        directory (``COPY docker-entrypoint.sh /usr/local/bin/``)."""
        a = self.a
        for ins, raw, dest in context_copies(a, self.split + 1, len(a.ins)):
            sources = [posixpath.basename(t.value.rstrip("/")) for t in ins.args[:-1]]
            if raw.endswith("/") or len(sources) > 1:
                if dest in SYSTEM_BIN and base in sources:
                    return True
            elif posixpath.dirname(dest) in SYSTEM_BIN and posixpath.basename(dest) == base:
                return True
        return False

    def _choose_runtime(self, tc: Toolchain) -> None:
        a = self.a
        candidates: list[str] = list(self.extra_packages)
        candidates += [p for p in tc.runtime_packages if p not in candidates]
        seen = set(candidates)
        if tc.carry_packages:
            for c, pi in self.installs:
                if c.index > self.split or c.index in self.removed():
                    continue
                for w in pi.packages:
                    n = package_name(w.value)
                    if self._build_only(n) or n.endswith("-doc") or n in tc.build_only_packages:
                        continue
                    if w.value not in seen and "$" not in w.value:
                        seen.add(w.value)
                        candidates.append(w.value)
        shell = self.needs_shell
        family = self.needs_family
        if family == "unknown" or (family is not None and family != a.family):
            raise NotOffered("user or package setup for the runtime needs the builder's package manager")
        for _ in range(4):
            chosen = tc.runtime(shell, family)
            if chosen is None:
                raise NotOffered(tc.no_runtime_reason or f"no runtime image fits the {a.repository} builder")
            rt = through_mirror(chosen, a.image)
            if rt is None:
                # A distroless runtime is not on the builder's Docker Hub mirror: the same release's
                # official image (debian:<codename>-slim, alpine) is, and a shell asks for that one.
                if shell:
                    raise NotOffered(f"{chosen.ref} is not on the Docker Hub mirror the builder comes from")
                shell = True
                continue
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
                wanted |= names_in_owner(ins.args[0].value)
            if ins.cmd in ("copy", "add"):
                f = ins.flag("chown")
                if f is not None and f.value:
                    wanted |= names_in_owner(f.value)
        self.copy_owner = self.owner if tc.replay else None
        if self.copy_owner:
            wanted |= names_in_owner(self.copy_owner)
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
        if stage.name and stage.name.lower() in KEEP_AS_BUILDER:
            self.builder_name = stage.name
            self.runtime_name = None
            return
        for cand in BUILDER_NAMES:
            if cand not in taken:
                self.builder_name = cand
                break
        else:
            raise NotOffered("no free stage name for the builder")
        self.runtime_name = stage.name

    # -- edits ------------------------------------------------------------------------------------

    # -- edits ------------------------------------------------------------------------------------

    def edits(self) -> list[Edit]:
        tc = self.toolchain
        if tc is not None and tc.custom_edits is not None:
            return tc.custom_edits()
        return edits(self)

    def title(self) -> str:
        """What the user gains, from the image table: ``(Go: golang:1.22 ≈ 290 MB → … ≈ 2 MB)``."""
        tc, rt = self.toolchain, self.runtime
        assert tc is not None and rt is not None
        if tc.custom_title:
            return f"{TITLE} ({tc.name}: {tc.custom_title})"
        builder = self.a.image.text
        before = self.a.facts.size_text() if self.a.facts is not None else ""
        after = rt.size_text()
        left = f"{builder} {before}" if before else builder
        if self.build_packages:
            left += " + build packages"
        right = f"{rt.ref} {after}" if after else rt.ref
        if builder == rt.ref and not self.build_packages:
            # The same image: what goes is what the build installed (tools, caches, dev dependencies).
            left, right = builder, f"{rt.ref} without the build tools and caches"
        name = f"{tc.name}, {tc.variant}" if tc.variant else tc.name
        return f"{TITLE} ({name}: {left} → {right})"
