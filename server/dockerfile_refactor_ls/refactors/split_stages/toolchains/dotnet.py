""".NET: ``dotnet publish`` on ``mcr.microsoft.com/dotnet/sdk`` into ``aspnet`` (web projects, and when
the project type is unknown: it is a superset of ``runtime``) or ``runtime`` (console projects, from the
``.csproj`` SDK in the build context) of the same version and variant; ``runtime-deps`` for a
self-contained publish. ``CMD dotnet run`` becomes ``dotnet <Assembly>.dll`` when the project names it.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.parser import Instruction
from ....engine.shell import command_words
from ..._toolchains import resolve
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain
from ..context import BuildContext, context_for

if TYPE_CHECKING:
    from ..plan import Plan

_SDK = "mcr.microsoft.com/dotnet/sdk"


def _publish_dir(c: Cmd) -> str | None:
    out = c.cmd.flag_values("o", "output")
    vals = c.values()
    if not out:
        out = [v.split("=", 1)[1] for v in vals if v.startswith(("--output=", "-o="))]
    return c.path(out[0]) if out else None


def _project_file(ctx: BuildContext) -> tuple[str, str] | None:
    """(assembly name, csproj text) of the one project in the context (None when there are several)."""
    projects = [f for f in ctx.with_suffix(".csproj", ".fsproj", ".vbproj") if "test" not in f.lower()]
    if len(projects) != 1:
        return None
    text = ctx.read(projects[0]) or ""
    m = re.search(r"<AssemblyName>\s*([^<\s]+)\s*</AssemblyName>", text)
    name = m.group(1) if m else posixpath.splitext(posixpath.basename(projects[0]))[0]
    return name, text


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    publishes = [c for c in a.all_cmds() if c.name == "dotnet" and a.subcommand(c) == "publish"]
    if not publishes:
        if any(c.name == "dotnet" and a.subcommand(c) in ("build", "restore") for c in a.all_cmds()):
            raise NotOffered("the project is built but not published (dotnet publish -o <dir>)")
        return None
    c = publishes[-1]
    out = _publish_dir(c)
    if out is None:
        raise NotOffered("cannot tell where dotnet publish writes (add -o <dir>)")
    vals = c.values()
    self_contained = "--self-contained" in vals and "--self-contained=false" not in vals and "false" not in vals
    self_contained = self_contained or any(v in ("--self-contained=true",) for v in vals)
    ctx = context_for(a.doc)
    project = _project_file(ctx) if ctx.known else None
    kind = "aspnet"
    if project is not None and re.search(r'<Project\s+Sdk="Microsoft\.NET\.Sdk"', project[1]):
        kind = "runtime"  # a console or worker project: no ASP.NET Core needed
    if self_contained:
        kind = "runtime-deps"
    tag = a.image.effective_tag or ""
    m = re.match(r"(\d+\.\d+)(?:\.\d+)?(?:-(.+))?$", tag)
    if m is None:
        raise NotOffered(f"the SDK tag {tag} does not say which .NET version it is")
    version, variant = m.group(1), m.group(2) or ""
    if "nanoserver" in variant or "windowsservercore" in variant:
        raise NotOffered("Windows images are not supported")
    try:
        rt = rti.dotnet_runtime(version, kind, variant)
    except KeyError:
        raise NotOffered(f"no {kind} image for .NET {version}") from None
    tc = Toolchain(
        ".NET",
        [c.index],
        [Artifact(out, out, True)],
        lambda s, f: rt,
        tools=rt.tools,
        native=False,
        copy_context_dirs=[c.cwd] if c.cwd else [],
    )
    run = _dotnet_run(plan)
    if run is not None:
        if project is None:
            raise NotOffered("CMD runs `dotnet run` and the project's assembly name is not known")
        ins, args = run
        words = ["dotnet", posixpath.join(out, f"{project[0]}.dll"), *args]
        tc.rewrites.append((ins, ins.args_span, "[" + ", ".join(json.dumps(w) for w in words) + "]"))
    else:
        _check_entry_in(plan, out)
    return tc


def _dotnet_run(plan: Plan) -> tuple[Instruction, list[str]] | None:
    for ins in plan.runtime_side():
        if ins.cmd in ("cmd", "entrypoint") and ins.args:
            words = command_words(ins)
            if words[:2] == ["dotnet", "run"]:
                return ins, words[words.index("--") + 1 :] if "--" in words else []
    return None


def _check_entry_in(plan: Plan, out: str) -> None:
    """The CMD's ``dotnet X.dll`` (or the apphost) must be one the publish wrote."""
    for e in plan.a.entries(plan.runtime_side()):
        if e.exe == "dotnet" or posixpath.basename(e.exe) == "dotnet":
            for ins in (e.ins,):
                words = command_words(ins)
                dll = next((w for w in words[1:] if w.endswith(".dll")), None)
                if dll is None:
                    raise NotOffered("the CMD runs dotnet without the published .dll")
                if "$" not in dll and e.workdir is not None and not resolve(e.workdir, dll).startswith(out + "/"):
                    raise NotOffered(f"{dll} is not in the publish output {out}")
