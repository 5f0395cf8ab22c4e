"""Add a test stage: a ``test`` stage ``FROM <builder>`` that runs the project's tests, built with
``docker build --target test``, while the default build (the last stage) stays the image it was.

The builder is the stage the final stage copies from (``COPY --from=``) or builds on (``FROM
<stage>``); in a file where the final stage builds itself (a single stage), that stage is the builder.
The test command comes from the build context (the Dockerfile's folder), never from guessing:

- ``go test ./...`` when there is a ``go.mod``;
- ``npm test`` (``yarn test``, ``pnpm test`` with their lock files) only when ``package.json`` has a
  ``scripts.test`` that is not npm's placeholder (``echo "Error: no test specified" && exit 1``);
- ``python -m pytest`` when pytest is a dependency in ``requirements*.txt`` or ``pyproject.toml``,
  else ``python -m unittest discover`` when there are ``test_*.py`` files (unittest ships with Python);
- ``mvn -B test`` / ``./mvnw -B test`` with a ``pom.xml``, ``gradle test`` / ``./gradlew test`` with a
  ``build.gradle(.kts)``;
- ``cargo test`` with a ``Cargo.toml``.

When several fit, the one whose tool the builder already runs wins (``go build`` → Go).

The last stage is the default target, so the test stage never becomes the last one. With a separate
builder the test stage goes right before the final stage (with the final stage's comments staying
on it); the builder gets `` AS builder`` when it has no name. When the final stage is its own builder,
it is named ``builder`` (if unnamed), the test stage follows it, and a new last stage ``FROM builder
AS runtime`` (no instructions) keeps the default image exactly the one built before: a stage FROM
another has the same layers and configuration.
"""

from __future__ import annotations

import json
import re

from ..engine.ecosystems import keyword_case
from ..engine.model import Dockerfile, Stage
from ..engine.text import Span
from ._context import BuildContext, context_for
from ._stages import CONTINUATION, HAS_STAGE, NO_STAGE, SYNTAX, add_stage_from, final_stage_for
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.extract.testStage"
TITLE = "Add a test stage (docker build --target test)"
TEST_NAME = "test"
NPM_PLACEHOLDER = re.compile(r"echo \\?\"Error: no test specified\\?\" && exit 1")
# "pytest" as a requirement (pytest, pytest>=8, "pytest[testing]", pytest; python_version...), not
# a plugin such as pytest-cov, which does not bring pytest's command by name.
_PYTEST = re.compile(r"(?im)(?:^|[\"'\s,\[])pytest(?=\s*(?:$|[<>=~!;\[\"',\]]))")

# Why it is not offered; docs/refactorings/test-stage.md lists them (a test checks).
HAS_TEST = HAS_STAGE
NO_CONTEXT = "the Dockerfile is not a file on disk, so the project's tests cannot be found"
NO_COMMAND = ("no test command found in the build context (go.mod, a package.json scripts.test, pytest in "
              "requirements, pom.xml, build.gradle, Cargo.toml)")
ONBUILD = "the builder stage has ONBUILD triggers, which a stage built FROM it would run"
SCRATCH = "the builder stage is FROM scratch: it has no toolchain to run tests with"
REASONS = (NO_STAGE, SYNTAX, HAS_TEST, NO_CONTEXT, NO_COMMAND, ONBUILD, CONTINUATION, SCRATCH)

# (tool word in the builder's RUNs, command); the order is the preference when nothing matches.
_TOOL_WORDS = {"go": r"\bgo\b", "node": r"\b(npm|yarn|pnpm|node)\b", "python": r"\b(pip|python|poetry|uv)\b",
               "maven": r"\b(mvn|mvnw)\b", "gradle": r"\bgradlew?\b", "cargo": r"\bcargo\b"}


def commands_for(ctx: BuildContext) -> list[tuple[str, str]]:
    """(ecosystem, command) for every test command the build context supports."""
    out: list[tuple[str, str]] = []
    if ctx.exists("go.mod"):
        out.append(("go", "go test ./..."))
    package = ctx.read("package.json")
    if package is not None:
        try:
            scripts = json.loads(package).get("scripts") or {}
        except (ValueError, AttributeError):
            scripts = {}
        script = scripts.get("test") if isinstance(scripts, dict) else None
        if isinstance(script, str) and script.strip() and not NPM_PLACEHOLDER.search(script):
            tool = "yarn" if ctx.exists("yarn.lock") else "pnpm" if ctx.exists("pnpm-lock.yaml") else "npm"
            out.append(("node", f"{tool} test"))
    requirements = [f for f in ctx.files() if re.fullmatch(r"(.*/)?requirements[^/]*\.txt", f)]
    manifests = [*requirements, *(["pyproject.toml"] if ctx.exists("pyproject.toml") else [])]
    if any(_PYTEST.search(ctx.read(m) or "") for m in manifests):
        out.append(("python", "python -m pytest"))
    elif any(re.fullmatch(r"(.*/)?test_[^/]*\.py", f) for f in ctx.files()):
        out.append(("python", "python -m unittest discover"))
    if ctx.exists("pom.xml"):
        out.append(("maven", "./mvnw -B test" if ctx.exists("mvnw") else "mvn -B test"))
    if ctx.exists("build.gradle") or ctx.exists("build.gradle.kts"):
        out.append(("gradle", "./gradlew test" if ctx.exists("gradlew") else "gradle test"))
    if ctx.exists("Cargo.toml"):
        out.append(("cargo", "cargo test"))
    return out


def builder_of(doc: Dockerfile, final: Stage) -> Stage:
    """The stage the final image is built from: what it copies from last, or what it is FROM; the
    final stage itself when it uses no other stage."""
    copied = [c.stage for c in final.copies_from if c.stage is not None]
    if copied:
        return copied[-1]
    return final.base_stage or final


def _pick(doc: Dockerfile, builder: Stage, commands: list[tuple[str, str]]) -> str:
    chain: list[Stage] = []
    st: Stage | None = builder
    while st is not None and st not in chain:
        chain.append(st)
        st = st.base_stage
    runs = "\n".join(doc.text[i.span.start : i.span.end] for s in chain for i in s.instructions if i.cmd == "run")
    for eco, cmd in commands:
        if re.search(_TOOL_WORDS[eco], runs):
            return cmd
    return commands[0][1]


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult:
    final = final_stage_for(doc, TEST_NAME)
    builder = builder_of(doc, final)
    if builder.image is not None and builder.image.text.lower() == "scratch":
        raise NotApplicable(SCRATCH)
    if any(ins.cmd == "onbuild" for ins in builder.instructions):
        raise NotApplicable(ONBUILD)
    if not doc.context_dir:
        raise NotApplicable(NO_CONTEXT)
    commands = commands_for(context_for(doc))
    if not commands:
        raise NotApplicable(NO_COMMAND)
    command = _pick(doc, builder, commands)
    kw = keyword_case(doc)
    edits = add_stage_from(doc, builder, "builder", TEST_NAME, [f"{kw('RUN')} {command}"], "runtime")
    return RefactorResult(TITLE, edits)


REFACTORING = Refactoring(kind=KIND, title=TITLE, plan=plan)
