"""Build on the build machine's platform and cross-compile: a Go builder stage becomes ``FROM
--platform=$BUILDPLATFORM golang…``, declares ``ARG TARGETOS TARGETARCH`` and builds with
``CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build…``.

``docker buildx build --platform linux/amd64,linux/arm64`` then runs the compiler natively once per
target instead of emulating it under QEMU (many times slower), and the stage that ships keeps the
target platform: only stages whose output another stage copies are moved, never the final image or
a stage it is built ``FROM``.

Go cross-compiles by itself when cgo is off, so the action is offered only where ``CGO_ENABLED=0``
keeps the program the same: every ``go build`` has ``CGO_ENABLED=0`` already, or the build context
(the Dockerfile's folder) shows Go sources without ``import "C"`` and no cgo-only module (the same
check as splitStages); not where the Dockerfile asks for cgo (``CGO_ENABLED=1``, C compilers or
``-dev`` packages installed, ``-race``/``-msan``/``-asan``, external linking).

A Rust builder from the official ``rust`` image (Debian, rustup) gets, before its first COPY/ADD
(or its first ``cargo build``/``cargo install``), ``ARG TARGETARCH TARGETVARIANT`` and one RUN
that maps the target to its Rust triple (amd64, arm64, arm/v7, 386, ppc64le, s390x, riscv64),
``rustup target add``s it, installs the cross linker and target libc from apt
(``gcc-<gnu>``, ``libc6-dev-<arch>-cross``) when the target is not the build machine's, and writes
``RUST_TARGET`` and ``CARGO_TARGET_<TRIPLE>_LINKER`` to ``/tmp/rust-target.env``. Each cargo RUN
sources that file and builds with ``--target "$RUST_TARGET"``; a ``cargo build`` then copies the
files of ``target/$RUST_TARGET/<profile>/`` to ``target/<profile>/``, where the stages that copy
the binary look for it (``cargo install`` writes to the same bin folder whatever the target).
Refused: the Alpine (musl) image, which has no cross linker or target libc to install; ``-dev``
packages installed (build-machine C libraries a crate would link); ``--target-dir``,
``--manifest-path``, ``CARGO_TARGET_DIR``/``CARGO_BUILD_TARGET`` (the artifacts' folder is not
``./target/``); a fixed ``--target``; ``cargo zigbuild``; a cargo in a pipeline. A stage built FROM
one that ran the set-up reuses its file. A stage it cannot handle in a chain of its own stays as it
is while a builder elsewhere moves.

A Node front-end stage (from the ``node`` image, running a bundler: ``npm run build``, ``yarn
build``, ``vite build``…) whose output another chain copies moves too, with no other change: a
bundle of JavaScript, CSS and HTML is the same whatever platform built it, and ``npm ci`` then
installs the build machine's native tools (esbuild, Rollup, SWC binaries) instead of running the
target's under QEMU. Only when every copy out of it names a bundle folder (``dist``, ``build``,
``out``, ``public``, ``static``, ``storybook-static``) or a static file (``.js``, ``.css``,
``.html``…): never ``node_modules``, a ``.node`` addon, Next.js' ``standalone`` output (which
carries ``node_modules``) or the whole work folder. A Node stage that is the image that ships is not
moved.

A builder pinned to a constant (``FROM --platform=linux/amd64 golang``, which BuildKit's
``FromPlatformFlagConstDisallowed`` and hadolint's ``DL3029`` report) gets ``$BUILDPLATFORM`` as its
value instead: the quick fix of those diagnostics where the stage is a Go or Rust builder.

Not offered either where the shipped stage copies shared libraries (``/usr/lib/…``, ``*.so``)
out of the builder: on the build platform they would be the wrong architecture.

The edit inserts the flag, one ARG line before the first build command of each stage that builds, and
the variables before each ``go build`` (an existing ``GOOS=linux``/``GOARCH=amd64`` gets the
variable as its value). ``go install`` is refused: cross-compiled, it writes the binary to
``$GOPATH/bin/<os>_<arch>/``, so the paths other stages copy would change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine.ecosystems import (
    Command,
    RunScript,
    commands_in,
    comment_block_start,
    indentation,
    keyword_case,
    run_script,
)
from ..engine.findings import Edit
from ..engine.image_facts import facts_for_stage
from ..engine.images import base_stage, is_windows
from ..engine.model import CopyFrom, Dockerfile, Stage
from ..engine.parser import Instruction
from ..engine.platforms import parse_platform
from ..engine.text import Span
from ._context import context_for
from ._go import cgo_free
from ._toolchains import is_dev_package
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.rewrite.crossPlatformBuilder"
TITLE = "Build on $BUILDPLATFORM and cross-compile to the target platform"
PLATFORM_FLAG = "--platform=$BUILDPLATFORM"

# Why it is not offered; docs/refactorings/cross-platform-builder.md lists them (a test checks).
NO_STAGE = "the file has no FROM instruction"
SYNTAX = "the Dockerfile has syntax errors"
NO_BUILD = ("no stage builds a Go program with go build, a Rust one with cargo, or a front-end bundle with Node "
            "that another stage copies")
FINAL = ("{stage} is the image that ships (or the final stage is built FROM it): it must keep the target "
         "platform; split the build into its own stage first (splitStages)")
PLATFORM_SET = "{stage} has a --platform already (a variable, or a value that is not a plain platform constant)"
NOT_GO_IMAGE = "{stage} does not start from a Go image (golang), so the toolchain's platform is unknown"
WINDOWS = "{stage} is a Windows stage"
NOT_RUST_IMAGE = ("{stage} does not start from the official Rust image (rust, Debian-based with rustup and apt), "
                  "so adding a Rust target and a cross linker is not known to work")
RUST_MUSL = ("{stage} starts from an Alpine (musl) Rust image: Alpine has no cross linker or target C library "
             "to install; build from the Debian-based rust image, or use tonistiigi/xx (xx-cargo) or cargo-zigbuild")
RUST_C_LIBS = ("{stage} installs {packages}: those C libraries are the build machine's architecture, and a crate "
               "that links them would need the target's")
RUST_UNREADABLE = ("a cargo build of {stage} is one this refactoring cannot cross-compile exactly ({why})")
CGO = "{stage} needs cgo ({why}): CGO_ENABLED=0 would change the program, and cgo does not cross-compile by itself"
CGO_UNKNOWN = ("the Dockerfile is not a file on disk, so the sources cannot show that the build works without cgo "
               "(set CGO_ENABLED=0 on the go build to say so)")
CGO_SOURCES = ("the Go sources use cgo or cannot be read to rule it out (import \"C\", a cgo-only module, "
               "vendor/, no .go files in the context)")
GO_INSTALL = ("{stage} uses go install: a cross-compiled go install writes to $GOPATH/bin/<os>_<arch>/, which "
              "changes the paths other stages copy (use go build -o)")
UNREADABLE = ("a go build of {stage} is in a RUN this refactoring cannot edit exactly (exec form, heredoc, a "
              "variable in its GOOS/GOARCH/CGO_ENABLED or shell syntax it does not read)")
NATIVE_FILES = ("{stage} copies {path} from {source}: libraries installed there would be the build machine's "
                "architecture, not the target's")
FRONTEND_OUTPUT = ("{stage} copies {path} from the Node stage {source}: only a bundle (dist/, build/, out/, "
                   "public/, static files) is the same whatever platform built it; node_modules, native addons "
                   "and a whole work folder are not")
REASONS = (NO_STAGE, SYNTAX, NO_BUILD, FINAL, PLATFORM_SET, NOT_GO_IMAGE, WINDOWS, NOT_RUST_IMAGE, RUST_MUSL,
           RUST_C_LIBS, RUST_UNREADABLE, CGO, CGO_UNKNOWN,
           CGO_SOURCES, GO_INSTALL, UNREADABLE, NATIVE_FILES, FRONTEND_OUTPUT)

_GO_BUILD_TEXT = re.compile(r"\bgo\b[\s\"',]+(build|install)\b")
_CARGO_TEXT = re.compile(r"\bcargo\b[\s\"',]+(build|install|zigbuild)\b")
# The C headers the cross set-up itself provides for the target (libc6-dev-<arch>-cross); any other
# -dev package is a build-machine library a crate's build script would link (openssl-sys, libz-sys...).
_CROSS_PROVIDED = frozenset(("libc6-dev", "libc-dev", "linux-libc-dev"))
_C_PACKAGES = frozenset(("gcc", "g++", "clang", "build-base", "build-essential", "musl-dev", "libc-dev",
                         "libc6-dev", "cmake", "pkg-config", "pkgconf"))
_CGO_FLAGS = re.compile(r"(?:^|\s)-(?:race|msan|asan)\b|linkmode[= ]+external|-extldflags")
# Paths whose files an OS package manager installs for the platform it runs on (shared libraries).
_NATIVE_FILE = re.compile(r"^/(usr/)?(lib|lib32|lib64|libexec)(/|$)|\.so(\.|$)")
_VARS = ("CGO_ENABLED", "GOOS", "GOARCH")
# A RUN that bundles a front end: a package manager's build script, or a bundler called directly.
_BUNDLE_TEXT = re.compile(
    r"\b(?:(?:npm|pnpm|bun)\s+(?:run\s+)?|yarn\s+(?:run\s+)?|npx\s+|pnpx\s+)?"
    r"(?:build|generate|(?:vite|webpack|rollup|parcel|esbuild|ng|tsc|vue-cli-service|react-scripts)\s+build)\b"
)
_PACKAGE_RUNNER = re.compile(r"\b(?:npm|pnpm|yarn|bun|npx|pnpx|vite|webpack|rollup|parcel|esbuild|ng|react-scripts)\b")
# What a front-end build outputs: the same bytes whatever the platform that built it.
_BUNDLE_DIRS = frozenset(("dist", "build", "out", "public", "static", "storybook-static", "www"))
_STATIC_FILE = re.compile(r"\.(?:js|mjs|cjs|css|html?|json|map|svg|png|jpe?g|gif|ico|webp|woff2?|ttf|txt|wasm)$")
_ASSIGNED = re.compile(r"(?:(?<=\s)|^)(CGO_ENABLED|GOOS|GOARCH)=(\"[^\"]*\"|'[^']*'|[^\s;&|]*)")
_WANTED = {"CGO_ENABLED": "0", "GOOS": "$TARGETOS", "GOARCH": "$TARGETARCH"}


@dataclass(slots=True)
class GoBuild:
    """One ``go build`` command: where its ``go`` word starts and its variables' values as written."""

    ins: Instruction
    go_at: int  # document offset of the "go" word
    values: dict[str, tuple[str, Span]] = field(default_factory=dict)  # name -> (value, its span)


def _go_subcommand(cmd: Command) -> str | None:
    if cmd.prog != "go":
        return None
    first = next((v for v in cmd.values() if not v.startswith("-")), None)
    return first if first in ("build", "install") else None


def _script_builds(doc: Dockerfile, stage: Stage, script: RunScript) -> list[GoBuild] | str:
    """The go builds of one RUN, or why they cannot be edited."""
    out: list[GoBuild] = []
    for seg in script.segments:
        for cmd in seg.pipeline:
            sub = _go_subcommand(cmd)
            if sub is None:
                continue
            if sub == "install":
                return GO_INSTALL.format(stage=stage.label)
            if script.json:
                return UNREADABLE.format(stage=stage.label)
            word = cmd.words[0]
            build = GoBuild(script.ins, script.doc_offset(word.start))
            prefix = script.clean[seg.start : word.start]
            for m in _ASSIGNED.finditer(prefix):
                start, end = seg.start + m.start(2), seg.start + m.end(2)
                value = m.group(2).strip("\"'")
                if value == "${" + _WANTED[m.group(1)][1:] + "}":
                    value = _WANTED[m.group(1)]  # GOOS=${TARGETOS} says the same
                if "$" in value and value != _WANTED[m.group(1)]:
                    return UNREADABLE.format(stage=stage.label)
                if end > start and script.doc_offset(end - 1) - script.doc_offset(start) != end - start - 1:
                    return UNREADABLE.format(stage=stage.label)  # a line continuation inside the value
                at = script.doc_offset(start) if end > start else script.doc_offset(start - 1) + 1
                build.values[m.group(1)] = (value, Span(at, at + (end - start)))
            if _CGO_FLAGS.search(script.clean[word.start : seg.end]):
                return CGO.format(stage=stage.label, why="a -race/-msan/-asan or external-linking build")
            out.append(build)
    return out


def go_builds(doc: Dockerfile, stage: Stage) -> list[GoBuild] | str:
    """Every go build of the stage, or why one of them cannot be edited."""
    out: list[GoBuild] = []
    for ins in stage.instructions:
        if ins.cmd != "run":
            continue
        text = doc.text[ins.args_span.start : ins.span.end]
        if not _GO_BUILD_TEXT.search(text):
            continue
        script = run_script(doc, ins)
        if script is None:
            return UNREADABLE.format(stage=stage.label)
        found = _script_builds(doc, stage, script)
        if isinstance(found, str):
            return found
        out += found
    return out


# Where the setup RUN leaves the target for the cargo RUNs after it (a RUN's environment ends with it).
RUST_ENV_FILE = "/tmp/rust-target.env"
# TARGETARCH+TARGETVARIANT -> the Rust triple, the GNU triple of Debian's cross gcc, the Debian architecture.
RUST_TARGETS = (
    ("amd64*", "x86_64-unknown-linux-gnu", "x86_64-linux-gnu", "amd64"),
    ("arm64*", "aarch64-unknown-linux-gnu", "aarch64-linux-gnu", "arm64"),
    ("arm|armv7", "armv7-unknown-linux-gnueabihf", "arm-linux-gnueabihf", "armhf"),
    ("386", "i686-unknown-linux-gnu", "i686-linux-gnu", "i386"),
    ("ppc64le", "powerpc64le-unknown-linux-gnu", "powerpc64le-linux-gnu", "ppc64el"),
    ("s390x", "s390x-unknown-linux-gnu", "s390x-linux-gnu", "s390x"),
    ("riscv64", "riscv64gc-unknown-linux-gnu", "riscv64-linux-gnu", "riscv64"),
)
_TARGET_VALUES = ("$RUST_TARGET", "${RUST_TARGET}")
# Flags and variables that move cargo's artifacts away from ./target/<profile>/ (or pick the target).
_CARGO_PLACES = ("--target-dir", "--manifest-path", "--out-dir", "--artifact-dir")
_CARGO_VARS = ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET", "CARGO_BUILD_TARGET_DIR")


@dataclass(slots=True)
class RustBuild:
    """One ``cargo build``/``cargo install``: where to source the target, where ``--target`` goes, and
    (for a build) the profile folder its artifacts land in and where the copy back goes."""

    ins: Instruction
    script_at: int  # document offset of the RUN's first command
    flag_at: int  # document offset right after the subcommand word
    profile: str | None  # "release", "debug", a custom profile; None for cargo install
    end_at: int  # document offset after the command (before its separator)
    targeted: bool = False  # it builds for --target "$RUST_TARGET" already


def _cargo_build(script: RunScript, cmd: Command, stage: Stage, end_at: int) -> RustBuild | str:
    words = cmd.args
    if words and words[0].value.startswith("+"):
        words = words[1:]  # cargo +nightly build
    sub, args = words[0].value, [w.value for w in words[1:]]
    why = None
    if sub == "zigbuild":
        why = "cargo zigbuild picks its own targets"
    elif any(a.split("=", 1)[0] in _CARGO_PLACES for a in args):
        why = "--target-dir/--manifest-path put the artifacts elsewhere than ./target/"
    elif any(a.split("=", 1)[0] in _CARGO_VARS for a in cmd.assignments):
        why = "CARGO_TARGET_DIR/CARGO_BUILD_TARGET set on the command"
    targeted = False
    for i, a in enumerate(args):
        if a == "--target" or a.startswith("--target="):
            value = a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
            if value not in _TARGET_VALUES:
                why = f"it builds for --target {value} already"
            targeted = True
    if why is not None:
        return RUST_UNREADABLE.format(stage=stage.label, why=why)
    profile: str | None = None
    if sub == "build":
        profile = "debug"
        for i, a in enumerate(args):
            if a in ("--release", "-r"):
                profile = "release"
            elif a == "--profile" or a.startswith("--profile="):
                name = a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
                profile = {"dev": "debug", "test": "debug", "bench": "release"}.get(name, name)
        if not re.fullmatch(r"[A-Za-z0-9_-]+", profile):
            return RUST_UNREADABLE.format(stage=stage.label, why=f"a profile it cannot read ({profile})")
    return RustBuild(script.ins, script.doc_start(script.segments[0]), script.doc_offset_after(words[0]), profile,
                     end_at, targeted)


def rust_builds(doc: Dockerfile, stage: Stage) -> list[RustBuild] | str:
    """Every cargo build/install of the stage, or why one of them cannot be cross-compiled."""
    out: list[RustBuild] = []
    for env in stage.envs + stage.args:
        if env.name in _CARGO_VARS and _CARGO_TEXT.search(doc.text[stage.span.start : stage.span.end]):
            return RUST_UNREADABLE.format(stage=stage.label, why=f"{env.kind.upper()} {env.name}")
    for ins in stage.instructions:
        if ins.cmd != "run" or not _CARGO_TEXT.search(doc.text[ins.args_span.start : ins.span.end]):
            continue
        script = run_script(doc, ins)
        # A trailing backslash at the end of the shell text makes the tokenizer's last word end past
        # the text (and its offset map): no exact place for the edits.
        if (script is None or script.json or len(script.offsets) != len(script.clean)
                or any(seg.end > len(script.clean) for seg in script.segments)):
            return RUST_UNREADABLE.format(stage=stage.label, why="exec form, heredoc or shell syntax it does not read")
        for seg in script.segments:
            for cmd in seg.pipeline:
                words = [w for w in cmd.args if not w.value.startswith("+")][:1]
                if cmd.prog != "cargo" or not words or words[0].value not in ("build", "install", "zigbuild"):
                    continue
                if len(seg.pipeline) > 1 or seg.redirects:
                    return RUST_UNREADABLE.format(stage=stage.label, why="cargo in a pipeline or with a redirection")
                found = _cargo_build(script, cmd, stage, script.doc_end(seg))
                if isinstance(found, str):
                    return found
                out.append(found)
    return out


def _rust_setup(kw: Callable[[str], str], indent: str, esc: str, nl: str) -> str:
    """The RUN that readies the target: its triple, rustup's standard library for it and, for a
    foreign target, Debian's cross gcc and libc; the cargo RUNs read the result from RUST_ENV_FILE."""
    cont = f" {esc}{nl}{indent}"
    arms = "".join(
        f"{cont}      {pattern}) rust={rust} gnu={gnu} deb={deb} ;;" for pattern, rust, gnu, deb in RUST_TARGETS
    )
    return (
        f"{indent}# The Rust target of TARGETARCH; its cross linker and C library (apt) when not this machine's{nl}"
        f'{indent}{kw("RUN")} case "$TARGETARCH$TARGETVARIANT" in{arms}'
        f'{cont}      *) echo "no Rust target for linux/$TARGETARCH$TARGETVARIANT" >&2; exit 1 ;;'
        f"{cont}    esac"
        f'{cont} && rustup target add "$rust"'
        f'{cont} && if [ "$(dpkg --print-architecture)" != "$deb" ]; then'
        f"{cont}      apt-get update"
        f'{cont}      && apt-get install -y --no-install-recommends "gcc-$(echo "$gnu" | tr _ -)" "libc6-dev-$deb-cross"'
        f"{cont}      && rm -rf /var/lib/apt/lists/*;"
        f"{cont}    fi"
        f'{cont} && echo "export RUST_TARGET=$rust CARGO_TARGET_$(echo "$rust" | tr a-z- A-Z_)_LINKER=$gnu-gcc"'
        f" >{RUST_ENV_FILE}{nl}"
    )


def _rust_copy_back(profile: str) -> str:
    """After a cargo build for $RUST_TARGET: its artifacts where a build without --target leaves them."""
    return (f" && mkdir -p target/{profile} && find \"target/$RUST_TARGET/{profile}\" -maxdepth 1 -type f"
            f" -exec cp -p -t target/{profile}/ {{}} +")


def _installed_dev_packages(doc: Dockerfile, stages: list[Stage]) -> list[str]:
    out: list[str] = []
    for stage in stages:
        for ins in stage.instructions:
            if ins.cmd != "run":
                continue
            for cmd in commands_in(doc.text[ins.args_span.start : ins.span.end], ("apt",)):
                words = [v for v in cmd.values() if not v.startswith("-")]
                if cmd.prog in ("apt-get", "apt") and words and words[0] == "install":
                    out += [w for w in words[1:] if w.split("=")[0].endswith(("-dev", "-devel", "-headers"))
                            and w.split("=")[0] not in _CROSS_PROVIDED]
    return out


def _needs_cgo(doc: Dockerfile, stages: list[Stage]) -> str | None:
    """What in these stages asks for cgo, or None."""
    for stage in stages:
        for env in stage.envs + stage.args:
            if env.name == "CGO_ENABLED" and (env.value or "").strip("\"'") not in ("0", ""):
                return f"{env.kind.upper()} CGO_ENABLED={env.value}"
        for ins in stage.instructions:
            if ins.cmd != "run":
                continue
            text = doc.text[ins.args_span.start : ins.span.end]
            for m in re.finditer(r"\bCGO_ENABLED=([^\s;&|]*)", text):
                if m.group(1).strip("\"'") != "0":
                    return m.group(0)
            for cmd in commands_in(text, ("apt", "apk", "yum", "dnf")):
                words = [v for v in cmd.values() if not v.startswith("-")]
                if cmd.prog not in ("apt-get", "apt", "apk", "yum", "dnf", "microdnf") or not words:
                    continue
                if words[0] not in ("install", "add"):
                    continue
                c_deps = [w for w in words[1:] if re.split(r"[=<>~]", w)[0] in _C_PACKAGES or is_dev_package(w)]
                if c_deps:
                    return f"installs {', '.join(c_deps)}"
    return None


def chain_roots(doc: Dockerfile) -> list[int]:
    """For every stage, the index of the first stage of its FROM chain (itself when it names an
    image). A stage is built only FROM earlier ones, so one pass in order does it, however long the
    chains (stage_chain per stage would be quadratic on a file of thousands of chained stages)."""
    roots: list[int] = []
    for stage in doc.stages:
        base = base_stage(stage, doc)
        roots.append(roots[base.index] if base is not None and base.index < stage.index else stage.index)
    return roots


def families(doc: Dockerfile, roots: list[int]) -> dict[int, list[Stage]]:
    """By root index, the stages whose FROM chain starts there (root included): they all take its
    platform."""
    out: dict[int, list[Stage]] = {}
    for stage in doc.stages:
        out.setdefault(roots[stage.index], []).append(stage)
    return out


@dataclass(slots=True)
class _Root:
    stage: Stage
    builders: list[tuple[Stage, list[GoBuild]]]
    rust: list[tuple[Stage, list[RustBuild]]] = field(default_factory=list)
    frontends: list[Stage] = field(default_factory=list)  # Node stages that bundle a front end

    def first_label(self) -> str:
        if self.builders:
            return self.builders[0][0].label
        return self.rust[0][0].label if self.rust else self.frontends[0].label


def bundles_frontend(doc: Dockerfile, stage: Stage) -> bool:
    """Whether a RUN of the stage runs a front-end build (``npm run build``, ``vite build``…)."""
    for ins in stage.instructions:
        if ins.cmd != "run":
            continue
        text = doc.text[ins.args_span.start : ins.span.end]
        if _PACKAGE_RUNNER.search(text) and _BUNDLE_TEXT.search(text):
            return True
    return False


def is_bundle_path(path: str) -> bool:
    """Whether a COPY --from source names front-end output only (``/app/dist``, ``build/``, ``x.js``)."""
    parts = [p for p in path.strip().rstrip("/").split("/") if p not in ("", ".")]
    if not parts or "node_modules" in parts or "standalone" in parts or path.endswith(".node"):
        return False
    return parts[-1] in _BUNDLE_DIRS or any(p in _BUNDLE_DIRS for p in parts[:-1]) or bool(
        _STATIC_FILE.search(parts[-1])
    )


def _roots(doc: Dockerfile) -> list[_Root]:
    """The chains to move, each with the stages that run go build or cargo in it. A stage this
    refactoring cannot handle (go install, an unreadable RUN) refuses it for its own chain only: a
    chain that does not move keeps building as it did."""
    builders: list[tuple[Stage, list[GoBuild] | list[RustBuild]]] = []
    refused: list[tuple[Stage, str]] = []
    for stage in doc.stages:
        found = go_builds(doc, stage)
        if isinstance(found, str):
            refused.append((stage, found))
        elif found:
            builders.append((stage, found))
        else:
            cargo = rust_builds(doc, stage)
            if isinstance(cargo, str):
                refused.append((stage, cargo))
            elif cargo:
                builders.append((stage, cargo))
    chain_root = chain_roots(doc)
    final = doc.final_stage
    assert final is not None
    go_or_rust = {chain_root[s.index] for s, _ in builders}
    frontends = [
        s for s in doc.stages
        if chain_root[s.index] != chain_root[final.index] and chain_root[s.index] not in go_or_rust
        and _is_node_chain(doc, doc.stages[chain_root[s.index]]) and bundles_frontend(doc, s)
    ]
    if not builders and not frontends:
        raise NotApplicable(refused[0][1] if refused else NO_BUILD)
    moving = go_or_rust | {chain_root[s.index] for s in frontends}
    for stage, reason in refused:
        if chain_root[stage.index] in moving:
            raise NotApplicable(reason)
    roots: dict[int, _Root] = {}
    for stage in frontends:
        root = doc.stages[chain_root[stage.index]]
        roots.setdefault(root.index, _Root(root, [])).frontends.append(stage)
    for stage, builds in builders:
        root = doc.stages[chain_root[stage.index]]
        if chain_root[final.index] == root.index:
            raise NotApplicable(FINAL.format(stage=stage.label))
        entry = roots.setdefault(root.index, _Root(root, []))
        if builds and isinstance(builds[0], RustBuild):
            entry.rust.append((stage, [b for b in builds if isinstance(b, RustBuild)]))
        else:
            entry.builders.append((stage, [b for b in builds if isinstance(b, GoBuild)]))
    return sorted(roots.values(), key=lambda r: r.stage.index)


def _is_node_chain(doc: Dockerfile, root: Stage) -> bool:
    facts = facts_for_stage(doc, root)
    return facts is not None and facts.toolchain == "node"


def _check_root(doc: Dockerfile, family: list[Stage], copies: list[tuple[Stage, CopyFrom]], root: _Root) -> None:
    """Why the root's chain cannot move to the build platform, raised; ``copies``: the COPY --from of
    other chains that read from this one."""
    stage = root.stage
    label = root.first_label()
    if stage.platform is not None and constant_platform_span(doc, stage) is None:
        raise NotApplicable(PLATFORM_SET.format(stage=stage.label))
    if is_windows(doc, stage):
        raise NotApplicable(WINDOWS.format(stage=label))
    for other, cf in copies:
        assert cf.stage is not None
        for src in cf.instruction.args[:-1]:
            if _NATIVE_FILE.search(src.value):
                raise NotApplicable(NATIVE_FILES.format(stage=other.label, path=src.value, source=cf.stage.label))
    if root.frontends:
        for other, cf in copies:
            assert cf.stage is not None
            for src in cf.instruction.args[:-1]:
                if not is_bundle_path(src.value):
                    raise NotApplicable(FRONTEND_OUTPUT.format(stage=other.label, path=src.value,
                                                               source=cf.stage.label))
        if not copies:
            raise NotApplicable(NO_BUILD)  # nothing uses its output: moving it changes nothing that ships
        return
    facts = facts_for_stage(doc, stage)
    if root.rust:
        if facts is not None and facts.toolchain == "rust" and facts.libc == "musl":
            raise NotApplicable(RUST_MUSL.format(stage=stage.label))
        if (facts is None or facts.toolchain != "rust" or facts.package_manager != "apt"
                or "rustup" not in facts.tools or root.builders):
            raise NotApplicable(NOT_RUST_IMAGE.format(stage=stage.label))
        dev = _installed_dev_packages(doc, family)
        if dev:
            raise NotApplicable(RUST_C_LIBS.format(stage=label, packages=", ".join(dev)))
        return
    if facts is None or facts.toolchain != "go":
        raise NotApplicable(NOT_GO_IMAGE.format(stage=stage.label))
    why = _needs_cgo(doc, family)
    if why is not None:
        raise NotApplicable(CGO.format(stage=label, why=why))
    env_off = any(e.name == "CGO_ENABLED" and (e.value or "").strip("\"'") == "0" for s in family for e in s.envs)
    if env_off or all("CGO_ENABLED" in b.values for _, builds in root.builders for b in builds):
        return  # the build says it is cgo-free
    if not doc.context_dir:
        raise NotApplicable(CGO_UNKNOWN)
    if not cgo_free(context_for(doc)):
        raise NotApplicable(CGO_SOURCES)


def constant_platform_span(doc: Dockerfile, stage: Stage) -> Span | None:
    """Where the stage's constant ``--platform=linux/amd64`` value is written (None when it has no
    --platform, a variable one, a quoted one or not a valid platform): the value BuildKit's
    FromPlatformFlagConstDisallowed reports, and that this refactoring turns into $BUILDPLATFORM."""
    flag = stage.platform
    if flag is None or not flag.value or "$" in flag.value or flag.value_span is None:
        return None
    if doc.text[flag.value_span.start : flag.value_span.end] != flag.value or parse_platform(flag.value) is None:
        return None
    return flag.value_span


def _bases(doc: Dockerfile, stage: Stage) -> list[Stage]:
    """The stages ``stage`` is built FROM, nearest first."""
    out: list[Stage] = []
    base = base_stage(stage, doc)
    while base is not None and base.index < stage.index and base not in out:
        out.append(base)
        base = base_stage(base, doc)
    return out


def _rust_setup_edit(doc: Dockerfile, stage: Stage, first_cargo: Instruction, kw: Callable[[str], str], nl: str) -> Edit:
    """ARG TARGETARCH TARGETVARIANT (what is not declared yet) and the set-up RUN, before the stage's
    first COPY/ADD: the set-up depends on the target only, so a change of the sources does not
    install the cross toolchain again."""
    run = next((i for i in stage.instructions if i.cmd in ("copy", "add") and i.span.start < first_cargo.span.start),
               first_cargo)
    missing = [n for n in ("TARGETARCH", "TARGETVARIANT") if not _declared_before(stage, n, run.span.start)]
    at = comment_block_start(doc, run)
    indent = indentation(doc, run.keyword_span.start)
    arg = f"{indent}{kw('ARG')} {' '.join(missing)}{nl}" if missing else ""
    return Edit(Span(at, at), arg + _rust_setup(kw, indent, doc.escape, nl))


def _declared_before(stage: Stage, name: str, offset: int) -> bool:
    return any(a.name == name and a.instruction.span.start < offset for a in stage.args)


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult:
    if not doc.stages:
        raise NotApplicable(NO_STAGE)
    if doc.parsed.errors or any(ins.error for ins in doc.instructions) or any(s.error for s in doc.stages):
        raise NotApplicable(SYNTAX)
    roots = _roots(doc)
    chain_root = chain_roots(doc)
    family = families(doc, chain_root)
    # Per chain, what the other chains copy out of it (one pass, not one per chain).
    copied: dict[int, list[tuple[Stage, CopyFrom]]] = {}
    for other in doc.stages:
        for cf in other.copies_from:
            if cf.stage is not None and chain_root[cf.stage.index] != chain_root[other.index]:
                copied.setdefault(chain_root[cf.stage.index], []).append((other, cf))
    kept: list[_Root] = []
    for root in roots:
        try:
            _check_root(doc, family[root.stage.index], copied.get(root.stage.index, []), root)
        except NotApplicable:
            # A front end that cannot move stays where it is while a Go or Rust builder moves.
            if root.builders or root.rust or not any(r.builders or r.rust for r in roots):
                raise
            continue
        kept.append(root)
    roots = kept
    kw = keyword_case(doc)
    nl = doc.line_ending
    edits: list[Edit] = []
    for root in roots:
        ins = root.stage.from_instruction
        constant = constant_platform_span(doc, root.stage)
        if constant is not None:
            # --platform=linux/amd64 pinned the builder (and its output) to one platform.
            edits.append(Edit(constant, PLATFORM_FLAG.split("=", 1)[1]))
        else:
            first = min([f.span.start for f in ins.flags] + [a.span.start for a in ins.args])
            edits.append(Edit(Span(first, first), PLATFORM_FLAG + " "))
        env_off = any(
            e.name == "CGO_ENABLED" and (e.value or "").strip("\"'") == "0"
            for s in family[root.stage.index]
            for e in s.envs
        )
        for stage, builds in root.builders:
            run = builds[0].ins
            missing = [n for n in ("TARGETOS", "TARGETARCH") if not _declared_before(stage, n, run.span.start)]
            if missing:
                at = comment_block_start(doc, run)
                indent = indentation(doc, run.keyword_span.start)
                edits.append(Edit(Span(at, at), f"{indent}{kw('ARG')} {' '.join(missing)}{nl}"))
            for build in builds:
                added: list[str] = []
                for name in _VARS:
                    want = _WANTED[name]
                    if name in build.values:
                        value, where = build.values[name]
                        if value != want:
                            edits.append(Edit(where, want))
                    elif not (name == "CGO_ENABLED" and env_off):
                        added.append(f"{name}={want}")
                if added:
                    edits.append(Edit(Span(build.go_at, build.go_at), " ".join(added) + " "))
        prepared: set[int] = set()  # stages whose filesystem has RUST_ENV_FILE (their own set-up or a base's)
        for stage, cargo in sorted(root.rust, key=lambda entry: entry[0].index):
            # A stage built FROM one that ran the set-up has the file already: no second apt install.
            if not any(s.index in prepared for s in _bases(doc, stage)):
                edits.append(_rust_setup_edit(doc, stage, cargo[0].ins, kw, nl))
            prepared.add(stage.index)
            sourced: set[int] = set()
            for step in cargo:
                if step.script_at not in sourced:
                    sourced.add(step.script_at)
                    edits.append(Edit(Span(step.script_at, step.script_at), f". {RUST_ENV_FILE} && "))
                if not step.targeted:
                    edits.append(Edit(Span(step.flag_at, step.flag_at), ' --target "$RUST_TARGET"'))
                if step.profile is not None:
                    edits.append(Edit(Span(step.end_at, step.end_at), _rust_copy_back(step.profile)))
    edits.sort(key=lambda e: e.span.start)
    compiled = ", ".join(dict.fromkeys([s.label for r in roots for s, _ in r.builders] + [s.label for r in roots for s, _ in r.rust]))
    bundled = ", ".join(dict.fromkeys(s.label for r in roots for s in r.frontends))
    target = "$TARGETOS/$TARGETARCH" if any(r.builders for r in roots) else "$TARGETARCH"
    parts = [f"Cross-compile {compiled} on $BUILDPLATFORM for {target}"] if compiled else []
    if bundled:
        parts.append(f"{'build' if parts else 'Build'} the front-end stage {bundled} on $BUILDPLATFORM (its bundle is the same on every platform)")
    return RefactorResult("; ".join(parts), edits)


REFACTORING = Refactoring(
    kind=KIND, title=TITLE, plan=plan, resolves=("DL3029", "FromPlatformFlagConstDisallowed")
)
