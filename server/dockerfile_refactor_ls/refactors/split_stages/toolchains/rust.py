"""Rust: `cargo build` / `cargo install --path`; the binary named by `--bin`, the CMD or Cargo.toml."""

from __future__ import annotations

import json
import posixpath
import tomllib
from typing import TYPE_CHECKING

from ....engine.parser import Instruction
from ....engine.shell import command_words
from ..._toolchains import resolve
from .. import runtimes as rti
from ..analysis import SYSTEM_BIN, Analysis, Artifact, Cmd, NotOffered, Toolchain, builder_path, first
from ..context import context_for

if TYPE_CHECKING:
    from ..plan import Plan

def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    # In the RUNs, and in the recipe of a `make` goal they run (read from the context's Makefile).
    builds = [c for c in a.with_build_steps() if c.name == "cargo" and a.subcommand(c) in ("build", "install")]
    if not builds:
        why = a.unread_build_reason("cargo build", "cargo build --release")
        if why is not None:
            raise NotOffered(why)
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
    run_cmd = _cargo_run(plan)
    if name is None and run_cmd is not None:
        name = first(run_cmd[1])
    if name is None:
        entry = plan.entry_in(outdir, bare_ok=sub == "install" and run_cmd is None)
        if entry is not None:
            name = posixpath.basename(entry)
    moved: str | None = None
    if name is None and (taken := _copied_out(a, c, outdir)) is not None:
        name, moved = taken
    if name is None:
        name = _cargo_bin(a, c, proj if sub == "build" else c.cwd)
    if name is None:
        raise NotOffered("cannot tell the name of the Rust binary (no --bin, no CMD that runs it, no Cargo.toml)")
    src = moved or posixpath.join(outdir, name)
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
    if linkage == "glibc" and rti.debian_for(rti.RUST_DEBIAN, tag) is None:
        tc.no_runtime_reason = rti.unknown_release_reason(a.image.text, "Rust", "rust:1.79-bookworm")
    plan.rewrite_entry_paths(tc, {src: dest})
    if run_cmd is not None:
        # `CMD cargo run --release` rebuilt the program at every start: run the built binary instead.
        ins, _bins, args = run_cmd
        words = [dest, *args]
        # Exec form either way: the words are plain (no shell syntax), and the runtime may have no shell.
        new = "[" + ", ".join(json.dumps(w) for w in words) + "]"
        tc.rewrites.append((ins, ins.args_span, new))
    return tc


def _cargo_run(plan: Plan) -> tuple[Instruction, list[str], list[str]] | None:
    """A CMD/ENTRYPOINT ``cargo run [--release] [--bin x] [-- args]``: (instruction, --bin values, args)."""
    for ins in plan.runtime_side():
        if ins.cmd not in ("cmd", "entrypoint") or not ins.args:
            continue
        words = command_words(ins)
        if words[:2] != ["cargo", "run"]:
            continue
        # The shell form's operators are not among the first command's words: read its text too.
        if any(ch in " ".join(words) or (not ins.json and ch in ins.args_text) for ch in "$&|;<>`"):
            raise NotOffered("the cargo run CMD uses shell syntax")
        args = words[words.index("--") + 1 :] if "--" in words else []
        opts = words[2 : words.index("--")] if "--" in words else words[2:]
        bins = [opts[i + 1] for i, w in enumerate(opts[:-1]) if w == "--bin"]
        bins += [w.split("=", 1)[1] for w in opts if w.startswith("--bin=")]
        return ins, bins, args
    return None


def _copied_out(a: Analysis, build: Cmd, outdir: str) -> tuple[str, str | None] | None:
    """The binary a later command takes out of Cargo's output folder (``cp target/release/app
    /usr/local/bin/``, ``strip target/release/app``), when exactly one is named: its file name, and
    where an ``mv`` put it (it is no longer in the output folder then)."""
    names: set[str] = set()
    moved: str | None = None
    for c in a.with_build_steps():
        if c.index < build.index or c.name not in ("cp", "mv", "install", "strip", "ln"):
            continue
        words = [w.value for w in c.cmd.positional(("m", "mode", "o", "owner", "g", "group", "t", "target-directory"))]
        for v in words:
            p = c.path(v)
            if p is None or posixpath.dirname(p) != outdir or any(ch in p for ch in "*?["):
                continue
            name = posixpath.basename(p)
            names.add(name)
            if c.name == "mv" and len(words) == 2 and v == words[0]:
                to = c.path(words[1])
                if to is None:
                    raise NotOffered("cannot tell where the Rust binary is moved to")
                into_dir = words[1].endswith("/") or to in SYSTEM_BIN
                moved = posixpath.join(to, name) if into_dir else to
    if len(names) != 1:
        return None
    return names.pop(), moved


def _cargo_bin(a: Analysis, c: Cmd, proj: str | None) -> str | None:
    """The binary Cargo.toml names: its only ``[[bin]]``, else ``[package].name``."""
    ctx = context_for(a.doc)
    if not ctx.known or proj is None:
        return None
    rel = next(
        (f for f in ctx.files() if posixpath.basename(f) == "Cargo.toml"
         and builder_path(a, c.index, f, False) == posixpath.join(proj, "Cargo.toml")),
        None,
    )
    text = ctx.read(rel) if rel else None
    if not text:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    bins = [b.get("name") for b in data.get("bin", []) if isinstance(b, dict)]
    if len(bins) == 1 and isinstance(bins[0], str):
        return bins[0]
    if bins:
        return None  # several binaries: the CMD has to say which
    package = data.get("package")
    name = package.get("name") if isinstance(package, dict) else None
    return name if isinstance(name, str) else None
