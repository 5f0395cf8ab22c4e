"""Node: npm, yarn and pnpm installs and build scripts; a server keeps production node_modules, a static build is served by nginx."""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.parser import Instruction
from ....engine.shell import command_words, script_words
from ..._toolchains import package_name, resolve
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain, builder_path
from ..context import RUNTIME_DIRS, BuildContext, context_for

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
    corepack = False
    berry: str | None = None  # `yarn set version <x>`
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
            elif sub == "set" and vals[1:2] == ["version"]:
                berry = vals[2] if len(vals) > 2 else None
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
            corepack = True  # the package manager comes from package.json's "packageManager"
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
    ctx = context_for(a.doc)
    package = _package_json(a, ctx)
    _refuse_dev_image(a, plan, package)
    static = static_site(plan, build_cmds) if build_cmds else None
    if static is not None:
        return static
    standalone = _next_standalone(a, plan, ctx, package, build_cmds, installs)
    if standalone is not None:
        return standalone
    wd = a.final.workdir
    if wd is None or wd == "/":
        raise NotOffered("the Node app has no WORKDIR to copy")
    indexes = [c.index for c, _, _ in installs] + [c.index for c in build_cmds]
    tail: list[str] = []
    pnp: list[Artifact] | None = None  # Yarn Plug'n'Play: what the runtime needs instead of node_modules
    dev_installs = [(c, m) for c, m, dev in installs if dev]
    if dev_installs:
        c, manager = dev_installs[-1]
        if c.cwd != wd:
            raise NotOffered("the dependencies are installed outside the WORKDIR")
        if manager == "npm":
            prune = "npm prune --production" if major is not None and major <= 14 else "npm prune --omit=dev"
        elif manager == "yarn":
            yarn = _yarn_major(package, berry, corepack, ctx)
            if yarn is None:
                raise NotOffered("corepack picks the Yarn version and package.json does not say which")
            if yarn >= 2 and not re.search(r"^nodeLinker:\s*['\"]?node-modules", ctx.read(".yarnrc.yml") or "", re.M):
                pnp = _pnp_files(a, plan, ctx, c, wd, yarn)
            if yarn >= 4:
                prune = "yarn workspaces focus --all --production"
            elif yarn >= 2:
                raise NotOffered("Yarn 2/3 needs the workspace-tools plugin for a production-only install")
            else:
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
    if not leave or (node_env_prod and not dev_installs and not build_cmds and (tag.slim or tag.alpine is not None)):
        raise NotOffered(
            "nothing to leave behind: production-only install on a slim image, no build step"
            + _cache_hint(a, [c for c, _, _ in installs])
        )
    rt = rti.node_runtime(tag)
    if rt is None:
        raise NotOffered(f"no slim variant of node:{tag.tag}")
    tc = Toolchain(
        "Node server",
        indexes,
        _server_files(a, plan, ctx, package, wd, bool(build_cmds), pnp),
        lambda s, f: rti.node_runtime(tag),
        tools=rt.tools,
        builder_tail=tail,
        copy_context_dirs=[wd],
    )
    tc.header = npm_globals(plan, globals_)
    tc.build_only_packages = _node_gyp_packages(plan)
    return tc


# What node-gyp needs to compile native addons: a compiler, make and Python, which runs gyp.
_COMPILERS = frozenset(("build-essential", "build-base", "g++", "gcc", "make", "clang"))


def _node_gyp_packages(plan: Plan) -> frozenset[str]:
    """Python installed beside a compiler in a Node image is node-gyp's (it runs gyp when an addon
    compiles during the install), so the runtime needs it no more than the compiler. A CMD that runs
    python still gets it (the runtime configuration's programs are installed again)."""
    names = {package_name(w.value) for _c, pi in plan.installs for w in pi.packages}
    if not names & _COMPILERS:
        return frozenset()
    return frozenset(n for n in names if re.fullmatch(r"python3?(-minimal|-dev)?|py3-pip|python-is-python3", n))


def _cache_hint(a: Analysis, installs: list[Cmd]) -> str:
    """What still makes such an image bigger than it needs to be: npm's download cache (~/.npm), which
    the install leaves unless it cleans it or keeps it in a cache mount."""
    cleaned = any(c.name == "npm" and c.values()[:2] == ["cache", "clean"] for c in a.all_cmds())
    mounted = any(a.ins[c.index].flag("mount") is not None for c in installs)
    if cleaned or mounted or not any(c.name == "npm" for c in installs):
        return ""
    return (
        "; npm's download cache stays in ~/.npm: `npm cache clean --force` in the install's RUN, or a cache "
        "mount (refactor.rewrite.cacheMounts), leaves it out"
    )


_DEV_SCRIPTS = re.compile(
    r"\b(nodemon|ts-node-dev|tsx watch|next dev|nuxt dev|vite(?!\s+(build|preview))|ng serve|react-scripts start|"
    r"webpack(-dev-server| serve)|vue-cli-service serve|gatsby develop|astro dev|remix dev|parcel(?!\s+build))\b"
)
_OUTPUT_DIRS = ("dist", "build", "out", "lib", ".output", "server")


def _package_json(a: Analysis, ctx: BuildContext) -> dict[str, object]:
    """package.json of the app (the context's, at the root), or {} when unknown."""
    text = ctx.read("package.json") if ctx.known else None
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _scripts(package: dict[str, object]) -> dict[str, str]:
    scripts = package.get("scripts")
    return {str(k): str(v) for k, v in scripts.items()} if isinstance(scripts, dict) else {}


def _start_words(plan: Plan) -> list[str]:
    for ins in plan.runtime_side():
        if ins.cmd in ("cmd", "entrypoint") and ins.args:
            return command_words(ins)
    return []


def _script_of(words: list[str], scripts: dict[str, str]) -> str | None:
    """The package.json script ``npm start`` / ``yarn dev`` / ``pnpm run x`` runs."""
    if not words or words[0] not in ("npm", "yarn", "pnpm"):
        return None
    rest = [w for w in words[1:] if not w.startswith("-")]
    if rest[:1] in (["run"], ["run-script"]):
        rest = rest[1:]
    name = rest[0] if rest else ("start" if words[0] != "yarn" else None)
    return scripts.get(name) if name else None


def _refuse_dev_image(a: Analysis, plan: Plan, package: dict[str, object]) -> None:
    """A development image (a dev server, NODE_ENV=development) has no production artifact to ship."""
    if (a.final.env.get("NODE_ENV") or "") == "development":
        raise NotOffered("NODE_ENV=development: a development image, nothing to ship")
    words = _start_words(plan)
    line = " ".join(words)
    script = _script_of(words, _scripts(package))
    for text in (line, script or ""):
        m = _DEV_SCRIPTS.search(text)
        if m:
            raise NotOffered(f"the CMD runs a dev server ({m.group(0)}): a development image, nothing to ship")
    if words[:1] in (["npm"], ["yarn"], ["pnpm"]) and "dev" in words[1:3]:
        raise NotOffered("the CMD runs the dev script: a development image, nothing to ship")


def _server_files(
    a: Analysis,
    plan: Plan,
    ctx: BuildContext,
    package: dict[str, object],
    wd: str,
    built: bool,
    pnp: list[Artifact] | None = None,
) -> list[Artifact]:
    """What a Node server's runtime needs: package.json, production node_modules (Plug'n'Play's files
    instead with Yarn Berry) and the build output, plus the folders it reads at run time; the whole
    WORKDIR when the entry is not a build output."""
    outside = [x for x in pnp or [] if not x.src.startswith(wd + "/")]  # Yarn's global cache
    whole = [Artifact(wd, wd, True), *outside]
    if not built or not ctx.known:
        return whole
    words = _start_words(plan)
    script = _script_of(words, _scripts(package))
    if script is not None:
        words = script_words(script)
    if words[:2] == ["yarn", "node"]:
        words = words[1:]  # Yarn Berry's node with Plug'n'Play set up
    if not words or posixpath.basename(words[0]) != "node":
        return whole
    files: list[str] = []
    skip = False
    for w in words[1:]:
        if skip:
            skip = False
        elif w in ("-r", "--require", "--loader", "--experimental-loader", "--import"):
            skip = True  # its value is a preload (./.pnp.cjs), not the program
        elif not w.startswith("-"):
            files.append(w)
    if not files:
        return whole
    top = posixpath.normpath(files[0]).split("/", 1)[0]
    out_dir = _ts_out_dir(ctx)
    if top not in (*_OUTPUT_DIRS, out_dir) or (ctx.is_dir(top) and not ctx.ignored(top) and top != out_dir):
        return whole  # the entry is a source file (or the output is committed): keep everything
    keep = [Artifact(posixpath.join(wd, "package.json"), posixpath.join(wd, "package.json"))]
    if pnp is not None:
        keep += pnp
    else:
        keep.append(Artifact(posixpath.join(wd, "node_modules"), posixpath.join(wd, "node_modules"), True))
    keep.append(Artifact(posixpath.join(wd, top), posixpath.join(wd, top), True))
    for d in ctx.top_dirs():
        if d in RUNTIME_DIRS and not ctx.ignored(d) and builder_path(a, len(a.ins), d, True) == posixpath.join(wd, d):
            keep.append(Artifact(posixpath.join(wd, d), posixpath.join(wd, d), True))
    return keep


def _next_standalone(
    a: Analysis,
    plan: Plan,
    ctx: BuildContext,
    package: dict[str, object],
    build_cmds: list[Cmd],
    installs: list[tuple[Cmd, str, bool]],
) -> Toolchain | None:
    """Next.js with ``output: 'standalone'``: the runtime gets ``.next/standalone`` (its own trimmed
    node_modules and server.js), ``.next/static`` and ``public``, and runs ``node server.js``."""
    if not build_cmds or not ctx.known:
        return None
    config = next((ctx.read(f) for f in ("next.config.js", "next.config.mjs", "next.config.ts") if ctx.exists(f)), None)
    if config is None or not re.search(r"output\s*:\s*['\"]standalone['\"]", config):
        return None
    scripts = _scripts(package)
    if not any("next build" in (_script_of([c.name, *c.values()], scripts) or " ".join([c.name, *c.values()])) for c in build_cmds):
        return None
    wd = a.final.workdir
    if wd is None or wd == "/":
        raise NotOffered("the Next.js app has no WORKDIR to copy")
    words = _start_words(plan)
    start = _script_of(words, scripts) or " ".join(words)
    cmd = next((ins for ins in plan.runtime_side() if ins.cmd == "cmd"), None)
    if cmd is None or not re.search(r"\bnext start\b|\bserver\.js\b", start):
        raise NotOffered("the CMD does not start the Next.js server")
    arts = [
        Artifact(posixpath.join(wd, ".next/standalone"), wd, True),
        Artifact(posixpath.join(wd, ".next/static"), posixpath.join(wd, ".next/static"), True),
    ]
    if ctx.is_dir("public"):
        arts.append(Artifact(posixpath.join(wd, "public"), posixpath.join(wd, "public"), True))
    rt = rti.node_runtime(a.tag)
    if rt is None:
        raise NotOffered(f"no slim variant of node:{a.tag.tag}")
    tag = a.tag
    tc = Toolchain(
        "Next.js standalone",
        sorted({c.index for c, _, _ in installs} | {c.index for c in build_cmds}),
        arts,
        lambda s, f: rti.node_runtime(tag),
        tools=rt.tools,
        copy_context_dirs=[wd],
    )
    new = '["node", "server.js"]' if cmd.json else "node server.js"
    tc.rewrites.append((cmd, cmd.args_span, new))
    return tc


def _pnp_files(a: Analysis, plan: Plan, ctx: BuildContext, install: Cmd, wd: str, yarn: int) -> list[Artifact]:
    """What Yarn Plug'n'Play needs at run time, in place of node_modules: ``.pnp.cjs`` (and
    ``.pnp.loader.mjs`` for ESM) that map every import to a zip, the zips (``.yarn/cache``, or Yarn's
    global cache when ``enableGlobalCache`` is on: Yarn 4's default), ``.yarn/unplugged`` (packages with
    install scripts), and ``.yarnrc.yml`` with ``yarnPath`` for a ``yarn`` the CMD runs."""
    rc = ctx.read(".yarnrc.yml") or ""
    if re.search(r"^nodeLinker:\s*['\"]?pnpm", rc, re.M):
        raise NotOffered("Yarn's pnpm linker keeps dependencies in a content store: not supported")
    if re.search(r"^(pnpMode|pnpUnpluggedFolder|cacheFolder|globalFolder|virtualFolder):", rc, re.M):
        raise NotOffered(".yarnrc.yml moves Plug'n'Play's files: not supported")
    if install.cwd != wd:
        raise NotOffered("Yarn installs outside the WORKDIR")
    runs_yarn = any(posixpath.basename(e.exe) == "yarn" for e in a.entries(plan.runtime_side()))
    if runs_yarn and not re.search(r"^yarnPath:", rc, re.M):
        raise NotOffered("the CMD runs yarn, which corepack would have to download again in the runtime (set yarnPath)")
    j = posixpath.join
    files = [Artifact(j(wd, "yarn.lock"), j(wd, "yarn.lock"))]
    if ctx.exists(".yarnrc.yml") or not ctx.known:  # (unknown context: `yarn set version` wrote one)
        files.append(Artifact(j(wd, ".yarnrc.yml"), j(wd, ".yarnrc.yml")))
    files += [
        # .pnp.cjs always, .pnp.loader.mjs when the project has ESM: a wildcard takes what is there.
        Artifact(j(wd, ".pnp.*"), wd + "/"),
        Artifact(j(wd, ".yarn"), j(wd, ".yarn"), True),
    ]
    global_cache = re.search(r"^enableGlobalCache:\s*(\S+)", rc, re.M)
    if (global_cache.group(1).strip("'\"") == "true") if global_cache else yarn >= 4:
        home = install.env.get("HOME") or "/root"
        folder = install.env.get("YARN_GLOBAL_FOLDER") or j(home, ".yarn/berry")
        if "$" in folder:
            raise NotOffered("cannot tell where Yarn's global cache is")
        files.append(Artifact(j(folder, "cache"), j(folder, "cache"), True))
    return files


def _yarn_major(
    package: dict[str, object], berry: str | None, corepack: bool, ctx: BuildContext | None = None
) -> int | None:
    """Yarn's major version: ``yarn set version``, else package.json's packageManager, else the release
    ``.yarnrc.yml``'s yarnPath names, else 1 (the one the node images ship) unless corepack is enabled
    and nothing says."""
    m = re.search(r"^yarnPath:\s*['\"]?\S*yarn-(\d+)\.[\w.-]*\.c?js", (ctx.read(".yarnrc.yml") or "") if ctx else "", re.M)
    if berry is None and m is not None:
        return int(m.group(1))
    if berry is not None:
        m = re.match(r"(\d+)", berry)
        return int(m.group(1)) if m else (4 if berry in ("stable", "berry", "latest", "canary") else None)
    pm = package.get("packageManager")
    if isinstance(pm, str) and pm.startswith("yarn@"):
        m = re.match(r"yarn@(\d+)", pm)
        return int(m.group(1)) if m else None
    return None if corepack else 1


def _ts_out_dir(ctx: BuildContext) -> str | None:
    text = ctx.read("tsconfig.json")
    if not text:
        return None
    m = re.search(r'"outDir"\s*:\s*"\.?/?([^"/]+)', text)
    return m.group(1) if m else None


def static_site(plan: Plan, build_cmds: list[Cmd]) -> Toolchain | None:
    """A Node build whose output ``serve``/``http-server`` serves: nginx serves it instead."""
    a = plan.a
    serve_ins: Instruction | None = None
    for ins in plan.runtime_side():
        if ins.cmd not in ("cmd", "entrypoint"):
            continue
        words = command_words(ins)
        if words[:1] == ["npx"]:
            words = [w for w in words[1:] if w not in ("-y", "--yes")]
        if words and posixpath.basename(words[0]) in _STATIC_SERVERS:
            serve_ins = ins
            break
    if serve_ins is None:
        return None
    words = command_words(serve_ins)
    if words[0] == "npx":
        words = [w for w in words[1:] if w not in ("-y", "--yes")]
    server = posixpath.basename(words[0])
    single = False
    port = "3000" if server == "serve" else "8080"
    directory: str | None = None
    i = 1
    while i < len(words):
        w = words[i]
        if w in ("-s", "--single") and server == "serve":
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
        lambda s, f: rti.nginx_runtime(plan.a.tag),
        tools=rti.nginx_runtime(plan.a.tag).tools,
        native=False,
        replay=False,
        carry_packages=False,
    )
    tc.drops.append(serve_ins)
    exposed = False
    for ins in plan.runtime_side():
        if ins.cmd == "healthcheck":
            raise NotOffered("a HEALTHCHECK probes the Node server that nginx replaces")
        if ins.cmd == "entrypoint" and ins is not serve_ins:
            raise NotOffered("an ENTRYPOINT wraps the static server")
        if ins.cmd == "cmd" and ins is not serve_ins:
            tc.drops.append(ins)
        if ins.cmd == "expose" and any(t.value.split("/")[0] == port for t in ins.args):
            exposed = True
    # nginx answers where the Node server did: the same port, the same URLs (serve maps /about to
    # about.html; -s sends unknown paths to index.html).
    if server == "serve":
        fallback = "/index.html" if single else "=404"
        try_files = f"try_files $uri $uri.html $uri/ {fallback};"
    else:
        try_files = "try_files $uri $uri/ =404;"
    conf = ["server {", f"    listen {port};", "    root /usr/share/nginx/html;", "    location / {",
            f"        {try_files}", "    }", "}"]
    doc = plan.doc
    if any(ins.heredocs for ins in doc.instructions) or "syntax" in {d.name.lower() for d in doc.parsed.directives}:
        tc.footer = [plan.kw("copy") + "<<'EOF' /etc/nginx/conf.d/default.conf", *conf, "EOF"]
    else:
        esc = doc.escape
        lead = plan.indent + " " * 8
        tc.footer = [plan.kw("run") + f"printf '%s\\n' {esc}"]
        tc.footer += [f"{lead}'{line}' {esc}" for line in conf[:-1]]
        tc.footer.append(f"{lead}'{conf[-1]}' > /etc/nginx/conf.d/default.conf")
    if not exposed:
        tc.footer.append(plan.indent + plan.kw("expose") + port)
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


