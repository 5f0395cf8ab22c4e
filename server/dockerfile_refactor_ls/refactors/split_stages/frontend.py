"""Full-stack images: a Node front-end build inside a back-end's toolchain image (Python, Go).

The guides' full-stack example builds the front end in a ``node`` stage of its own and copies only its
output: the back end's image needs neither Node, npm nor ``node_modules``. Recognised here:

- Node comes from the distribution (``apt-get install nodejs npm``) in a RUN that installs nothing
  else; that RUN goes. The front-end stage needs the Node version that distribution release packages,
  so the builder's tag must name a Debian release (``-bookworm``); Alpine's is not mapped;
- the front-end build is one or more RUNs made only of ``cd`` and npm/yarn/pnpm commands (an install
  and a ``build`` script) in one folder ``F`` that a COPY brought from the build context; those RUNs
  move to a ``frontend`` stage on the ``node`` image of the Node version the distribution ships, which
  copies ``F`` from the context and runs the same commands;
- the build writes to ``F/dist`` or ``F/build`` (Vite, webpack, Parcel, Rollup, esbuild, Angular write
  ``dist``, Create React App ``build``; Vite's ``outDir`` is read from its config).

Where the output goes: a Go program that embeds it (``//go:embed``) needs it before ``go build``, so
it is copied into the builder; otherwise it is read from disk at run time and copied into the runtime
stage. Anything else (a RUN mixing the front-end build with other work, variables in it, an output folder
we cannot tell) leaves the file to the back end's own split, which keeps the front end's output too.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._toolchains import command_text, package_install, package_name, within
from .analysis import Analysis, Cmd, source_copies
from .context import BuildContext, context_for

if TYPE_CHECKING:
    from .plan import Plan

STAGE_NAME = "frontend"
_NODE_PACKAGES = frozenset(("nodejs", "npm", "yarnpkg", "node-gyp"))
_PACKAGE_MANAGERS = frozenset(("npm", "yarn", "pnpm", "npx"))
_APT_HOUSEKEEPING = frozenset(("rm", "apt-get", "apt", "apk", "true"))
# The Node major version each distribution release packages (the node image of that version has the
# same npm behaviour the original build had).
_DEBIAN_NODE = {"bookworm": "18", "trixie": "20", "bullseye": "12"}
_OUTPUT_BY_TOOL = (("react-scripts", "build"), ("vite", "dist"), ("webpack", "dist"), ("parcel", "dist"),
                   ("rollup", "dist"), ("esbuild", "dist"), ("ng ", "dist"), ("vue-cli-service", "dist"))


@dataclass(slots=True)
class Frontend:
    """The front-end build found in the last stage, and what the split does with it."""

    folder: str  # F: where the build runs in the image (absolute)
    context_dir: str  # where F comes from in the build context ("frontend", "." ...)
    output: str  # the build's output folder in the image (absolute)
    commands: list[str]  # the npm/yarn/pnpm commands, verbatim, in order
    node_image: str  # node:<major>-<codename>
    removed: list[int] = field(default_factory=list)  # stage indexes of the RUNs that go
    last_build: int = -1  # the stage index of the last front-end build RUN
    into_builder_before: int | None = None  # copy the output into the builder before this instruction


def find(plan: Plan) -> Frontend | None:
    """The front-end build of a Python or Go last stage, or None when there is none we can move."""
    a = plan.a
    if plan.toolchain_name not in ("python", "go"):
        return None
    node_installs: list[int] = []
    for i, cmds in enumerate(a.cmds):
        if cmds and _installs_only_node(cmds):
            node_installs.append(i)
    if not node_installs:
        return None
    build_runs: list[int] = []
    folder: str | None = None
    commands: list[str] = []
    for i, cmds in enumerate(a.cmds):
        names = {c.name for c in cmds}
        if not cmds or not names & _PACKAGE_MANAGERS:
            continue
        if i < node_installs[0]:
            return None
        if not names <= _PACKAGE_MANAGERS | {"cd"} or any(c.cmd.assignments or c.cmd.wrappers for c in cmds):
            return None  # the front-end build shares the RUN with other work
        for c in cmds:
            if c.name == "cd":
                continue
            if c.cwd is None or (folder is not None and c.cwd != folder) or "$" in command_text(a.doc.text, c.cmd, a.doc.escape):
                return None
            folder = c.cwd
            commands.append(command_text(a.doc.text, c.cmd, a.doc.escape))
        build_runs.append(i)
    if folder is None or not any(_is_build(c) for c in commands) or folder in ("/", a.final.workdir):
        return None  # the front end is the whole WORKDIR: not a separate front end
    ctx = context_for(a.doc)
    context_dir = _context_dir(a, min(build_runs), folder)
    if context_dir is None or not ctx.known or not ctx.exists(posixpath.join(context_dir, "package.json")):
        return None
    output = _output_dir(ctx, context_dir, folder)
    node = _node_image(a)
    if output is None or node is None:
        return None
    fe = Frontend(folder, context_dir, output, commands, node, sorted(node_installs + build_runs), max(build_runs))
    if plan.toolchain_name == "go" and _go_embeds(ctx):
        later = [i for i, cmds in enumerate(a.cmds) if i > max(build_runs) and any(c.name == "go" for c in cmds)]
        if not later:
            return None
        fe.into_builder_before = later[0]
    return fe


def _installs_only_node(cmds: list[Cmd]) -> bool:
    found = False
    for c in cmds:
        pi = package_install(c.cmd)
        if pi is not None:
            pkgs = {package_name(w.value) for w in pi.packages}
            if pkgs and not pkgs <= _NODE_PACKAGES:
                return False
            found = found or bool(pkgs)
        elif c.name not in _APT_HOUSEKEEPING:
            return False
    return found


def _is_build(command: str) -> bool:
    return bool(re.search(r"^(npm|pnpm) run(-script)? build\b|^yarn (run )?build\b|^npx \S+ build\b", command))


def _context_dir(a: Analysis, upto: int, folder: str) -> str | None:
    """The build-context folder the COPYs before ``upto`` bring to ``folder`` (the last one wins)."""
    found: str | None = None
    for src, dest, into_dir in source_copies(a, upto):
        if src == "." and within(folder, dest):
            rel = posixpath.relpath(folder, dest)
            found = "." if rel == "." else rel
        elif into_dir is False and folder == dest and "." not in posixpath.basename(src):
            found = src  # COPY frontend /app/frontend
        elif within(folder, dest) and src != ".":
            rel = posixpath.relpath(folder, dest)
            found = src if rel == "." else None
    return found


def _output_dir(ctx: BuildContext, context_dir: str, folder: str) -> str | None:
    text = ctx.read(posixpath.join(context_dir, "package.json")) or ""
    try:
        package = json.loads(text)
    except ValueError:
        return None
    scripts = package.get("scripts") if isinstance(package, dict) else None
    build = str(scripts.get("build", "")) if isinstance(scripts, dict) else ""
    for name in ("vite.config.js", "vite.config.mjs", "vite.config.ts"):
        config = ctx.read(posixpath.join(context_dir, name))
        if config is not None:
            m = re.search(r"outDir\s*:\s*['\"]([^'\"]+)['\"]", config)
            return posixpath.normpath(posixpath.join(folder, m.group(1) if m else "dist"))
    m = re.search(r"--out-?[dD]ir[= ](\S+)", build)
    if m:
        return posixpath.normpath(posixpath.join(folder, m.group(1)))
    for tool, out in _OUTPUT_BY_TOOL:
        if tool in build + " ":
            return posixpath.join(folder, out)
    return None


def _node_image(a: Analysis) -> str | None:
    """The node image of the Node version the builder's distribution packages."""
    codename = a.tag.codename  # an untagged release (python:3.11) moves on: the Node version is unknown
    if a.tag.alpine is not None or codename is None or codename not in _DEBIAN_NODE:
        return None
    return f"node:{_DEBIAN_NODE[codename]}-{codename}"


def _go_embeds(ctx: BuildContext) -> bool:
    return any("//go:embed" in (ctx.read(f) or "") for f in ctx.with_suffix(".go"))


def stage_lines(plan: Plan, fe: Frontend) -> list[str]:
    """The ``frontend`` stage, before the back end's stage."""
    src = fe.context_dir.rstrip("/") + "/" if fe.context_dir != "." else "."
    return [
        # Through the Docker Hub mirror the back end's builder comes from, if it comes through one.
        plan.kw("from") + plan.a.image.official_image(fe.node_image) + (" as " if plan.lower else " AS ") + STAGE_NAME,
        plan.kw("workdir") + fe.folder,
        plan.kw("copy") + f"{src} ./",
        plan.kw("run") + " && ".join(fe.commands),
    ]


def copy_line(plan: Plan, fe: Frontend) -> str:
    return plan.kw("copy") + f"--from={STAGE_NAME} {fe.output} {fe.output}"
