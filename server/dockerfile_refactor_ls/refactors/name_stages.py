"""Name the stages: every unnamed stage of a multi-stage file gets ``AS <name>`` after what it does,
and ``COPY --from=<index>`` / ``ADD --from=<index>`` name the stage instead of counting to it.

The name says what the stage is for, read from its instructions:

- the last stage (the default target, the image that ships) is ``runtime``;
- a stage that runs the tests (``go test``, ``cargo test``, ``npm test``, ``pytest``, ``mvn test``,
  ``gradle test``, ``make test``...) and builds nothing is ``test``;
- a stage that builds (``go build``, ``cargo build``/``install``, ``npm run build``, ``mvn package``,
  ``gradle build``, ``make``, ``gcc``, ``dotnet publish``, ``tsc``...) is ``builder``;
- a stage that only installs dependencies (``npm ci``, ``pip install``, ``go mod download``,
  ``cargo fetch``, ``bundle install``, ``apt-get install``, ``apk add``...) is ``deps``;
- a stage other stages are built ``FROM`` is ``base``;
- any other stage (one that only provides files, say) is named after its image (``FROM nginx`` →
  ``nginx-stage``), or ``stage-<index>`` when a variable hides the image.

In a file whose stages all have names, the action still rewrites ``--from=<index>`` to the name.
The diagnostic ``StageReferencedByIndex`` (information) carries it as its quick fix.

When two stages would get the same name, they are told apart by their toolchain (``go-builder``,
``node-builder``) where that differs, else numbered (``builder-2``). A new name is lower case,
valid for BuildKit, and never one that the file already uses: not another stage's name, not an
image or build context a ``FROM``, ``--from`` or ``--mount from=`` names (naming a stage like that
would make those references point at the stage), not an ARG's name or value (a ``FROM ${BASE}``
could expand to it), not ``scratch`` or ``context``.

``FROM 0`` and ``RUN --mount=from=0`` are not rewritten: BuildKit reads a number there as an image
name, not as a stage index (only ``COPY --from`` and ``ADD --from`` take an index), so they do not
refer to a stage at all.
"""

from __future__ import annotations

import re

from ..engine.ecosystems import commands_in, same_case
from ..engine.findings import Edit
from ..engine.model import RESERVED_STAGE_NAMES, STAGE_NAME_RE, Dockerfile, Stage
from ..engine.navigation import mount_from
from ..engine.stage_reads import index_references
from ..engine.text import Span
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.rewrite.nameStages"
TITLE = "Name the stages (builder, runtime…)"

# Why it is not offered; docs/refactorings/name-stages.md lists them (a test checks).
NO_STAGE = "the file has no FROM instruction"
SYNTAX = "the Dockerfile has syntax errors"
SINGLE = "the file has a single stage: no other stage refers to it, so a name would add nothing"
ALL_NAMED = "every stage has a name already, and no COPY --from refers to one by index"
REASONS = (NO_STAGE, SYNTAX, SINGLE, ALL_NAMED)

# What a stage does, from the commands of its RUNs (program, first argument or None for any).
_TEST = (
    ("go", "test"), ("cargo", "test"), ("npm", "test"), ("npm", "t"), ("yarn", "test"), ("pnpm", "test"),
    ("bun", "test"), ("pytest", None), ("tox", None), ("mvn", "test"), ("mvnw", "test"), ("gradle", "test"),
    ("gradlew", "test"), ("make", "test"), ("make", "check"), ("dotnet", "test"), ("rspec", None),
)
_BUILD = (
    ("go", "build"), ("go", "install"), ("cargo", "build"), ("cargo", "install"), ("mvn", "package"),
    ("mvn", "install"), ("mvn", "verify"), ("mvnw", "package"), ("mvnw", "install"), ("mvnw", "verify"),
    ("gradle", "build"), ("gradle", "assemble"), ("gradle", "bootJar"), ("gradle", "installDist"),
    ("gradlew", "build"), ("gradlew", "assemble"), ("gradlew", "bootJar"), ("gradlew", "installDist"),
    ("make", None), ("cmake", None), ("ninja", None), ("gcc", None), ("g++", None), ("cc", None),
    ("clang", None), ("dotnet", "publish"), ("dotnet", "build"), ("tsc", None), ("javac", None),
    ("pip", "wheel"), ("python-build", None), ("hugo", None),
)
_DEPS = (
    ("npm", "ci"), ("npm", "install"), ("npm", "i"), ("yarn", "install"), ("yarn", None), ("pnpm", "install"),
    ("bun", "install"), ("pip", "install"), ("pip3", "install"), ("poetry", "install"), ("uv", "sync"),
    ("uv", "pip"), ("pipenv", "install"), ("go", "mod"), ("go", "get"), ("cargo", "fetch"),
    ("bundle", "install"), ("composer", "install"), ("mvn", "dependency:go-offline"),
    ("mvnw", "dependency:go-offline"), ("apt-get", "install"), ("apt", "install"), ("apk", "add"),
    ("dnf", "install"), ("yum", "install"), ("dotnet", "restore"), ("gem", "install"),
)
# "npm run build", "yarn build", "pnpm run build": a build when the script is called build-ish.
_SCRIPT_BUILD = re.compile(r"^(build|compile|bundle|dist|export|generate)([:-].*)?$")
_SCRIPT_TEST = re.compile(r"^test([:-].*)?$")
# The toolchain of a command, to tell two builders apart.
_TOOLCHAIN = {
    "go": "go", "cargo": "rust", "npm": "node", "yarn": "node", "pnpm": "node", "bun": "node", "tsc": "node",
    "pip": "python", "pip3": "python", "poetry": "python", "uv": "python", "pipenv": "python", "pytest": "python",
    "tox": "python", "python-build": "python", "mvn": "java", "mvnw": "java", "gradle": "java", "gradlew": "java", "javac": "java",
    "dotnet": "dotnet", "bundle": "ruby", "gem": "ruby", "rspec": "ruby", "composer": "php", "gcc": "c",
    "g++": "cpp", "cc": "c", "clang": "c", "cmake": "cpp", "make": "c", "hugo": "hugo",
}


def _matches(prog: str, args: list[str], table: tuple[tuple[str, str | None], ...]) -> bool:
    first = next((a for a in args if not a.startswith("-")), None)
    return any(prog == p and (want is None or first == want) for p, want in table)


def _script(prog: str, args: list[str]) -> str | None:
    """The package.json script an npm/yarn/pnpm/bun command runs (``npm run build`` → build)."""
    if prog not in ("npm", "yarn", "pnpm", "bun"):
        return None
    words = [a for a in args if not a.startswith("-")]
    if words[:1] in (["run"], ["run-script"]):
        return words[1] if len(words) > 1 else None
    if prog != "npm" and words and words[0] not in ("install", "add", "ci", "i"):
        return words[0]
    return None


def role_of(doc: Dockerfile, stage: Stage, bases: set[int] | None = None) -> tuple[str, str | None]:
    """(what the stage does, its toolchain or None), for its name. ``bases``: the indexes of the
    stages another one is built FROM (computed once for the whole file by the caller)."""
    if stage is doc.final_stage:
        return "runtime", None
    tests = builds = deps = False
    toolchain: str | None = None
    for ins in stage.instructions:
        target = ins.sub if ins.sub is not None else ins
        if target.cmd != "run" or ins.sub is not None:
            continue
        for cmd in commands_in(doc.text[ins.args_span.start : ins.span.end]):
            prog, args = cmd.prog, cmd.values()
            if prog in ("python", "python3") and args[:1] == ["-m"] and len(args) > 1:
                # python -m pytest / pip / build: the module is the program.
                prog, args = ("python-build" if args[1] == "build" else args[1]), args[2:]
            script = _script(prog, args)
            if (script is not None and _SCRIPT_TEST.match(script)) or _matches(prog, args, _TEST):
                tests = True
            elif (script is not None and _SCRIPT_BUILD.match(script)) or _matches(prog, args, _BUILD):
                builds = True
            elif _matches(prog, args, _DEPS):
                deps = True
            else:
                continue
            toolchain = toolchain or _TOOLCHAIN.get(prog)
    if builds:
        return "builder", toolchain
    if tests:
        return "test", toolchain
    if deps:
        return "deps", toolchain
    if bases is None:
        bases = {s.base_stage.index for s in doc.stages if s.base_stage is not None}
    if stage.index in bases:
        return "base", None
    image = stage.image
    if image is not None and not image.has_variables and not image.is_scratch:
        repository = image.repository.rsplit("/", 1)[-1].lower()
        name = re.sub(r"[^a-z0-9_.-]+", "-", repository).strip("-_.")
        if name and STAGE_NAME_RE.match(name):
            return f"{name}-stage", None
    return f"stage-{stage.index}", None


def taken_names(doc: Dockerfile) -> set[str]:
    """Every name a new stage name must not be (lower case, as BuildKit compares them)."""
    taken = set(RESERVED_STAGE_NAMES)
    taken |= {s.key for s in doc.stages if s.key}
    for stage in doc.stages:
        if stage.image is not None:
            taken.add(stage.image.text.lower())
        for ins in stage.instructions:
            target = ins.sub if ins.sub is not None else ins
            flag = target.flag("from") if target.cmd in ("copy", "add") else None
            if flag is not None and flag.value:
                taken.add(flag.value.strip("\"'").lower())
            for f in target.flags if target.cmd == "run" else ():
                found = mount_from(f)
                if found is not None:
                    taken.add(found[0].strip("\"'").lower())
    decls = list(doc.global_args) + [d for s in doc.stages for d in s.args]
    taken |= {d.name.lower() for d in decls}
    taken |= {d.value.strip("\"'").lower() for d in decls if d.value}
    return taken


def new_names(doc: Dockerfile) -> dict[int, str]:
    """The name of every unnamed stage, by stage index."""
    bases = {s.base_stage.index for s in doc.stages if s.base_stage is not None}
    roles = {s.index: role_of(doc, s, bases) for s in doc.stages if s.name is None}
    taken = taken_names(doc)
    out: dict[int, str] = {}
    # The next number to try per base name: thousands of stages with one role stay linear.
    next_number: dict[str, int] = {}
    by_role: dict[str, list[int]] = {}
    for index, (role, _) in roles.items():
        by_role.setdefault(role, []).append(index)
    for role, indexes in by_role.items():
        chains = [roles[i][1] for i in indexes]
        # Two builders of different toolchains read best as go-builder and node-builder.
        qualify = len(indexes) > 1 and None not in chains and len(set(chains)) == len(chains)
        for index, chain in zip(indexes, chains, strict=True):
            base = f"{chain}-{role}" if qualify else role
            name, n = base, next_number.get(base, 2)
            while name in taken:
                name, n = f"{base}-{n}", n + 1
            next_number[base] = n
            taken.add(name)
            out[index] = name
    return out


def _flag_value_span(doc: Dockerfile, value_span: Span | None, value: str) -> Span | None:
    """Where ``value`` is written inside the flag's value (None when quotes or a continuation hide it)."""
    if value_span is None:
        return None
    src = doc.text[value_span.start : value_span.end]
    pos = src.find(value)
    if pos < 0 or src.count(value) != 1:
        return None
    return Span(value_span.start + pos, value_span.start + pos + len(value))


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult:
    if not doc.stages:
        raise NotApplicable(NO_STAGE)
    if doc.parsed.errors or any(ins.error for ins in doc.instructions) or any(s.error for s in doc.stages):
        raise NotApplicable(SYNTAX)
    if len(doc.stages) == 1:
        raise NotApplicable(SINGLE)
    if all(s.name for s in doc.stages) and not index_references(doc):
        raise NotApplicable(ALL_NAMED)
    names = new_names(doc)
    edits: list[Edit] = []
    for stage in doc.stages:
        name = names.get(stage.index)
        if name is None:
            continue
        last = stage.from_instruction.args[-1]
        # "FROM golang:1.22 AS builder": after the image, before anything that follows on the line.
        edits.append(Edit(Span(last.span.end, last.span.end), f" {same_case(stage.from_instruction.keyword, 'AS')} {name}"))
    for cf in index_references(doc):
        assert cf.stage is not None
        target = cf.stage.name or names.get(cf.stage.index)
        where = _flag_value_span(doc, cf.flag.value_span, (cf.flag.value or "").strip())
        if target is None or where is None:
            continue  # an index BuildKit still resolves: left as it is
        edits.append(Edit(where, target))
    if not edits:
        raise NotApplicable(ALL_NAMED)
    edits.sort(key=lambda e: e.span.start)
    if names:
        return RefactorResult("Name the stages: " + ", ".join(names[i] for i in sorted(names)), edits)
    return RefactorResult("Refer to the stages by name in COPY --from", edits)


REFACTORING = Refactoring(kind=KIND, title=TITLE, plan=plan, resolves=("StageReferencedByIndex",))
