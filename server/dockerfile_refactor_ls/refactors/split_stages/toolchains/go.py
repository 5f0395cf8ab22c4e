"""Go: `go build` / `go install`; the binary, cgo or static, and the files it reads at run time."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.text import Span
from ..._go import cgo_free
from ..._toolchains import resolve, within
from .. import runtimes as rti
from ..analysis import (
    Analysis,
    Artifact,
    Cmd,
    NotOffered,
    Toolchain,
    builder_path,
    dedupe,
)
from ..context import RUNTIME_DIRS, BuildContext, context_for

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


def _builds(a: Analysis) -> list[Cmd]:
    """The ``go build``/``go install`` commands of the stage: in its RUNs, and in the recipes of the
    ``make`` goals they run (``RUN make build``), read from the build context's Makefile."""
    return [c for c in a.with_build_steps() if c.name == "go" and _go_args(c) is not None]


def _cgo_off_edit(c: Cmd) -> tuple[Span, str] | None:
    """The edit that turns cgo off for the build ``c``: ``CGO_ENABLED=0`` before ``go`` or the script
    that runs it; for a build in a make recipe, ``CGO_ENABLED=0`` on make's command line, which overrides the Makefile's own value
    and reaches the recipe's environment. None when the RUN is not written as a shell command."""
    if c.ins.json:
        return None
    if c.via is None or c.via.name not in ("make", "gmake"):
        # Before `go`, or before the build script that runs it (`CGO_ENABLED=0 ./build.sh`: the
        # script's commands inherit it).
        at = (c.via or c).cmd.word.span.start
        return Span(at, at), "CGO_ENABLED=0 "
    words = [c.via.cmd.word, *c.via.cmd.args]
    end = words[-1].span.end
    return Span(end, end), " CGO_ENABLED=0"


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    builds = _builds(a)
    if not builds:
        why = a.unread_build_reason("go build", "go build -o /out/app .")
        if why is not None:
            raise NotOffered(why)
        return None
    artifacts: list[Artifact] = []
    linkages: set[str] = set()
    default_cgo: list[Cmd] = []  # builds that link with cgo only because nothing turned it off
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
            if _go_linkage(c, flags, a, linkages):
                default_cgo.append(c)
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
        if _go_linkage(c, flags, a, linkages):
            default_cgo.append(c)
    linkage = "glibc" if "glibc" in linkages else "musl" if "musl" in linkages else "static"
    tag = a.tag
    ctx = context_for(a.doc)
    builder_edits: list[tuple[Span, str]] = []
    variant = ""
    glibc_builds = [c for c in builds if _linkage_of(c, a) == "glibc"]
    if (
        linkage == "glibc"
        and glibc_builds
        and all(c in default_cgo for c in glibc_builds)
        and not plan.dev_packages
        and not plan.build_packages
        and cgo_free(ctx)
    ):
        # The default cgo build links against glibc only for the DNS resolver and os/user: with no
        # `import "C"` and no cgo-only module in the sources, a static build does the same.
        cgo_off = [_cgo_off_edit(c) for c in glibc_builds]
        if all(e is not None for e in cgo_off):
            by_place = {e[0].start: e for e in cgo_off if e is not None}  # one per make command
            builder_edits += [by_place[k] for k in sorted(by_place)]
            linkage = "static"
            variant = "CGO_ENABLED=0, static"
    artifacts += runtime_files(a, ctx, [c.cwd for c in builds if c.cwd], artifacts)

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.native_runtime(linkage, tag, rti.GO_DEBIAN, shell=shell, family=family)

    if linkage == "static" and not variant:
        variant = "static"
    no_runtime = ""
    if linkage == "glibc" and rti.debian_for(rti.GO_DEBIAN, tag) is None:
        no_runtime = (
            rti.unknown_release_reason(a.image.text, "Go", "golang:1.22-bookworm")
            + ", or build with CGO_ENABLED=0 for a static binary"
        )
    tc = Toolchain(
        "Go",
        sorted({c.index for c in builds}),
        dedupe(artifacts),
        runtime,
        path_tools=frozenset(path_tools),
        native=linkage != "static",
        copy_context_dirs=[c.cwd for c in builds if c.cwd is not None],
        builder_edits=builder_edits,
        variant=variant,
        no_runtime_reason=no_runtime,
    )
    if moved:
        plan.rewrite_entry_paths(tc, moved)
    return tc


def _linkage_of(c: Cmd, a: Analysis) -> str:
    parsed = _go_args(c)
    flags = parsed[0] if parsed else {}
    ldflags = flags.get("ldflags", "")
    if c.env.get("CGO_ENABLED") == "0" or ("-static" in ldflags and "extldflags" in ldflags):
        return "static"
    return "musl" if a.tag.alpine is not None else "glibc"


def _go_linkage(c: Cmd, flags: dict[str, str], a: Analysis, linkages: set[str]) -> bool:
    """Record the build's linkage; True when it links with cgo only by default (CGO_ENABLED unset)."""
    linkage = _linkage_of(c, a)
    linkages.add(linkage)
    return linkage != "static" and "CGO_ENABLED" not in c.env


_DATA_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".ini", ".env", ".html", ".tmpl", ".tpl", ".sql", ".csv",
                  ".txt", ".xml", ".pem", ".crt", ".db", ".sqlite")
_EMBED = re.compile(r"^//go:embed\s+(.+)$", re.M)


_CONFIG_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".ini", ".env", ".properties", ".hcl")


def _reads(rel: str, code: str) -> bool:
    """Whether the Go sources read the context entry ``rel`` from the working directory: they name it
    (``"templates/index.html"``), Viper looks for it by its stem (``SetConfigName("config")`` reads
    ``config.yaml``), or godotenv's ``Load()`` without arguments reads ``.env``."""
    if re.search(r'"(?:\./)?' + re.escape(rel) + r'(?:/[^"]*)?"', code):
        return True
    stem, ext = posixpath.splitext(rel)
    if "/" not in rel and ext in _CONFIG_SUFFIXES and re.search(r'SetConfigName\(\s*"' + re.escape(stem) + '"', code):
        return True
    return rel == ".env" and re.search(r"\b(godotenv|gotenv)\.(Load|Overload)\(\s*\)", code) is not None


def runtime_files(a: Analysis, ctx: BuildContext, roots: list[str], artifacts: list[Artifact]) -> list[Artifact]:
    """Folders and data files the program reads at run time, relative to its working directory.

    A context entry is one when the Go sources name it in a string literal (``"templates/index.html"``,
    ``http.Dir("static")``), ``//go:embed`` does not put it in the binary, and the original image had
    it where the program looks: under the final WORKDIR, by the source COPY.
    """
    wd = a.final.workdir
    if not ctx.known or wd is None:
        return []
    sources = [ctx.read(rel) or "" for rel in ctx.with_suffix(".go")[:500]]
    code = "\n".join(sources)
    embedded = " ".join(m.group(1) for m in _EMBED.finditer(code))
    candidates = [d for d in ctx.top_dirs() if d in RUNTIME_DIRS or re.search(r'"' + re.escape(d) + r'[/"]', code)]
    candidates += [f for f in ctx.files() if "/" not in f and f.endswith(_DATA_SUFFIXES)]
    out: list[Artifact] = []
    for rel in candidates:
        if rel in ("go.mod", "go.sum") or ctx.ignored(rel) or re.search(r"(^|\s)" + re.escape(rel) + r"(/|\s|$)", embedded):
            continue
        if not _reads(rel, code):
            continue  # the program does not name it
        is_dir = ctx.is_dir(rel)
        src = builder_path(a, len(a.ins), rel, is_dir)
        dest = resolve(wd, rel)
        if src != dest or any(x.dest == dest or within(dest, x.dest) for x in artifacts):
            continue
        out.append(Artifact(src, dest, is_dir))
    return out


