"""Go: `go build` / `go install`; the binary, cgo or static, and the files it reads at run time."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ..._toolchains import resolve
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain, dedupe

if TYPE_CHECKING:
    from ..plan import Plan

_GO_VALUE_FLAGS = (
    "o",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "tags",
    "mod",
    "modfile",
    "p",
    "pkgdir",
    "buildmode",
    "compiler",
    "installsuffix",
    "overlay",
    "pgo",
    "C",
    "toolexec",
    "covermode",
    "coverpkg",
    "exec",
)


def _go_args(c: Cmd) -> tuple[dict[str, str], list[str]] | None:
    """The flags (``-name`` -> value) and packages of a ``go build``."""
    vals = c.values()
    if not vals or vals[0] not in ("build", "install"):
        # `go -C dir build` and the like: not worth guessing.
        return None
    if vals[0] == "install" and any("@" in v for v in vals[1:]):
        return None  # `go install tool@version` installs a tool, not this project
    flags: dict[str, str] = {}
    pkgs: list[str] = []
    i = 1
    while i < len(vals):
        v = vals[i]
        if v.startswith("-") and v != "-":
            name, eq, val = v.lstrip("-").partition("=")
            if eq:
                flags[name] = val
            elif name in _GO_VALUE_FLAGS and i + 1 < len(vals):
                flags[name] = vals[i + 1]
                i += 1
            else:
                flags[name] = ""
        else:
            pkgs.append(v)
        i += 1
    return flags, pkgs


def _go_default_name(pkg: str) -> str | None:
    if pkg.endswith(".go"):
        return posixpath.basename(pkg)[:-3]
    if pkg in (".", "./") or "..." in pkg or pkg.startswith("$"):
        return None
    parts = [p for p in pkg.rstrip("/").split("/") if p not in ("", ".")]
    if not parts or parts[-1] == "..":
        return None
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        return parts[-2]
    return parts[-1]


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    builds = [c for c in a.all_cmds() if c.name == "go" and _go_args(c) is not None]
    if not builds:
        return None
    artifacts: list[Artifact] = []
    linkages: set[str] = set()
    path_tools: set[str] = set()
    moved: dict[str, str] = {}
    for c in builds:
        parsed = _go_args(c)
        assert parsed is not None
        flags, pkgs = parsed
        if c.values()[0] == "install":
            # `go install` writes to $GOBIN (or $GOPATH/bin), which the runtime has not on its PATH.
            gobin = c.env.get("GOBIN") or posixpath.join(c.env.get("GOPATH") or "/go", "bin")
            if "$" in gobin or not gobin.startswith("/") or len(pkgs) > 1:
                raise NotOffered("cannot tell where `go install` puts the binary")
            name = _go_default_name(pkgs[0]) if pkgs else None
            if name is None:
                entry = plan.entry_in(gobin, bare_ok=True)
                name = posixpath.basename(entry) if entry else None
            if name is None:
                raise NotOffered("cannot tell the name `go install` gives the binary")
            src = posixpath.join(gobin, name)
            dest = posixpath.join("/usr/local/bin", name)
            artifacts.append(Artifact(src, dest))
            path_tools.add(name)
            moved[src] = dest
            _go_linkage(c, flags, a, linkages)
            continue
        goos = c.env.get("GOOS")
        if goos not in (None, "", "linux") or "C" in flags:
            raise NotOffered("the Go build does not target Linux in this directory")
        out = flags.get("o")
        path: str | None = None
        directory = False
        if out:
            path = c.path(out)
            directory = out.endswith("/")
        elif len(pkgs) <= 1:
            name = _go_default_name(pkgs[0]) if pkgs else None
            if name is not None and c.cwd is not None:
                path = resolve(c.cwd, name)
            elif c.cwd is not None:
                # `go build` names the binary after the module; the CMD that runs it tells us which.
                path = plan.entry_in(c.cwd)
        if path is None:
            raise NotOffered("cannot tell where `go build` writes the binary (add -o)")
        artifacts.append(Artifact(path, path, directory))
        _go_linkage(c, flags, a, linkages)
    linkage = "glibc" if "glibc" in linkages else "musl" if "musl" in linkages else "static"
    tag = a.tag

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.native_runtime(linkage, tag, rti.GO_DEBIAN, shell=shell, family=family)

    tc = Toolchain(
        "Go" if linkage != "static" else "Go (static)",
        sorted({c.index for c in builds}),
        dedupe(artifacts),
        runtime,
        path_tools=frozenset(path_tools),
        native=linkage != "static",
        copy_context_dirs=[c.cwd for c in builds if c.cwd is not None],
    )
    if moved:
        plan.rewrite_entry_paths(tc, moved)
    return tc


def _go_linkage(c: Cmd, flags: dict[str, str], a: Analysis, linkages: set[str]) -> None:
    cgo = c.env.get("CGO_ENABLED")
    ldflags = flags.get("ldflags", "")
    if cgo == "0" or ("-static" in ldflags and "extldflags" in ldflags):
        linkages.add("static")
    elif a.tag.alpine is not None:
        linkages.add("musl")
    else:
        linkages.add("glibc")


