"""Python: pip, Poetry, uv, Pipenv and PDM into a virtualenv copied into a slim runtime of the same
Python version. A project built into a wheel (hatch/hatchling, ``python -m build``, ``pip wheel``,
``pdm build``) and installed from it, not in editable mode, needs only the virtualenv at run time: the
runtime copies that and the folders the program reads (``templates/``, ``static/``...), not the source
tree."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.images import ImageTag, parse_tag
from ....engine.shell import command_words
from ....engine.text import Span
from ..._toolchains import HARMLESS_DEV_PACKAGES, within
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain, builder_path
from ..context import RUNTIME_DIRS, SKIPPED_DIRS, context_for
from .c import dev_package_libraries, runtime_library_packages

if TYPE_CHECKING:
    from ..plan import Plan

_PIP_TOOLING = re.compile(
    r"^(pip|setuptools|wheel|poetry|poetry-core|virtualenv|pipenv|uv|pdm|pdm-backend|hatch|hatchling|build)"
    r"([<>=!~\[].*)?$",
    re.I,
)
# Project managers installed beside the app: a CMD that runs one needs it in the runtime, where the
# split does not put it (it lives in the builder's system site-packages).
_PROJECT_MANAGERS = frozenset(("pdm", "hatch", "poetry", "pipenv", "uv"))
# Top-level context entries a wheel-installed project does not read at run time.
_BUILD_ONLY_FILES = re.compile(
    r"^(pyproject\.toml|setup\.(py|cfg)|MANIFEST\.in|requirements[\w.-]*\.(txt|in)|[\w.-]*\.lock|pdm\.toml|"
    r"\.pdm-python|hatch\.toml|tox\.ini|noxfile\.py|Makefile|(README|LICEN[SC]E|CHANGELOG|CHANGES|NOTICE|"
    r"AUTHORS|CONTRIBUTING)([\w.-]*)|(\w+\.)?Dockerfile|Dockerfile[\w.-]*|[\w.-]*\.dockerignore|\.[\w.-]+)$",
    re.I,
)
_SOURCE_ONLY_DIRS = frozenset(("src", "tests", "test", "docs", "doc", "dist", "build"))


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


_OFF = ("", "0", "false", "no", "off")


def _uv_cache(c: Cmd) -> bool:
    return not c.cmd.has_flag("no-cache", "n") and (c.env.get("UV_NO_CACHE") or "").lower() in _OFF


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository != "python" and (a.facts is None or a.facts.toolchain != "python"):
        return None
    app_installs: list[Cmd] = []
    builds: list[Cmd] = []  # wheel builds (hatch build, python -m build, pip wheel, pdm build, uv build)
    packaged = False  # the project itself is installed from a wheel, not as source
    editable = False  # ... or in editable mode / not at all by a manager that normally installs it
    cache = False
    venv: str | None = None
    user_install = False  # pip install --user: into the user's site (~/.local)
    for c in a.all_cmds():
        if c.name == "pdm":
            sub = a.subcommand(c, ("p", "project", "G", "group", "L", "lockfile"))
            if sub in ("install", "sync"):
                venv = _pdm_venv(c, venv)
                app_installs.append(c)
                cache = True  # PDM keeps its wheel cache under ~/.cache/pdm
                if c.cmd.has_flag("no-self"):
                    editable = True  # the project is not installed: it runs from the source tree
                elif c.cmd.has_flag("no-editable") or (c.env.get("PDM_NO_EDITABLE") or "").lower() not in _OFF:
                    packaged = True
                else:
                    editable = True
            elif sub in ("use", "venv"):
                raise NotOffered(f"pdm {sub} picks the interpreter: the runtime's Python may differ")
            elif sub == "config":
                vals = c.values()
                if any(k in vals for k in ("venv.in_project", "python.use_venv", "venv.location")):
                    raise NotOffered("pdm config moves the environment out of <project>/.venv")
            elif sub == "build":
                builds.append(c)
            continue
        if c.name == "hatch":
            sub = a.subcommand(c, ("e", "env", "p", "project", "data-dir", "cache-dir", "config"))
            if sub == "build":
                builds.append(c)
            elif sub in ("run", "env", "shell", "test", "python"):
                raise NotOffered(f"hatch {sub} uses Hatch's own environments under its data directory")
            continue
        if re.fullmatch(r"python(3(\.\d+)?)?", c.name) and c.values()[:2] == ["-m", "build"]:
            builds.append(c)
            continue
        if re.fullmatch(r"pip(3(\.\d+)?)?", c.name) and c.values()[:1] == ["wheel"]:
            builds.append(c)
            continue
        sub = a.subcommand(c, ("directory", "project", "python", "p", "cache-dir")) if c.name == "uv" else None
        if c.name == "uv" and sub == "sync":
            # uv sync: the project's environment, <project>/.venv unless UV_PROJECT_ENVIRONMENT says.
            if c.cmd.flag_values(long="python") or c.cmd.flag_values("p") or c.env.get("UV_PYTHON"):
                raise NotOffered("uv sync picks its own Python: the runtime's interpreter may differ")
            proj = c.cmd.flag_values(long="project") or c.cmd.flag_values(long="directory")
            root = c.path(proj[0]) if proj else c.cwd
            target = c.env.get("UV_PROJECT_ENVIRONMENT")
            venv = c.path(target) if target and root else (posixpath.join(root, ".venv") if root else None)
            if venv is None:
                raise NotOffered("cannot tell where uv sync puts the environment")
            app_installs.append(c)
            cache = cache or _uv_cache(c)
            if c.cmd.has_flag("no-editable") and not c.cmd.has_flag("no-install-project"):
                packaged = True
            else:
                editable = True
            continue
        if c.name == "uv" and sub == "build":
            builds.append(c)
            continue
        if c.name == "uv" and sub == "venv":
            rest = [w.value for w in c.cmd.positional(("python", "p", "prompt", "seed"))][1:]
            venv = c.path(rest[0] if rest else ".venv")
            continue
        if c.name == "uv" and sub == "pip":
            vals = c.values()
            k = vals.index("pip")
            if vals[k + 1 : k + 2] == ["install"]:
                if "--target" in vals or "--prefix" in vals or any(v.startswith(("--target=", "--prefix=")) for v in vals):
                    raise NotOffered("uv pip installs into a custom location (--target/--prefix)")
                app_installs.append(c)
                cache = cache or _uv_cache(c)
            continue
        if c.name == "pipenv" and a.subcommand(c) in ("install", "sync"):
            in_project = (c.env.get("PIPENV_VENV_IN_PROJECT") or "").lower() not in _OFF
            if c.cmd.has_flag("system"):
                app_installs.append(c)  # into the Python first on PATH: the virtualenv created before it
            elif in_project and c.cwd:
                venv = posixpath.join(c.cwd, ".venv")
                app_installs.append(c)
            else:
                raise NotOffered("pipenv keeps its virtualenv under ~/.local/share/virtualenvs (set PIPENV_VENV_IN_PROJECT=1)")
            cache = True
            continue
        args = _pip_install(a, c)
        if args is not None:
            if any(
                x in ("--target", "-t", "--prefix", "--root") or x.startswith(("--target=", "--prefix=", "--root="))
                for x in args
            ):
                raise NotOffered("pip installs into a custom location (--target/--prefix/--root)")
            user_install = user_install or "--user" in args
            pkgs = [x for x in args if not x.startswith("-")]
            # A project manager with its plugins or pins (`pip install poetry poetry-plugin-export`) is
            # tooling, not the app.
            if (
                "-r" in args
                or "-e" in args
                or any(x.startswith(("-r", "--requirement", "-e", "--editable")) for x in args)
                or any(not _PIP_TOOLING.match(p) for p in pkgs)
            ) and not any(_package(p) in _PROJECT_MANAGERS for p in pkgs):
                app_installs.append(c)
                if any(x in ("-e", "--editable") or x.startswith(("-e", "--editable")) for x in args):
                    editable = True
                elif any(p.endswith((".whl", "/*")) or p in (".", "./") for p in pkgs) or (
                    "--no-index" in args and any(x in ("-f", "--find-links") or x.startswith("--find-links=") for x in args)
                ):
                    packaged = True
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
            editable = True  # Poetry installs the root package in editable mode (or not at all)
            cache = True
        elif c.name in ("conda", "mamba", "micromamba"):
            raise NotOffered(f"{c.name} manages the environment; pip, uv, Poetry, Pipenv and PDM are supported")
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
    for e in a.entries(plan.runtime_side()):
        if posixpath.basename(e.exe) in _PROJECT_MANAGERS:
            raise NotOffered(
                f"the CMD runs {posixpath.basename(e.exe)}, which is installed beside the Python, not in the "
                "environment the runtime gets"
            )
    wd = a.final.workdir
    if wd is None or wd == "/":
        raise NotOffered("the Python app has no WORKDIR to copy")
    first = app_installs[0]
    artifacts: list[Artifact] = []
    inserts: list[tuple[int, list[str]]] = []
    header: list[str] = []
    builder_edits: list[tuple[Span, str]] = []
    runtime_dirs = _packaged_runtime_dirs(a, plan, wd) if packaged and not editable else None
    as_user = a.states[first.index].user not in (None, "root", "0")
    if venv is None and (user_install or as_user):
        # pip's user scheme (--user, or any install by a user who cannot write the system site-packages,
        # where pip falls back to it): the packages and their scripts under ~/.local, which the runtime
        # copies to the same place, for the same user.
        if not all(_pip_install(a, c) is not None for c in app_installs):
            raise NotOffered("dependencies are installed as a non-root user without a virtualenv")
        site = _user_site(a, first)
        if site is None:
            raise NotOffered(
                "pip installs into the user's home (~/.local) and where that home is is unknown: create the user "
                "with a home (useradd -m) or install into a virtualenv"
            )
        venv = site
    elif venv is None:
        venv = "/opt/venv"
        env_line = plan.kw("env") + 'VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"'
        if runtime_dirs is not None and all(_pip_install(a, c) is not None for c in app_installs):
            # Only the installs of the app go into the environment the runtime gets: the build tools
            # (hatch, build) installed beside them stay in the builder's own Python.
            inserts.append((first.index, [plan.kw("run") + "python -m venv /opt/venv"]))
            for c in app_installs:
                word = c.cmd.word
                new = "/opt/venv/bin/pip" if c.name.startswith("pip") else "/opt/venv/bin/python"
                builder_edits.append((word.span, new))
        else:
            inserts.append((first.index, [plan.kw("run") + "python -m venv /opt/venv", env_line]))
        header.append(env_line)
    if runtime_dirs is not None:
        # Installed from a wheel: the environment holds the program; the source tree stays behind.
        artifacts.append(Artifact(venv, venv, True))
        artifacts += [Artifact(posixpath.join(wd, d), posixpath.join(wd, d), True) for d in runtime_dirs]
    else:
        if not within(venv, wd):
            artifacts.append(Artifact(venv, venv, True))
        artifacts.append(Artifact(wd, wd, True))
    tag = _python_tag(a)
    full = not (tag.slim or tag.alpine is not None)
    if not (full or cache or plan.build_packages or builds or runtime_dirs is not None):
        raise NotOffered(
            "nothing to leave behind: slim image, no pip cache, no build packages (the image is already what "
            "the split would make it)"
        )
    rt = rti.python_runtime(tag)
    if rt is None:
        raise NotOffered(f"no slim Python image matches {a.image.text}")
    packages = _runtime_libraries(plan, tag)
    return Toolchain(
        "Python" if runtime_dirs is None else "Python wheel",
        sorted({c.index for c in app_installs} | {c.index for c in builds}),
        artifacts,
        lambda s, f: rti.python_runtime(tag),
        tools=rt.tools if rt else frozenset(),
        any_tool=True,
        builder_inserts=inserts,
        header=header,
        copy_context_dirs=[wd, venv],
        builder_edits=builder_edits,
        native=False,  # the -dev packages were mapped to the runtime libraries the extensions link
        runtime_packages=packages,
    )


def _runtime_libraries(plan: Plan, tag: ImageTag) -> list[str]:
    """The runtime packages of the libraries the build installs headers for (``libpq-dev`` -> ``libpq5``
    for psycopg2, ``default-libmysqlclient-dev`` -> ``libmariadb3`` for mysqlclient): pip compiles the
    extension against them in the builder, and it loads them in the slim runtime. Headers of what every
    Python image has (libc, OpenSSL, zlib, libffi) and of Python itself need nothing."""
    libs = dev_package_libraries(plan, HARMLESS_DEV_PACKAGES) - {"c"}
    return runtime_library_packages(libs, tag)


def _user_site(a: Analysis, c: Cmd) -> str | None:
    """Where a pip user install goes: ``$PYTHONUSERBASE``, else ``<home>/.local`` of the user the RUN runs
    as (root's ``/root``, a ``HOME`` the Dockerfile sets, or the home ``useradd -m``/``adduser`` made)."""
    base = c.env.get("PYTHONUSERBASE")
    if base:
        return c.path(base)
    user = (a.states[c.index].user or "root").split(":", 1)[0]
    home = c.env.get("HOME")
    if user not in ("root", "0") and home in (None, "/root"):
        home = _created_home(a, user)
    return posixpath.join(home, ".local") if home and "$" not in home else None


def _created_home(a: Analysis, user: str) -> str | None:
    """The home directory the stage's useradd/adduser gives ``user`` (None when it makes none)."""
    for c in a.all_cmds():
        if c.name not in ("useradd", "adduser") or user not in {w.value for w in c.cmd.positional(("d", "home-dir", "home", "g", "G", "s", "shell", "u", "uid", "c", "comment", "gecos", "ingroup", "k"))}:
            continue
        given = c.cmd.flag_values("d", "home-dir") or c.cmd.flag_values(long="home")
        if given:
            return c.path(given[0])
        if c.name == "useradd":
            return f"/home/{user}" if c.cmd.has_flag("m", "create-home") else None
        # adduser (Debian's and BusyBox's) makes /home/<user> unless told not to.
        return None if c.cmd.has_flag("H", "no-create-home") else f"/home/{user}"
    return None


def _package(spec: str) -> str:
    """The distribution name of a requirement (``pdm==2.29`` -> ``pdm``)."""
    return re.split(r"[<>=!~\[;@ ]", spec, maxsplit=1)[0].lower()


def _pdm_venv(c: Cmd, venv: str | None) -> str:
    """The environment ``pdm install``/``pdm sync`` fills: the active virtualenv (``VIRTUAL_ENV``, unless
    ``PDM_IGNORE_ACTIVE_VENV``), else ``<project>/.venv``, which PDM creates on the first install."""
    if c.cmd.has_flag("g", "global") or c.cmd.flag_values(long="venv"):
        raise NotOffered("pdm installs into a chosen interpreter (--global/--venv)")
    if c.env.get("PDM_PYTHON") or c.env.get("PDM_VENV_IN_PROJECT") or c.env.get("PDM_USE_VENV"):
        raise NotOffered("PDM_PYTHON/PDM_USE_VENV/PDM_VENV_IN_PROJECT choose where PDM installs")
    active = c.env.get("VIRTUAL_ENV")
    if active and (c.env.get("PDM_IGNORE_ACTIVE_VENV") or "").lower() in _OFF:
        found = c.path(active)
    else:
        proj = c.cmd.flag_values("p") or c.cmd.flag_values(long="project")
        root = c.path(proj[0]) if proj else c.cwd
        found = posixpath.join(root, ".venv") if root else None
    if found is None:
        raise NotOffered("cannot tell where pdm puts the environment")
    if venv is not None and venv != found:
        raise NotOffered("pdm installs into another environment than the one created before it")
    return found


def _packaged_runtime_dirs(a: Analysis, plan: Plan, wd: str) -> list[str] | None:
    """The folders a wheel-installed program reads from its working directory (``templates/``...), or
    None when the runtime needs the whole source tree: the context is unknown, the CMD runs a file of
    it (``python app.py``, ``./start.sh``), or it holds files or folders the wheel does not carry."""
    ctx = context_for(a.doc)
    if not ctx.known:
        return None
    for ins in plan.runtime_side():
        if ins.cmd not in ("cmd", "entrypoint", "healthcheck") or not ins.args:
            continue
        words = command_words(ins)
        if ins.cmd == "healthcheck":
            words = words[1:] if words[:1] == ["CMD"] else []
        if words and ("/" in words[0] and not words[0].startswith(("/usr/", "/bin/", "/opt/"))):
            return None  # ./run.sh, bin/serve: a file of the source tree
        if words and re.fullmatch(r"python(3(\.\d+)?)?", posixpath.basename(words[0])):
            rest = words[1:]
            while rest and rest[0].startswith("-") and rest[0] not in ("-m", "-c"):
                rest = rest[1:]
            if rest[:1] not in (["-m"], ["-c"]):
                return None  # python app.py runs a source file
    keep: list[str] = []
    for name in ctx.top_entries():
        if ctx.ignored(name) or name in SKIPPED_DIRS:
            continue
        if ctx.is_dir(name):
            if name in RUNTIME_DIRS:
                if builder_path(a, len(a.ins), name, True) != posixpath.join(wd, name):
                    return None
                keep.append(name)
            elif name in _SOURCE_ONLY_DIRS or ctx.exists(posixpath.join(name, "__init__.py")) or name.startswith("."):
                continue  # the package (in the wheel), its tests and docs
            else:
                return None
        elif not _BUILD_ONLY_FILES.match(name) or re.match(r"\.(env|flaskenv)(\.|$)", name):
            return None  # app.py, config.yaml, gunicorn.conf.py: read from the working directory
    return keep


def _python_tag(a: Analysis) -> ImageTag:
    """The python image tag the builder corresponds to (the astral uv images: ``python3.12-bookworm-slim``)."""
    if a.repository == "python":
        return a.tag
    text = a.image.effective_tag or ""
    m = re.search(r"python(\d+\.\d+)", text)
    if m is None:
        raise NotOffered(f"{a.image.text} does not say which Python it has")
    parts = [m.group(1)]
    t = parse_tag(text)
    if t.alpine is not None or "alpine" in text:
        parts.append("alpine")
    else:
        parts.append("slim")
        if t.codename:
            parts.append(t.codename)
    return parse_tag("-".join(parts))
