"""conda, mamba and micromamba: the environment the build creates, copied without the package cache.

The images (see ``engine/data/images.toml``): ``continuumio/miniconda3`` (Debian, conda in ``/opt/conda``,
``/opt/conda/bin`` on PATH), ``condaforge/miniforge3`` (Ubuntu, ``CONDA_DIR=/opt/conda``) and
``mambaorg/micromamba`` (Debian, ``MAMBA_ROOT_PREFIX=/opt/conda`` holding an empty base environment,
``USER mambauser`` 57439, a SHELL and ENTRYPOINT that activate ``$ENV_NAME``).

What the runtime gets:

* micromamba: the same ``mambaorg/micromamba`` tag, with the environment copied ``--chown`` to
  ``$MAMBA_USER`` (as the image's documentation copies files); its entrypoint activates it as before.
  The image ships only the micromamba binary and an empty root prefix, so nothing is stored twice.
* miniconda3 / miniforge3, a CMD that reaches the environment through PATH (the base environment, whose
  ``bin`` the image puts on PATH, or a named one whose ``bin`` an ENV puts there): the slim image of the
  distribution release the conda image is built on, with the environment at the same path (a conda
  environment carries its own libraries and needs only glibc; at the same prefix its embedded paths
  stay right, so no ``conda-pack``/``conda-unpack`` is needed). Activation scripts of packages
  (``etc/conda/activate.d``) did not run in the original either, since it never activated.
* miniconda3 / miniforge3 with a CMD, ENTRYPOINT or SHELL that runs conda (``conda run -n app``): the
  same conda image with only the named environment copied (``/opt/conda/envs/<name>``). A base
  environment cannot be copied over the image's own ``/opt/conda`` without storing it twice: refused.

The builder ends with ``conda clean -afy`` (``micromamba clean --all --yes``) when the copied folder is
the root prefix, which holds the package cache ``pkgs/``.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ..._toolchains import within
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain
from ..context import context_for

if TYPE_CHECKING:
    from ..plan import Plan

_MANAGERS = ("conda", "mamba", "micromamba")
# Options of conda/mamba/micromamba that take a value (so the word after them is no subcommand).
_VALUED = ("n", "name", "p", "prefix", "f", "file", "c", "channel", "r", "root-prefix", "rc-file")


_NAME_LINE = re.compile(r"^name:\s*['\"]?([\w.-]+)", re.M)


def _env_file_name(a: Analysis, c: Cmd, file: str) -> str | None:
    """The ``name:`` an environment file gives, read from the build context where a COPY put it."""
    ctx = context_for(a.doc)
    if not ctx.known:
        return None
    target = c.path(file)
    candidates = [
        rel
        for _index, rel in a.context_copies(c.index)
        if target is not None and rel and (target.endswith("/" + rel) or posixpath.basename(target) == posixpath.basename(rel))
    ]
    for rel in [*candidates, posixpath.basename(file)]:
        text = ctx.read(rel)
        if text is not None:
            m = _NAME_LINE.search(text)
            return m.group(1) if m else None
    return None


def _target(a: Analysis, c: Cmd, root: str) -> str | None:
    """The prefix a conda/mamba/micromamba command installs into, None when it installs nothing."""
    vals = c.values()
    sub = a.subcommand(c, _VALUED)
    if sub == "env":
        rest = vals[vals.index("env") + 1 :]
        action = next((v for v in rest if not v.startswith("-")), None)
        if action not in ("create", "update"):
            return None
        sub = "env " + action
    elif sub not in ("install", "create", "update", "upgrade", "remove", "uninstall"):
        return None
    prefix = c.cmd.flag_values("p") or c.cmd.flag_values(long="prefix")
    if prefix:
        path = c.path(prefix[-1])
        if path is None:
            raise NotOffered(f"cannot tell where {c.name} {sub} installs (--prefix)")
        return path
    name = c.cmd.flag_values("n") or c.cmd.flag_values(long="name")
    if not name and sub == "env create":
        files = c.cmd.flag_values("f") or c.cmd.flag_values(long="file") or ["environment.yml"]
        env_name = _env_file_name(a, c, files[-1])
        if env_name is None:
            raise NotOffered(f"{c.name} env create names the environment in {files[-1]}, which is not in the build context")
        name = [env_name]
    if not name:
        if sub == "create":
            raise NotOffered(f"{c.name} create without --name or --prefix")
        # install/update into the active environment: the base one (micromamba: $ENV_NAME, base).
        env_name = c.env.get("ENV_NAME") if c.name == "micromamba" else None
        name = [env_name or "base"]
    if "$" in name[-1]:
        raise NotOffered(f"cannot tell which environment {c.name} installs into")
    return root if name[-1] == "base" else posixpath.join(root, "envs", name[-1])


def _cleans(c: Cmd) -> bool:
    """``conda clean -a``/``--all`` (``-afy``...): the package cache is gone in the same RUN."""
    vals = c.values()
    return "clean" in vals and any(v == "--all" or re.fullmatch(r"-[a-zA-Z]*a[a-zA-Z]*", v) for v in vals)


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.facts is None or a.facts.toolchain != "conda":
        return None
    micromamba = a.repository == "mambaorg/micromamba"
    root = a.final.env.get("MAMBA_ROOT_PREFIX") or a.final.env.get("CONDA_DIR") or "/opt/conda"
    installs: list[Cmd] = []
    targets: set[str] = set()
    cleaned: set[int] = set()  # RUNs that clean the package cache after installing
    for c in a.all_cmds():
        if c.name == "conda-pack" or (c.name in _MANAGERS and "pack" in c.values()[:1]):
            raise NotOffered("the build already packs the environment (conda-pack)")
        if c.name not in _MANAGERS:
            continue
        if _cleans(c):
            cleaned.add(c.index)
            continue
        target = _target(a, c, root)
        if target is None:
            continue
        installs.append(c)
        targets.add(target)
    if not installs:
        return None
    if len(targets) > 1:
        raise NotOffered(f"the build fills more than one conda environment ({', '.join(sorted(targets))})")
    env = targets.pop()
    is_root = env == root
    runtime_side = plan.runtime_side()
    runs_conda = any(posixpath.basename(e.exe) in _MANAGERS for e in a.entries(runtime_side)) or any(
        ins.cmd == "shell" and any(m in a.doc.text[ins.span.start : ins.span.end] for m in _MANAGERS) for ins in a.ins
    )
    header: list[str] = []
    footer: list[str] = []
    packages: list[str] = []
    tail: list[str] = []
    chown: str | None = None
    if micromamba:
        runtime = rti.runtime_image(a.image.text)
        # The image's user owns the prefix it installs into (the image makes it a+rwx for that user).
        chown = "$MAMBA_USER:$MAMBA_USER"
        if is_root:
            tail.append(plan.kw("run") + "micromamba clean --all --yes")
        label = "micromamba environment"
    elif runs_conda:
        if is_root:
            raise NotOffered(
                "the runtime runs conda, which is the base environment the build changed: copied over the "
                "image's own /opt/conda it would be stored twice"
            )
        runtime = rti.runtime_image(a.image.text)
        label = "conda environment"
    else:
        ref = a.facts.runtime
        if not ref:
            raise NotOffered(f"the image table names no slim runtime for {a.repository}")
        runtime = rti.runtime_image(ref)
        # Both conda images set a UTF-8 locale (ENV LANG=C.UTF-8 LC_ALL=C.UTF-8); the slim ones do not.
        header.append(plan.kw("env") + "LANG=C.UTF-8 LC_ALL=C.UTF-8")
        path = a.final.env.get("PATH") or ""
        env_bin = posixpath.join(env, "bin")
        if is_root:
            tail.append(plan.kw("run") + "conda clean -afy")
            if env_bin not in path.split(":"):
                raise NotOffered(f"{env_bin} is not on PATH: cannot tell how the CMD reaches the environment")
            # The conda image puts the base environment on PATH; the slim runtime does not.
            header.append(plan.kw("env") + f'PATH="{env_bin}:$PATH"')
        if a.repository == "condaforge/miniforge3" and not any(ins.cmd == "entrypoint" for ins in a.ins):
            # Miniforge runs everything under tini (ENTRYPOINT ["tini", "--"]): the program is not PID 1,
            # and signals and zombie reaping work as before only if the runtime keeps that.
            packages.append("tini")
            footer.append(plan.kw("entrypoint") + '["tini", "--"]')
        elif env_bin not in path.split(":") and not any(within(e.exe, env) for e in a.entries(runtime_side)):
            raise NotOffered(
                f"the CMD does not reach {env} (no ENV PATH with {env_bin}, no conda run): it would run the "
                "base environment, which the runtime does not get"
            )
        label = "conda environment"
    # Something must stay behind: the package cache, or build packages.
    if all(c.index in cleaned for c in installs) and not plan.build_packages and runtime.ref == a.image.text:
        raise NotOffered("nothing to leave behind: the install RUN cleans the package cache, no build packages")
    wd = a.final.workdir
    artifacts = [Artifact(env, env, True, chown)]
    dirs = [env]
    # The app's folder, unless it is / or the image's own default (micromamba's /tmp): files COPY'd
    # there are then carried one by one (copy_context_dirs), not the whole folder.
    if wd is not None and wd != "/" and not within(wd, env) and wd != a.default_workdir:
        artifacts.append(Artifact(wd, wd, True, chown))
        dirs.append(wd)
    return Toolchain(
        label,
        sorted({c.index for c in installs}),
        artifacts,
        lambda s, f: runtime,
        tools=runtime.tools,
        any_tool=True,  # the environment's bin/ is on PATH
        native=True,  # pip builds against -dev packages would need their libraries at run time
        builder_tail=tail,
        header=header,
        footer=footer,
        runtime_packages=packages,
        copy_context_dirs=dirs,
    )
