"""Python: pip and Poetry into a virtualenv copied into a slim runtime of the same Python version."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

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


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
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
