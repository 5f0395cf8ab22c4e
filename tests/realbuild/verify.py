"""Build and run every sample app before and after every refactoring (``make verify-builds``).

For each app under ``apps/`` (a single-stage Dockerfile, its sources and a ``verify.toml``) and each
variant (the original, each refactoring alone, the three chained, ``fix --all``) this:

1. copies the app to a work folder and applies the variant with the product's own CLI
   (``dockerfile-refactor-ls fix --action NAME --write`` / ``fix --all --write``), as a user would;
2. parses the result with BuildKit's parser (the test oracle) and checks every image it names
   against the local stand-ins: a missing image would make BuildKit try a registry;
3. builds it (``--network=host``), runs it (``--network=none``; an HTTP app is probed from inside
   its own network namespace) and compares what it does with what the original did;
4. checks what the refactoring promises: splitStages a smaller image, nonRootUser ``id -u`` ≠ 0,
   cacheDependencies a dependency install taken from the cache after a source-only change, where
   the original re-ran it, versionArg the same base images (its ARG defaults resolve to the old tags), pinBaseImage
   no `latest` left, cacheMounts pip's downloads read from the cache mount on a rebuild (unverifiable
   where pip caches nothing, see docs/verification.md), testStage
   ``--target test`` running the tests, debugStage ``--target debug`` with a working ``sh`` and ``ps``
   (and the default image with the layers of ``--target <runtime>``), crossPlatformBuilder arm64
   binaries from a ``--platform linux/arm64`` build of the builder.

A case is ``pass``, ``fail`` or ``unverifiable`` (something this machine's 20.10 frontend cannot
build: never counted as passing); an action not offered is ``not offered``, and fails the run where
the app's ``verify.toml`` says it must apply. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .docker import BuildResult, Docker, build_steps, default_dir
from .images import ImageMaker, load_specs

HERE = Path(__file__).parent
APPS = HERE / "apps"
REPO = HERE.parent.parent
DOCS = REPO / "docs" / "verification.md"
ACTIONS = ("splitStages", "cacheDependencies", "nonRootUser", "versionArg", "pinBaseImage", "cacheMounts", "addDockerignore",
           "testStage", "debugStage", "nameStages", "crossPlatformBuilder")
VARIANTS = ("original", *ACTIONS, "chain", "fixAll")
# A build that went looking for an image in a registry (none is reachable: no stand-in for it).
NEEDS_REGISTRY = re.compile(r"failed to do request: \w+ \"https://|registry-1\.docker\.io|pull access denied")
# The mount check cannot be decided where pip writes nothing to its cache.
PIP_STORED_NOTHING = ("pip stored nothing in /root/.cache/pip: the package index's responses carry no "
                      "cache headers on this machine, so pip keeps no downloads for any mount to hold")
# crossPlatformBuilder is checked by building for this platform (not this machine's) and reading the
# ELF header of what the builder wrote: e_machine 0xB7 is AArch64, 0x3E x86-64.
CROSS_PLATFORM = "linux/arm64"
ELF_MACHINES = {0x3E: "amd64", 0xB7: "arm64"}
EXPECTATIONS = ("must", "may", "not")
TABLE_BEGIN = "<!-- verify-builds table: begin (make verify-builds UPDATE_DOCS=1 rewrites it) -->"
TABLE_END = "<!-- verify-builds table: end -->"

# What the 20.10 daemon's built-in frontend (about Dockerfile 1.3) cannot build. Detected before the
# build from BuildKit's own parse, and afterwards from the error the frontend gives.
UNBUILDABLE_FLAGS = {
    "COPY": ("link", "exclude", "parents"),
    "ADD": ("link", "exclude", "checksum", "keep-git-dir", "parents"),
    "RUN": ("network", "security"),
}
FRONTEND_LIMIT = re.compile(
    r"unknown flag: |dockerfile parse error.*(heredoc|<<)|failed to resolve source metadata for docker\.io/docker/dockerfile",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------------
# Sample apps


@dataclass
class RunSpec:
    output: str | None = None
    port: int | None = None
    paths: list[str] = field(default_factory=list)
    contains: str | None = None


@dataclass
class App:
    name: str
    path: Path
    description: str
    run: RunSpec
    expect: dict[str, str]
    cache_install: str | None = None
    cache_touch: str | None = None


def load_app(path: Path) -> App:
    data = tomllib.loads((path / "verify.toml").read_text())
    run = data.get("run", {})
    http = run.get("http")
    spec = RunSpec(
        output=run.get("output"),
        port=http["port"] if http else None,
        paths=list(http["paths"]) if http else [],
        contains=run.get("contains"),
    )
    if (spec.output is None) == (spec.port is None):
        raise ValueError(f"{path.name}/verify.toml: [run] needs exactly one of output= or http=")
    expect = {a: data.get("expect", {}).get(a, "may") for a in ACTIONS}
    for action, value in expect.items():
        if value not in EXPECTATIONS:
            raise ValueError(f"{path.name}/verify.toml: [expect] {action} = {value!r}, not one of {EXPECTATIONS}")
    cache = data.get("cache", {})
    if expect["cacheDependencies"] == "must" and not cache.get("install"):
        raise ValueError(f"{path.name}/verify.toml: cacheDependencies = 'must' needs [cache] install= and touch=")
    return App(path.name, path, data.get("description", ""), spec, expect, cache.get("install"), cache.get("touch"))


def load_apps(root: Path = APPS, only: Iterable[str] = ()) -> list[App]:
    wanted = set(only)
    apps = [load_app(p) for p in sorted(root.iterdir()) if (p / "verify.toml").is_file()]
    return [a for a in apps if not wanted or a.name in wanted]


# ---------------------------------------------------------------------------------------------------
# Before building: BuildKit's parse, and the images the Dockerfile names


_VAR = re.compile(r"\$(?:\{(\w+)(?::?[-+]([^}]*))?\}|(\w+))")


def _expand(text: str, values: dict[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(3)
        if name in values and values[name] != "":
            return values[name]
        return m.group(2) or ""

    return _VAR.sub(repl, text)


def normalise_image(ref: str) -> str:
    """``docker.io/library/node`` → ``node:latest``: the form ``docker image ls`` prints."""
    name = ref.split("@", 1)[0]
    for prefix in ("docker.io/library/", "index.docker.io/library/", "docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:latest"


@dataclass
class Preflight:
    parse_error: str | None = None
    images: list[str] = field(default_factory=list)
    unbuildable: list[str] = field(default_factory=list)


def preflight(text: str) -> Preflight:
    """BuildKit's parse of ``text``: the external images it needs and what 20.10 cannot build."""
    import dockerfile  # BuildKit's own parser (PyPI ``dockerfile``), the project's test oracle

    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return Preflight(parse_error=str(exc))
    result = Preflight()
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if re.match(r"#\s*syntax\s*=", first, re.IGNORECASE):
        result.unbuildable.append("a # syntax= directive (needs an external frontend image)")
    global_args: dict[str, str] = {}
    stages: set[str] = set()
    seen_from = False
    for cmd in commands:
        keyword = cmd.cmd.upper()
        if cmd.heredocs:
            result.unbuildable.append(f"a heredoc in {keyword} (line {cmd.start_line})")
        for flag in cmd.flags:
            name = flag.lstrip("-").split("=", 1)[0]
            if name in UNBUILDABLE_FLAGS.get(keyword, ()):
                result.unbuildable.append(f"{keyword} --{name} (line {cmd.start_line})")
        if keyword == "ARG" and not seen_from:
            for decl in cmd.value:
                key, _, default = decl.partition("=")
                global_args[key] = default.strip("\"'")
        elif keyword == "FROM":
            seen_from = True
            image = _expand(cmd.value[0], global_args)
            if image.lower() != "scratch" and image not in stages:
                result.images.append(normalise_image(image))
            if len(cmd.value) >= 3 and cmd.value[1].upper() == "AS":
                stages.add(cmd.value[2])
        for flag in cmd.flags:
            for source in _flag_sources(keyword, flag):
                if source not in stages and not source.isdigit():
                    result.images.append(normalise_image(source))
    result.images = sorted(set(result.images))
    return result


def _flag_sources(keyword: str, flag: str) -> list[str]:
    if keyword in ("COPY", "ADD") and flag.startswith("--from="):
        return [flag.split("=", 1)[1]]
    if keyword == "RUN" and flag.startswith("--mount="):
        opts = dict(part.partition("=")[::2] for part in flag.split("=", 1)[1].split(","))
        return [opts["from"]] if opts.get("from") else []
    return []


# ---------------------------------------------------------------------------------------------------
# Applying a variant with the product's CLI


@dataclass
class Applied:
    offered: bool
    actions: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_refactor_ls", *args],
        cwd=cwd, text=True, capture_output=True, timeout=120,
    )


def apply_variant(variant: str, work: Path) -> Applied:
    dockerfile = work / "Dockerfile"
    if variant == "original":
        return Applied(True)
    if variant == "fixAll":
        before = dockerfile.read_text()
        out = _cli("fix", "--all", "--write", "Dockerfile", cwd=work)
        if out.returncode not in (0, 1):
            raise RuntimeError(f"fix --all crashed: {out.stderr.strip()[-500:]}")
        changed = dockerfile.read_text() != before
        return Applied(changed, ["fixAll"] if changed else [], [] if changed else ["no safe fix applies"])
    applied = Applied(False)
    for action in ACTIONS if variant == "chain" else (variant,):
        out = _cli("fix", "--action", action, "--write", "Dockerfile", cwd=work)
        if out.returncode == 0 and ("rewritten" in out.stderr or "created" in out.stderr):
            applied.offered = True
            applied.actions.append(action)
        elif out.returncode in (0, 1):
            reason = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "changed nothing"
            applied.reasons.append(reason.split(": ", 1)[-1])
        else:
            raise RuntimeError(f"fix --action {action} crashed: {out.stderr.strip()[-500:]}")
    return applied


# ---------------------------------------------------------------------------------------------------
# Building, running, comparing


@dataclass
class Behaviour:
    ok: bool
    observed: list[str]
    detail: str = ""


@dataclass
class Case:
    app: str
    variant: str
    verdict: str = ""  # pass | fail | unverifiable | not offered
    actions: list[str] = field(default_factory=list)
    detail: str = ""
    size: int | None = None
    ratio: float | None = None
    build_seconds: float | None = None
    uid: str | None = None
    cache: str | None = None


class Verifier:
    def __init__(self, docker: Docker, state: Path, log: bool = True) -> None:
        self.docker = docker
        self.state = state
        self.work_root = state / "work"
        self.verbose = log
        self.local_images = self._local_images()
        self.original: dict[str, tuple[Behaviour, int, str | None]] = {}
        self.original_images: dict[str, list[str]] = {}  # the images each original FROM resolves to

    def _local_images(self) -> set[str]:
        out = self.docker._run("image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
        return {line.strip() for line in out.stdout.splitlines() if "<none>" not in line}

    def say(self, text: str) -> None:
        if self.verbose:
            print(text, file=sys.stderr, flush=True)

    def workdir(self, app: App, variant: str) -> Path:
        work = self.work_root / app.name / variant
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(app.path, work, ignore=shutil.ignore_patterns("verify.toml"))
        return work

    def behaviour(self, app: App, image: str) -> Behaviour:
        if app.run.output is not None:
            out = self.docker.run_output(image)
            if not out.ok:
                return Behaviour(False, [out.output], f"run failed ({out.detail}): {out.output[-300:]}")
            if app.run.output not in out.output:
                return Behaviour(False, [out.output], f"output lacks {app.run.output!r}: {out.output[-300:]!r}")
            return Behaviour(True, [out.output])
        assert app.run.port is not None
        http = self.docker.http(image, app.run.port, app.run.paths)
        if not http.ok:
            return Behaviour(False, http.bodies, http.detail)
        if app.run.contains and not any(app.run.contains in body for body in http.bodies):
            return Behaviour(False, http.bodies, f"no answer contains {app.run.contains!r}")
        return Behaviour(True, http.bodies)

    def verify(self, app: App, variant: str) -> Case:
        case = Case(app.name, variant)
        work = self.workdir(app, variant)
        applied = apply_variant(variant, work)
        case.actions = applied.actions
        expect = app.expect.get(variant)
        if not applied.offered:
            case.verdict, case.detail = "not offered", "; ".join(applied.reasons)
            if expect == "must":
                case.verdict, case.detail = "fail", f"must apply but not offered: {case.detail}"
            return case
        if expect == "not":
            case.verdict, case.detail = "fail", "offered where the sample says an expert would not apply it"
            return case
        text = (work / "Dockerfile").read_text()
        pre = preflight(text)
        if pre.parse_error:
            case.verdict, case.detail = "fail", f"BuildKit's parser rejects the output: {pre.parse_error}"
            return case
        missing = [i for i in pre.images if i not in self.local_images]
        if pre.unbuildable or missing:
            reasons = pre.unbuildable + [f"no local stand-in for {i}" for i in missing]
            case.verdict, case.detail = "unverifiable", "; ".join(reasons)
            if variant == "original":
                case.verdict = "fail"  # a sample must be buildable here, or it proves nothing
            return case
        tag = f"drls-verify/{app.name}:{variant.lower()}"
        build = self.docker.build(work, work / "Dockerfile", tag)
        case.build_seconds = round(build.seconds, 1)
        if not build.ok:
            limit = FRONTEND_LIMIT.search(build.log)
            case.verdict = "unverifiable" if limit and variant != "original" else "fail"
            case.detail = f"build failed: {_last_error(build)}"
            return case
        case.size = self.docker.size(tag)
        seen = self.behaviour(app, tag)
        case.uid = self.docker.uid(tag)
        if variant == "original":
            case.cache = self.cache_check(app, work, tag) if app.cache_install else None
            self.original[app.name] = (seen, case.size, case.cache)
            self.original_images[app.name] = pre.images
            case.verdict = "pass" if seen.ok else "fail"
            case.detail = seen.detail
            return case
        base = self.original.get(app.name)
        if base is None or not base[0].ok:
            case.verdict, case.detail = "fail", "the original did not build and run, so nothing to compare with"
            return case
        problems: list[str] = []
        if not seen.ok:
            problems.append(f"app broken: {seen.detail}")
        elif seen.observed != base[0].observed:
            problems.append(f"behaviour differs: {seen.observed!r} vs original {base[0].observed!r}"[:400])
        case.ratio = round(case.size / base[1], 3) if base[1] else None
        if "splitStages" in applied.actions and case.ratio is not None and case.ratio >= 1:
            problems.append(f"image not smaller after splitStages ({case.ratio:.2f}×)")
        if "nonRootUser" in applied.actions and (not case.uid.isdigit() or case.uid == "0"):
            problems.append(f"runs as uid {case.uid} after nonRootUser")
        if "cacheDependencies" in applied.actions and app.cache_install:
            case.cache = self.cache_check(app, work, tag)
            if case.cache != "cached":
                problems.append(f"dependency install not cached after a source change ({case.cache})")
            elif base[2] == "cached":
                problems.append("the original already kept the install cached: nothing was gained")
        limits: list[str] = []  # what this machine cannot show (the case is then unverifiable)
        if variant == "cacheMounts" and app.cache_install and app.cache_install.startswith("pip"):
            case.cache = self.mount_check(app, work, tag)
            if case.cache == PIP_STORED_NOTHING:
                limits.append(f"cacheMounts: {PIP_STORED_NOTHING}")
            elif case.cache != "from the cache mount":
                problems.append(f"cacheMounts: the rebuild did not read the cache mount ({case.cache})")
        if variant == "pinBaseImage" and not any(":latest" not in i for i in pre.images):
            problems.append(f"pinBaseImage left only latest images: {pre.images}")
        if variant == "versionArg" and pre.images != self.original_images.get(app.name):
            problems.append(f"versionArg changed the base images: {pre.images} vs {self.original_images.get(app.name)}")
        if "testStage" in applied.actions:
            problems += self.test_target(work, tag)
        if "debugStage" in applied.actions:
            problems += self.debug_target(work, tag)
            problems += self.default_is_runtime(work, tag)
        if "crossPlatformBuilder" in applied.actions:
            problems += self.cross_check(work, tag, limits)
        case.verdict = "fail" if problems else "unverifiable" if limits else "pass"
        case.detail = "; ".join(problems or limits)
        return case

    def test_target(self, work: Path, tag: str) -> list[str]:
        """``docker build --target test`` builds, and its test step really ran (not from the cache of
        another stage: it exists only in the test stage)."""
        build = self.docker.build(work, work / "Dockerfile", tag + "-test", target="test")
        if not build.ok:
            return [f"--target test failed: {_last_error(build)}"]
        text = (work / "Dockerfile").read_text()
        m = re.search(r"(?im)^FROM\s+\S+\s+AS\s+test\s*\n(RUN\s+.+)$", text)
        command = " ".join(m.group(1).split()) if m else None
        steps = build_steps(build.log)
        # Taken from the cache only when an identical earlier run of these sources passed.
        ran = [t for t in steps if command and " ".join(t.split()) == command]
        if not ran:
            return [f"--target test did not run {command!r} (steps: {list(steps)[-3:]})"[:300]]
        self.say(f"  --target test ran: {ran[0]}")
        return []

    def debug_target(self, work: Path, tag: str) -> list[str]:
        """``docker build --target debug`` builds, and its image has a shell that lists processes."""
        build = self.docker.build(work, work / "Dockerfile", tag + "-debug", target="debug")
        if not build.ok:
            return [f"--target debug failed: {_last_error(build)}"]
        probe = self.docker.shell(tag + "-debug", "ps >/dev/null && echo debug-shell-ok")
        if not probe.ok or "debug-shell-ok" not in probe.output:
            return [f"--target debug has no working shell: {probe.detail} {probe.output[-200:]!r}"]
        self.say("  --target debug: sh and ps work")
        return []

    def default_is_runtime(self, work: Path, tag: str) -> list[str]:
        """The default target (an empty last stage ``FROM <runtime>``) has the layers of ``--target
        <runtime>``: the debug stage added nothing to the image that ships. (Not compared with the
        original's image: a ``COPY . .`` copies the changed Dockerfile too.)"""
        froms = re.findall(r"(?im)^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+\S+)?\s*$", (work / "Dockerfile").read_text())
        runtime = froms[-1] if froms else ""
        build = self.docker.build(work, work / "Dockerfile", tag + "-runtime", target=runtime)
        if not build.ok:
            return [f"--target {runtime} failed: {_last_error(build)}"]
        # The default target again, from the sources as they are now (cached): an earlier check
        # (the dependency cache's) may have changed a source file since `tag` was built.
        default = self.docker.build(work, work / "Dockerfile", tag + "-default")
        if not default.ok:
            return [f"the default target failed: {_last_error(default)}"]
        if self.docker.layers(tag + "-default") != self.docker.layers(tag + "-runtime"):
            return [f"the default image's layers differ from --target {runtime}'s"]
        return []

    def cross_check(self, work: Path, tag: str, limits: list[str]) -> list[str]:
        """crossPlatformBuilder's promise: asked for another platform, the builder (still on this
        machine's platform, no emulation) writes binaries for that platform. A scratch stage added to
        a copy of the Dockerfile takes what the final stage copies from the builder, and is exported."""
        from dockerfile_refactor_ls.engine.images import stage_chain
        from dockerfile_refactor_ls.engine.model import Dockerfile as Model

        text = (work / "Dockerfile").read_text()
        doc = Model(text)
        final = doc.final_stage
        assert final is not None
        # What the default image copies: its own COPYs and those of the stages it is FROM (an empty
        # `FROM runtime AS release` that testStage or debugStage left last copies nothing itself).
        sources = [
            (cf.flag.value, t.value)
            for st in stage_chain(final, doc)
            for cf in st.copies_from
            if cf.stage is not None and any(s.platform is not None for s in stage_chain(cf.stage, doc))
            for t in cf.instruction.args[:-1]
        ]
        if not sources:
            return ["crossPlatformBuilder: the final stage copies nothing from a stage on $BUILDPLATFORM"]
        nl = "\n" if text.endswith("\n") else "\n\n"
        check = nl.join([text.rstrip("\n"), "FROM scratch AS drls-cross-check"])
        check += "".join(f"\nCOPY --from={stage} {src} /cross/" for stage, src in sources) + "\n"
        # Both outside the build context: a `COPY . .` would copy them, and every later build of
        # this work folder (the default target, --target runtime) would differ from the first.
        scratch = work.parent / f"{work.name}.cross"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        (scratch / "Dockerfile").write_text(check)
        out = scratch / "out"
        build = self.docker.build(
            work, scratch / "Dockerfile", tag + "-cross", target="drls-cross-check",
            platform=CROSS_PLATFORM, output=f"type=local,dest={out}",
        )
        if not build.ok:
            if NEEDS_REGISTRY.search(build.log):
                # A stage still on the target platform (not the builder) needs that platform's image,
                # and the stand-ins exist for this machine's platform only.
                limits.append(f"crossPlatformBuilder: the {CROSS_PLATFORM} build needs an image for that platform, "
                              f"which has no local stand-in: {_last_error(build)[:200]}")
                return []
            return [f"crossPlatformBuilder: the {CROSS_PLATFORM} build failed: {_last_error(build)}"]
        machines: dict[str, str] = {}
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            head = path.read_bytes()[:20]
            if head[:4] == b"\x7fELF":
                machines[path.name] = ELF_MACHINES.get(int.from_bytes(head[18:20], "little"), hex(head[18]))
        wanted = CROSS_PLATFORM.split("/")[1]
        files = sorted(p for p in out.rglob("*") if p.is_file())
        if not machines and files:
            # Only a front-end bundle moved (JS, CSS, HTML): it must be the same bytes as the
            # build machine's own build of it, whatever platform it was built for.
            native_out = scratch / "native"
            native = self.docker.build(work, scratch / "Dockerfile", tag + "-native", target="drls-cross-check",
                                       output=f"type=local,dest={native_out}")
            if not native.ok:
                return [f"crossPlatformBuilder: the native build of the copied files failed: {_last_error(native)}"]
            digest = {p.relative_to(out): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
            native_digest = {p.relative_to(native_out): hashlib.sha256(p.read_bytes()).hexdigest()
                             for p in native_out.rglob("*") if p.is_file()}
            if digest != native_digest:
                differ = sorted(str(k) for k in set(digest) ^ set(native_digest)
                                | {k for k in digest if native_digest.get(k) not in (None, digest[k])})
                return [f"crossPlatformBuilder: the {CROSS_PLATFORM} bundle differs from the native one: {differ[:5]}"]
            self.say(f"  {CROSS_PLATFORM} build: {len(files)} bundle files, the same bytes as the native build")
            return []
        if not machines or set(machines.values()) != {wanted}:
            return [f"crossPlatformBuilder: {CROSS_PLATFORM} build gave binaries for {machines or 'nothing'}"]
        self.say(f"  {CROSS_PLATFORM} build without emulation: {machines}")
        return []

    def cache_check(self, app: App, work: Path, tag: str) -> str:
        """Change only a source file, rebuild, and read whether the install step ran again."""
        assert app.cache_install and app.cache_touch
        source = work / app.cache_touch
        source.write_text(source.read_text() + _comment_line(source, uuid.uuid4().hex))
        build = self.docker.build(work, work / "Dockerfile", tag + "-touched")
        if not build.ok:
            return f"rebuild failed: {_last_error(build)}"
        steps = [(text, cached) for text, cached in build_steps(build.log).items() if app.cache_install in text]
        if not steps:
            return f"no build step runs {app.cache_install!r}"
        # The first such step is the dependency install. cacheDependencies re-runs some installers
        # after the source COPY on purpose, to install the project itself (`uv sync` after
        # `uv sync --no-install-project`, the same for poetry, pdm, composer): that one must re-run.
        def position(step: tuple[str, bool]) -> int:
            m = re.match(r"\[(?:\S+ )?(\d+)/\d+\]", step[0])
            return int(m.group(1)) if m else 0

        return "cached" if min(steps, key=position)[1] else "re-ran"

    def mount_check(self, app: App, work: Path, tag: str) -> str:
        """Change a source file so the install re-runs, rebuild, and read whether pip took its
        downloads from the cache mount (pip says "Using cached" for each one it finds there)."""
        assert app.cache_touch
        source = work / app.cache_touch
        source.write_text(source.read_text() + _comment_line(source, uuid.uuid4().hex))
        build = self.docker.build(work, work / "Dockerfile", tag + "-remount")
        if not build.ok:
            return f"rebuild failed: {_last_error(build)}"
        if "Using cached" in build.log:
            return "from the cache mount"
        if "Downloading" not in build.log:
            return "no download seen"
        # pip keeps a download only when the index's response says it may be cached: where a proxy
        # strips those headers, pip stores nothing and no mount could help. Look into the mount.
        probe = work.parent / f"{work.name}.mount-probe"
        probe.mkdir(parents=True, exist_ok=True)
        base = next((i for i in preflight((work / "Dockerfile").read_text()).images), "python:3.11")
        (probe / "Dockerfile").write_text(
            f"FROM {base}\nRUN --mount=type=cache,target=/root/.cache/pip "
            "echo files=$(find /root/.cache/pip -type f | wc -l)\n"
        )
        listing = self.docker.build(probe, probe / "Dockerfile", tag + "-mount-probe", no_cache=True)
        if listing.ok and re.search(r"files=0\b", listing.log):
            return PIP_STORED_NOTHING
        return "downloaded again"

    def run(self, apps: list[App], variants: Iterable[str], jobs: int = 1) -> list[Case]:
        """Every case, in app order. Apps are independent (their own work folders, tags and, for
        HTTP apps, network namespaces), so ``jobs`` of them are verified at once; an app's own cases
        stay in order (each variant is compared with the original)."""
        order = ("original", *[v for v in variants if v != "original"])

        def one_app(app: App) -> list[Case]:
            out: list[Case] = []
            for variant in order:
                t0 = time.monotonic()
                try:
                    case = self.verify(app, variant)
                except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
                    case = Case(app.name, variant, "fail", detail=f"verification error: {exc}"[:500])
                case.detail = " ".join(case.detail.split())
                out.append(case)
                self.say(f"{app.name:14} {variant:18} {case.verdict:13} {time.monotonic() - t0:5.0f} s  {case.detail[:160]}")
            return out

        if jobs <= 1:
            return [c for app in apps for c in one_app(app)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            return [c for cases in pool.map(one_app, apps) for c in cases]


def _comment_line(path: Path, token: str) -> str:
    if path.suffix in (".py", ".toml", ".rb", ".sh", ".yaml", ".yml", ".txt"):
        return f"\n# verify-builds {token}\n"
    if path.suffix in (".html", ".md"):
        return f"\n<!-- verify-builds {token} -->\n"
    return f"\n// verify-builds {token}\n"


def _last_error(build: BuildResult) -> str:
    lines = [ln for ln in build.log.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower()]
    return (errors[-1] if errors else (lines[-1] if lines else "no output"))[-400:]


# ---------------------------------------------------------------------------------------------------
# Reporting


def _mb(size: int | None) -> str:
    return f"{size / 1e6:.0f} MB" if size else "–"


def table(cases: list[Case]) -> str:
    rows = ["| app | variant | verdict | applied | image | size ratio | build | uid | dependency cache | detail |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases:
        ratio = f"{c.ratio:.3g}" if c.ratio is not None else "–"
        built = f"{c.build_seconds:.0f} s" if c.build_seconds is not None else "–"
        detail = c.detail.replace("|", "\\|").replace("\n", " ")[:200]
        rows.append(
            f"| {c.app} | {c.variant} | {c.verdict} | {', '.join(c.actions) or '–'} | {_mb(c.size)} | {ratio} "
            f"| {built} | {c.uid or '–'} | {c.cache or '–'} | {detail} |"
        )
    return "\n".join(rows)


def summary(cases: list[Case]) -> str:
    by: dict[str, int] = {}
    for c in cases:
        if c.variant != "original":
            by[c.verdict] = by.get(c.verdict, 0) + 1
    originals = [c for c in cases if c.variant == "original"]
    ok = sum(c.verdict == "pass" for c in originals)
    ratios = [c.ratio for c in cases if c.ratio is not None and "splitStages" in c.actions and c.verdict == "pass"]
    parts = [f"{ok}/{len(originals)} samples build and run"]
    parts += [f"{n} {verdict}" for verdict, n in sorted(by.items())]
    if ratios:
        parts.append(f"splitStages image size ratio {min(ratios):.3g}–{max(ratios):.3g}")
    return "; ".join(parts)


def update_docs(cases: list[Case], path: Path | None = None) -> None:
    path = path or DOCS
    text = path.read_text()
    start, end = text.index(TABLE_BEGIN) + len(TABLE_BEGIN), text.index(TABLE_END)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    block = f"\n\nMeasured {stamp}: {summary(cases)}.\n\n{table(cases)}\n\n"
    path.write_text(text[:start] + block + text[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify-builds", description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="append", default=[], help="only this sample app (repeatable)")
    parser.add_argument("--variant", action="append", default=[], choices=VARIANTS, help="only this variant")
    parser.add_argument("--update-docs", action="store_true", help="rewrite the table in docs/verification.md")
    parser.add_argument("--json", type=Path, help="write every case as JSON here")
    parser.add_argument("--images-only", action="store_true", help="make the stand-in images and stop")
    parser.add_argument(
        "--jobs", type=int, default=int(os.environ.get("VERIFY_JOBS", "2")),
        help="sample apps verified at once (default 2, or $VERIFY_JOBS): builds wait on downloads and the daemon",
    )
    parser.add_argument(
        "--docs-from-json", type=Path, metavar="FILE",
        help="rewrite the docs table from a --json file of an earlier run, building nothing",
    )
    args = parser.parse_args(argv)
    if args.docs_from_json:
        update_docs([Case(**c) for c in json.loads(args.docs_from_json.read_text())])
        return 0

    state = default_dir()
    docker = Docker(state)
    if not docker.available():
        print("verify-builds: skipped: no Docker engine at "
              f"{docker.env['DOCKER_HOST']} (start it with scripts/realbuild/dockerd.sh start)")
        return 3
    if docker.networks() - {"host", "none"}:
        print(f"verify-builds: refusing to go on: networks besides host and none: {sorted(docker.networks())}")
        return 1
    t0 = time.monotonic()
    spent = ImageMaker(docker, state, log=lambda s: print(s, file=sys.stderr, flush=True)).ensure(load_specs())
    print(f"stand-in images ready in {time.monotonic() - t0:.0f} s ({len(spent)} made)", file=sys.stderr)
    if args.images_only:
        return 0
    apps = load_apps(only=args.app)
    if not apps:
        print(f"no sample app named {args.app}", file=sys.stderr)
        return 2
    cases = Verifier(docker, state).run(apps, args.variant or VARIANTS, jobs=args.jobs)
    print(table(cases))
    print()
    print(summary(cases))
    if args.json:
        args.json.write_text(json.dumps([asdict(c) for c in cases], indent=1))
    if args.update_docs:
        update_docs(cases)
    failed = [c for c in cases if c.verdict == "fail"]
    for c in failed:
        print(f"FAIL {c.app} {c.variant}: {c.detail}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
