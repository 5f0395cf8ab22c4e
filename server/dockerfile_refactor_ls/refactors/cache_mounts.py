"""Use BuildKit cache mounts: keep apt, apk, pip, npm, yarn, pnpm, Go, Cargo, Maven and Gradle downloads across rebuilds.

``RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*`` becomes
``RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked
rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y gcc``: the removal of
the ``docker-clean`` hook is what Docker's documentation shows (the hook deletes every downloaded
package, which would leave the cache empty); it is done once per stage, in its first apt RUN. pip gets ``--mount=type=cache,target=/root/.cache/pip``
and loses ``--no-cache-dir``; npm gets ``target=/root/.npm`` and loses ``npm cache clean``; Go gets
``$GOPATH/pkg/mod`` and ``$GOCACHE`` (the image's GOPATH from the facts table or the file's ENV,
else Go's defaults under root's HOME); Cargo ``$CARGO_HOME/registry`` (never ``target/``: the
binary is copied out of it later, and a mount there would leave the layer without it); Maven
``/root/.m2``; Gradle ``$GRADLE_USER_HOME`` or ``/root/.gradle``.

apk gets ``/var/cache/apk`` (``sharing=locked``), and ``apk add --no-cache`` becomes ``apk add
--update-cache``: ``--no-cache`` would bypass the mount, and without it apk would not fetch the
index the first time. apk keeps downloaded packages only when ``/etc/apk/cache`` is a directory, so
``ln -sf /var/cache/apk /etc/apk/cache`` is added once per stage, in its first apk RUN (as the
``docker-clean`` removal for apt). ``rm -rf /var/cache/apk/*`` and ``apk cache clean`` are removed.

Yarn 1 gets ``$YARN_CACHE_FOLDER`` or ``/usr/local/share/.cache/yarn`` (root's ``yarn cache dir``,
``sharing=locked``: Yarn 1 does not lock its cache) and loses ``yarn cache clean``. Yarn Berry (a
``.yarnrc.yml`` or ``"packageManager": "yarn@2+"`` in the build context) only with ``nodeLinker:
node-modules`` or ``pnpm``: under Plug'n'Play, the default, the program loads its packages from
the cache at run time; and never where ``.yarn/cache`` is in the build context (committed for
zero-installs: a mount would hide it). Its target is the global cache (``~/.yarn/berry/cache``, Yarn
4's default) or, with ``enableGlobalCache: false`` (Yarn 2 and 3's default), ``<WORKDIR>/.yarn/cache``.
pnpm gets its store, ``$PNPM_HOME/store`` or ``/root/.local/share/pnpm/store``, and loses ``pnpm
store prune``.

What is removed is only what the mount makes redundant: the lists and the caches now live in the
mount, not in the layer, so deleting them saves nothing and would empty the cache. The image is as
small as before (the project's DL3009/DL3019/DL3042/DL3060 treat a cache mount as the clean-up, and
the result is checked against them).

Offered only where the RUN runs as root (the cache directories above are root's; another user's
HOME is not known here), and where the file does not pin a Dockerfile frontend older than 1.2 with
``# syntax=`` (``RUN --mount`` needs 1.2). See docs/refactorings/cache-mounts.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..engine.ecosystems import RunScript, Segment, run_script
from ..engine.findings import Edit
from ..engine.image_facts import facts_for_stage
from ..engine.images import base_stage, is_windows, stage_chain
from ..engine.model import Dockerfile, Stage
from ..engine.parser import Instruction
from ..engine.shell import Token
from ..engine.text import Span
from ..engine.users import is_root_user
from ..engine.workdirs import UNKNOWN_ROOT, stage_cwds, unquote
from ._context import BuildContext, context_for
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.rewrite.cacheMounts"

_TOOLS = "apt-get, apk, pip, npm, yarn, pnpm, go, cargo, Maven or Gradle"
NO_INSTALL = f"no RUN downloads with {_TOOLS} without a cache mount"
OLD_FRONTEND = "the # syntax= directive pins Dockerfile frontend {version}: RUN --mount needs 1.2 or later"
NOT_ROOT = "{stage} runs the install as {user}: its cache directory is not known here"
WINDOWS = "{stage} is a Windows image"
CURSOR = f"the cursor is not on a RUN that downloads with {_TOOLS}"
YARN_PNP = ("Yarn Plug'n'Play (Berry's default nodeLinker) loads the packages from Yarn's cache at run time: "
            "the cache must stay in the image")
YARN_ZERO_INSTALL = "the build context holds .yarn/cache (committed for zero-installs): a cache mount would hide it"
YARN_BERRY_UNKNOWN = ("the yarn command is Yarn Berry's, and without the build context its nodeLinker (Plug'n'Play "
                      "reads the cache at run time) is not known")
REASONS = (NO_INSTALL, OLD_FRONTEND, NOT_ROOT, WINDOWS, CURSOR, YARN_PNP, YARN_ZERO_INSTALL, YARN_BERRY_UNKNOWN)

_DOCKER_CLEAN = "rm -f /etc/apt/apt.conf.d/docker-clean"
APK_CACHE = "/var/cache/apk"
# apk keeps packages only in /etc/apk/cache (a directory or a link to one); without it the mount
# would cache the index alone.
_APK_LINK = f"ln -sf {APK_CACHE} /etc/apk/cache"
# Only these apk subcommands download (fetch writes to the current folder, not the cache).
_APK_DOWNLOADS = ("add", "update", "upgrade", "fix")
_APK_UPDATES = ("-U", "--update-cache", "--update")


@dataclass(slots=True)
class Plan:
    ins: Instruction
    stage: Stage
    script: RunScript
    mounts: list[str] = field(default_factory=list)
    removals: list[Span] = field(default_factory=list)  # redundant clean-ups (and their separators)
    replacements: list[Edit] = field(default_factory=list)  # apk's --no-cache -> --update-cache
    apt: bool = False
    apk: bool = False


def _old_frontend(doc: Dockerfile) -> str | None:
    for d in doc.parsed.directives:
        if d.name.lower() == "syntax":
            m = re.search(r"dockerfile:(\d+)\.(\d+)", d.value)
            if m and (int(m.group(1)), int(m.group(2))) < (1, 2):
                return f"{m.group(1)}.{m.group(2)}"
    return None


def _user_before(doc: Dockerfile, stage: Stage, ins: Instruction) -> str | None:
    """The USER in effect for ``ins`` (None when it cannot be known)."""
    user: str | None = None
    for s in reversed(stage_chain(stage, doc)):
        for i in s.instructions:
            if i is ins:
                break
            if i.cmd == "user" and i.args_text:
                user = i.args_text.split(":")[0]
    if user is not None:
        return user
    facts = facts_for_stage(doc, stage)
    if facts is not None and facts.user is not None:
        return facts.user
    return "root" if stage_chain(stage, doc)[-1].image is not None else None


def _removal(script: RunScript, k: int) -> Span:
    """The span that deletes segment ``k`` together with the separator joining it to its neighbour."""
    segs = script.segments
    seg = segs[k]
    if k > 0:
        # `a && rm ...`: from the end of the previous segment to the end of this one.
        return Span(script.doc_end(segs[k - 1]), script.doc_end(seg))
    return Span(script.doc_start(seg), script.doc_start(segs[k + 1]))


def _mounted(ins: Instruction, target: str) -> bool:
    return any(f.name.lower() == "mount" and f"target={target}" in (f.value or "") for f in ins.flags)


def _env(doc: Dockerfile, stage: Stage, ins: Instruction) -> dict[str, str]:
    """The literal ENV values in force for ``ins``: the image's (from the facts table), then the stages'."""
    facts = facts_for_stage(doc, stage)
    env: dict[str, str] = dict(facts.env_values) if facts is not None else {}
    for s in reversed(stage_chain(stage, doc)):
        for decl in s.envs:
            if decl.instruction.span.start >= ins.span.start:
                break
            if decl.value is not None and "$" not in decl.value:
                env[decl.name] = unquote(decl.value)  # ENV PNPM_HOME="/pnpm"
    return env


def _subcommand(vals: list[str]) -> str:
    """The first word that is not an option (``apk --no-cache add`` -> ``add``); "" when none."""
    return next((v for v in vals if not v.startswith("-")), "")


@dataclass(frozen=True, slots=True)
class _Yarn:
    berry: bool
    linker: str | None = None  # Berry's nodeLinker ("pnp" when .yarnrc.yml does not say)
    global_cache: bool = True
    zero_install: bool = False


def _yaml_value(text: str, key: str) -> str | None:
    """A top-level scalar of .yarnrc.yml (``nodeLinker: node-modules``); None when it is not set."""
    m = re.search(rf"(?m)^{key}\s*:\s*[\"']?([^\"'#\s]+)", text)
    return m.group(1) if m else None


def _yarn_setup(ctx: BuildContext, vals: list[str]) -> _Yarn:
    """Which Yarn the build context uses: Berry when .yarnrc.yml or packageManager say so (or the
    command uses Berry-only options), with its nodeLinker and cache location."""
    major: int | None = None
    package = ctx.read("package.json") or ""
    m = re.search(r'"packageManager"\s*:\s*"yarn@(\d+)', package)
    if m:
        major = int(m.group(1))
    rc = ctx.read(".yarnrc.yml")
    if major is None and rc is not None:
        release = re.search(r"yarn-(\d+)\.", _yaml_value(rc, "yarnPath") or "")
        major = int(release.group(1)) if release else None
    berry_flags = any(v in ("--immutable", "--immutable-cache", "--check-cache", "--inline-builds") or v.startswith("--mode")
                      for v in vals)
    berry = (major is not None and major >= 2) or (major is None and rc is not None) or berry_flags
    if not berry:
        return _Yarn(berry=False)
    linker = (_yaml_value(rc, "nodeLinker") if rc is not None else None) or ("pnp" if ctx.known else None)
    explicit = _yaml_value(rc, "enableGlobalCache") if rc is not None else None
    global_cache = explicit.lower() == "true" if explicit is not None else (major is None or major >= 4)
    return _Yarn(berry=True, linker=linker, global_cache=global_cache, zero_install=ctx.is_dir(".yarn/cache"))


def _yarn_target(doc: Dockerfile, stage: Stage, ins: Instruction, env: dict[str, str], vals: list[str],
                 why: list[str]) -> str | None:
    """Yarn's cache directory for this install, or None (with the reason) where it must not be mounted."""
    setup = _yarn_setup(context_for(doc), vals)
    if not setup.berry:
        return env.get("YARN_CACHE_FOLDER", "/usr/local/share/.cache/yarn")
    if setup.zero_install:
        why.append(YARN_ZERO_INSTALL)
        return None
    if setup.linker is None:
        why.append(YARN_BERRY_UNKNOWN)
        return None
    if setup.linker not in ("node-modules", "pnpm"):
        why.append(YARN_PNP)
        return None
    if setup.global_cache:
        return env.get("YARN_GLOBAL_FOLDER", "/root/.yarn/berry") + "/cache"
    cwd = stage_cwds(doc, stage)[stage.instructions.index(ins)]
    if cwd.startswith((UNKNOWN_ROOT, "$")):
        return None
    return cwd.rstrip("/") + "/.yarn/cache"


def _tool_targets(doc: Dockerfile, stage: Stage, script: RunScript, why: list[str] | None = None) -> dict[str, str]:
    """The cache directories (as root) of the downloading tools the RUN runs, in a stable order,
    each with its tool ("apt", "yarn"...)."""
    env = _env(doc, stage, script.ins)
    targets: dict[str, str] = {}
    why = why if why is not None else []

    def add(tool: str, *dirs: str) -> None:
        for d in dirs:
            targets.setdefault(d, tool)

    for seg in script.segments:
        for cmd in seg.pipeline:
            vals = cmd.values()
            first = vals[0] if vals else ""
            if cmd.prog in ("apt-get", "apt") and ("install" in vals or "update" in vals):
                add("apt", "/var/cache/apt", "/var/lib/apt")
            elif (re.fullmatch(r"pip[0-9.]*", cmd.prog) and "install" in vals) or (
                    re.fullmatch(r"python[0-9.]*", cmd.prog) and vals[:3] == ["-m", "pip", "install"]):
                add("pip", env.get("PIP_CACHE_DIR", "/root/.cache/pip"))
            elif cmd.prog == "npm" and first in ("ci", "install", "i"):
                add("npm", env.get("npm_config_cache", "/root/.npm"))
            elif cmd.prog == "apk" and _subcommand(vals) in _APK_DOWNLOADS:
                add("apk", APK_CACHE)
            elif cmd.prog in ("yarn", "yarnpkg") and (not vals or first.startswith("-") or first in ("install", "add", "global")):
                target = _yarn_target(doc, stage, script.ins, env, vals, why)
                if target is not None:
                    add("yarn", target)
            elif cmd.prog == "pnpm" and _subcommand(vals) in ("install", "i", "add", "fetch", "update", "up"):
                store = env.get("npm_config_store_dir") or (
                    env["PNPM_HOME"].rstrip("/") + "/store" if "PNPM_HOME" in env else "/root/.local/share/pnpm/store")
                add("pnpm", store)
            elif cmd.prog == "go" and first in ("build", "install", "test", "mod", "generate", "run"):
                # Go's defaults are $HOME/go and $HOME/.cache/go-build; the golang image sets GOPATH=/go.
                add("go", env.get("GOPATH", "/root/go").split(":")[0] + "/pkg/mod", env.get("GOCACHE", "/root/.cache/go-build"))
            elif cmd.prog == "cargo" and first in ("build", "install", "fetch", "test"):
                # Only the registry: target/ is where the binary is copied from later, and a mount
                # there would leave the layer without it.
                add("cargo", env.get("CARGO_HOME", "/root/.cargo") + "/registry")
            elif cmd.prog in ("mvn", "mvnw") and not any(v.startswith("-Dmaven.repo.local") for v in vals):
                add("maven", "/root/.m2")
            elif cmd.prog in ("gradle", "gradlew") and not any(v.startswith("--project-cache-dir") for v in vals):
                add("gradle", env.get("GRADLE_USER_HOME", "/root/.gradle"))
    return targets


# A CMD/ENTRYPOINT that runs the tool reads its cache at run time: mounting it would leave the
# image without the modules (`go run`, `mvn spring-boot:run`, `cargo run`, `gradle bootRun`).
_RUNTIME_TOOLS = {"go": ("/go/pkg/mod", "/root/go/pkg/mod"), "mvn": ("/root/.m2",), "mvnw": ("/root/.m2",),
                  "gradle": ("/root/.gradle",), "gradlew": ("/root/.gradle",), "cargo": ("/usr/local/cargo/registry",
                                                                                      "/root/.cargo/registry")}


def _needed_in_images(doc: Dockerfile) -> dict[int, set[str]]:
    """Per stage index, the cache directories the image itself needs: read by the CMD/ENTRYPOINT of
    the stage or of a stage built on it, or copied out of it by a later stage.

    One pass for the whole file (a stage is only ever built on an earlier one, so walking the stages
    backwards hands each one its descendants' needs): asked per RUN, it was RUNs x stages.
    """
    needed: dict[int, set[str]] = {s.index: set() for s in doc.stages}
    for s in doc.stages:
        for ins in s.instructions:
            if ins.cmd in ("cmd", "entrypoint"):
                for tool, dirs in _RUNTIME_TOOLS.items():
                    if re.search(rf"(^|[\s\[\"/]){tool}\b", ins.args_text):
                        needed[s.index].update(dirs)
    for s in reversed(doc.stages):
        parent = base_stage(s, doc)
        if parent is not None and parent.index in needed and parent is not s:
            needed[parent.index] |= needed[s.index]
    for s in doc.stages:
        for c in s.copies_from:
            if c.stage is not None and c.stage.index in needed:
                needed[c.stage.index].update(a.value for a in c.instruction.args[:-1])
    return needed


def _word_removal(script: RunScript, w: Token) -> Span:
    """The span of one word with the space before it."""
    start = script.doc_offset(w.start)
    return Span(start - 1 if script.clean[w.start - 1] == " " else start, script.doc_offset_after(w))


def _apk_flags(script: RunScript, plan: Plan) -> None:
    """``--no-cache`` bypasses the mount: it becomes ``--update-cache`` (apk would not fetch a missing
    index otherwise), or goes where the RUN updates the index already."""
    updated = False
    for seg in script.segments:
        for cmd in seg.pipeline:
            if cmd.prog != "apk":
                continue
            vals = cmd.values()
            if _subcommand(vals) == "update":
                updated = True
                continue
            if _subcommand(vals) not in _APK_DOWNLOADS:
                continue  # apk del --no-cache: nothing it downloads goes through the mount
            own = updated or any(v in _APK_UPDATES for v in vals)
            for w in cmd.args:
                if w.raw == "--no-cache":
                    if own:
                        plan.removals.append(_word_removal(script, w))
                    else:
                        at = script.doc_offset(w.start)
                        plan.replacements.append(Edit(Span(at, script.doc_offset_after(w)), "--update-cache"))
                        own = True


def _plan_run(doc: Dockerfile, script: RunScript, stage: Stage, needed: set[str],
              why: list[str] | None = None) -> Plan | None:
    ins = script.ins
    plan = Plan(ins, stage, script)
    segs: list[Segment] = script.segments
    tools: set[str] = set()
    for target, tool in _tool_targets(doc, stage, script, why).items():
        if _mounted(ins, target) or any(target.startswith(n) for n in needed):
            continue
        tools.add(tool)
        # Yarn 1 (its cache outside .yarn/berry) does not lock its cache either.
        locked = tool in ("apt", "apk") or (tool == "yarn" and "/.yarn/" not in target)
        plan.mounts.append(f"--mount=type=cache,target={target}" + (",sharing=locked" if locked else ""))
    if not plan.mounts:
        return None
    plan.apt, plan.apk = "apt" in tools, "apk" in tools
    if plan.apk:
        _apk_flags(script, plan)
    yarn, pnpm = "yarn" in tools, "pnpm" in tools
    for k, seg in enumerate(segs):
        cmd = seg.command
        vals = cmd.values()
        removable = False
        if plan.apt and cmd.prog == "rm" and vals and all(v.startswith("-") or v.startswith("/var/lib/apt/lists")
                                                           for v in vals) and any("/var/lib/apt/lists" in v for v in vals):
            removable = True  # the lists live in the /var/lib/apt mount now
        if plan.apt and cmd.prog in ("apt-get", "apt") and vals in (["clean"], ["-y", "clean"]):
            removable = True  # the downloaded packages live in the /var/cache/apt mount now
        if "npm" in tools and cmd.prog == "npm" and vals[:2] == ["cache", "clean"]:
            removable = True
        if plan.apk and cmd.prog == "rm" and vals and all(v.startswith("-") or v.startswith(APK_CACHE) for v in vals) \
                and any(v.startswith(APK_CACHE) for v in vals):
            removable = True  # the index lives in the mount now
        if plan.apk and cmd.prog == "apk" and [v for v in vals if not v.startswith("-")][:2] == ["cache", "clean"]:
            removable = True
        if yarn and cmd.prog in ("yarn", "yarnpkg") and vals[:2] == ["cache", "clean"]:
            removable = True
        if pnpm and cmd.prog == "pnpm" and vals[:2] == ["store", "prune"]:
            removable = True
        if removable and len(segs) > 1 and len(seg.pipeline) == 1 and not seg.redirects \
                and (k == 0 or segs[k - 1].sep == "&&") and (k > 0 or seg.sep == "&&"):
            plan.removals.append(_removal(script, k))
        if "pip" in tools:
            for cmd2 in seg.pipeline:
                for w in cmd2.args:
                    if w.raw == "--no-cache-dir":
                        # pip would not read the cache at all: the flag is what the mount replaces
                        plan.removals.append(_word_removal(script, w))
    return plan


def _plans(doc: Dockerfile, why: list[str]) -> list[Plan]:
    plans: list[Plan] = []
    needed = _needed_in_images(doc)
    for stage in doc.stages:
        if is_windows(doc, stage):
            why.append(WINDOWS.format(stage=stage.label))
            continue
        for ins in stage.instructions:
            if ins.cmd != "run" or ins.heredocs or not re.search(
                    r"\b(apt-get|apt|apk|pip[0-9.]*|npm|yarn|yarnpkg|pnpm|go|cargo|mvnw?|gradlew?)\b", ins.args_text):
                continue
            script = run_script(doc, ins)
            if script is None or script.json:
                continue
            plan = _plan_run(doc, script, stage, needed[stage.index], why)
            if plan is None:
                continue
            user = _user_before(doc, stage, ins)
            if user is None or not is_root_user(user):
                why.append(NOT_ROOT.format(stage=stage.label, user=user or "an unknown user"))
                continue
            plans.append(plan)
    return plans


def _edits(doc: Dockerfile, plans: list[Plan]) -> list[Edit]:
    edits: list[Edit] = []
    cleaned: set[int] = set()
    linked: set[int] = set()
    for plan in plans:
        ins = plan.ins
        end = ins.keyword_span.end
        edits.append(Edit(Span(end, end), " " + " ".join(plan.mounts)))
        stages = stage_chain(plan.stage, doc)
        chain = [i for st in stages for i in st.instructions]
        # A parent stage cleaned (linked) by this same edit counts: a stage FROM it inherits that.
        if plan.apt and not any(st.index in cleaned for st in stages) and not any("docker-clean" in i.original for i in chain):
            # Once per stage, in the first apt RUN (no extra layer): the hook must be gone before
            # apt-get runs, or it deletes what it downloads into the cache.
            cleaned.add(plan.stage.index)
            at = plan.script.doc_start(plan.script.segments[0])
            edits.append(Edit(Span(at, at), _DOCKER_CLEAN + " && "))
        if plan.apk and not any(st.index in linked for st in stages) and not any("/etc/apk/cache" in i.original for i in chain):
            # Once per stage, before the first apk command can download.
            linked.add(plan.stage.index)
            at = plan.script.doc_start(plan.script.segments[0])
            edits.append(Edit(Span(at, at), _APK_LINK + " && "))
        edits += [Edit(s, "") for s in plan.removals]
        edits += plan.replacements
    return edits


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    old = _old_frontend(doc)
    if old is not None:
        raise NotApplicable(OLD_FRONTEND.format(version=old))
    why: list[str] = []
    plans = _plans(doc, why)
    if span is not None:
        at = doc.instruction_at(span.start)
        plans = [p for p in plans if p.ins is at] if at is not None and at.cmd == "run" else plans
        if at is not None and at.cmd == "run" and not plans:
            raise NotApplicable(why[0] if why else CURSOR)
    if not plans:
        raise NotApplicable(why[0] if why else NO_INSTALL)
    return RefactorResult("Use BuildKit cache mounts", _edits(doc, plans))


REFACTORING = Refactoring(
    kind=KIND,
    title="Use BuildKit cache mounts",
    plan=plan,
)
