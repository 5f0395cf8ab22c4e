"""Python: pip and Poetry into a virtualenv copied into a slim runtime of the same Python version."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.images import ImageTag, parse_tag
from ..._toolchains import within
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain

if TYPE_CHECKING:
    from ..plan import Plan

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


_OFF = ("", "0", "false", "no", "off")


def _uv_cache(c: Cmd) -> bool:
    return not c.cmd.has_flag("no-cache", "n") and (c.env.get("UV_NO_CACHE") or "").lower() in _OFF


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository != "python" and (a.facts is None or a.facts.toolchain != "python"):
        return None
    app_installs: list[Cmd] = []
    cache = False
    venv: str | None = None
    for c in a.all_cmds():
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
        elif c.name in ("conda", "mamba", "micromamba", "pdm", "hatch"):
            raise NotOffered(f"{c.name} manages the environment; pip, uv, Poetry and Pipenv are supported")
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
    tag = _python_tag(a)
    full = not (tag.slim or tag.alpine is not None)
    if not (full or cache or plan.build_packages):
        raise NotOffered("nothing to leave behind: slim image, no pip cache, no build packages")
    rt = rti.python_runtime(tag)
    if rt is None:
        raise NotOffered(f"no slim Python image matches {a.image.text}")
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
