"""Rust: `cargo build` / `cargo install --path`; the binary named by `--bin`, the CMD or Cargo.toml."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from ..._toolchains import resolve
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, NotOffered, Toolchain, first

if TYPE_CHECKING:
    from ..plan import Plan

def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    builds = [c for c in a.all_cmds() if c.name == "cargo" and a.subcommand(c) in ("build", "install")]
    if not builds:
        return None
    c = builds[-1]
    sub = a.subcommand(c)
    cmd = c.cmd
    bins = cmd.flag_values(long="bin")
    triple = first(cmd.flag_values(long="target"))
    if sub == "build":
        if c.cwd is None:
            raise NotOffered("unknown directory for `cargo build`")
        manifest = first(cmd.flag_values(long="manifest-path"))
        proj = posixpath.dirname(c.path(manifest) or "") if manifest else c.cwd
        if not proj:
            raise NotOffered("unknown Cargo manifest directory")
        target_dir = first(cmd.flag_values(long="target-dir")) or c.env.get("CARGO_TARGET_DIR")
        tdir = c.path(target_dir) if target_dir else resolve(proj, "target")
        if tdir is None:
            raise NotOffered("unknown Cargo target directory")
        profile = first(cmd.flag_values(long="profile"))
        if profile is None:
            profile = "release" if cmd.has_flag("release", "r") else "debug"
        elif profile == "dev":
            profile = "debug"
        outdir = posixpath.join(tdir, triple, profile) if triple else posixpath.join(tdir, profile)
    else:
        if not cmd.flag_values(long="path"):
            return None  # installing a tool from crates.io, not building this project
        root = (
            first(cmd.flag_values(long="root")) or c.env.get("CARGO_INSTALL_ROOT") or c.env.get("CARGO_HOME")
        )
        rootp = c.path(root) if root else None
        if rootp is None:
            raise NotOffered("unknown `cargo install` root")
        outdir = posixpath.join(rootp, "bin")
    name: str | None = bins[0] if len(bins) == 1 else None
    if name is None:
        entry = plan.entry_in(outdir, bare_ok=sub == "install")
        if entry is not None:
            name = posixpath.basename(entry)
    if name is None:
        raise NotOffered("cannot tell the name of the Rust binary (no --bin, no CMD that runs it)")
    src = posixpath.join(outdir, name)
    dest = posixpath.join("/usr/local/bin", name)
    if triple and "musl" in triple:
        linkage = "static"
    elif a.tag.alpine is not None:
        linkage = "musl"
    else:
        linkage = "glibc"
    tag = a.tag

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.native_runtime(linkage, tag, rti.RUST_DEBIAN, shell=shell, family=family, cc=True)

    tc = Toolchain(
        "Rust",
        [c.index],
        [Artifact(src, dest)],
        runtime,
        path_tools=frozenset((name,)),
        native=linkage != "static",
        copy_context_dirs=[c.cwd] if c.cwd else [],
    )
    plan.rewrite_entry_paths(tc, {src: dest})
    return tc
