"""Node: npm, yarn and pnpm installs and build scripts; a server keeps production node_modules, a static build is served by nginx."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.parser import Instruction
from ..._toolchains import resolve, shell_words
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain

if TYPE_CHECKING:
    from ..plan import Plan

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


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
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
    static = static_site(plan, build_cmds) if build_cmds else None
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
    leave = leave or any(not entry_uses(plan, pkgs) for _, pkgs in globals_)
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
    tc.header = npm_globals(plan, globals_)
    return tc


def static_site(plan: Plan, build_cmds: list[Cmd]) -> Toolchain | None:
    """A Node build whose output ``serve``/``http-server`` serves: nginx serves it instead."""
    a = plan.a
    serve_ins: Instruction | None = None
    for ins in plan.runtime_side():
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
    for ins in plan.runtime_side():
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
            plan.kw("copy") + "<<'EOF' /etc/nginx/conf.d/default.conf",
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


def entry_uses(plan: Plan, pkgs: list[str]) -> bool:
    names = {posixpath.basename(e.exe) for e in plan.a.entries(plan.runtime_side())}
    return any(n == npm_bin_name(p) or n.startswith(npm_bin_name(p) + "-") for p in pkgs for n in names)



def npm_globals(plan: Plan, globals_: list[tuple[Cmd, list[str]]]) -> list[str]:
    """Global npm packages the runtime configuration runs (pm2, serve ...) are installed again."""
    names = {posixpath.basename(e.exe) for e in plan.a.entries(plan.runtime_side())}
    out: list[str] = []
    for _c, pkgs in globals_:
        keep = [
            p
            for p in pkgs
            if any(n == npm_bin_name(p) or n.startswith(npm_bin_name(p) + "-") for n in names)
        ]
        if keep:
            out.append(plan.kw("run") + "npm install -g " + " ".join(keep))
            plan.provided_by_globals.update(npm_bin_name(p) for p in keep)
    return out

# -- the decision ----------------------------------------------------------------------------


def npm_bin_name(spec: str) -> str:
    name = spec
    if name.startswith("@"):
        name = name.split("/", 1)[-1]
    return re.split(r"@", name, maxsplit=1)[0]


