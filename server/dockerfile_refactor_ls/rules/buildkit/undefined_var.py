"""## What it does
Flags a `$VAR` / `${VAR}` that BuildKit expands (in `COPY`, `ADD`, `ENV`, `LABEL`, `WORKDIR`, `USER`,
`EXPOSE`, `VOLUME`, `STOPSIGNAL`, `ARG` defaults) when nothing in scope defines it. BuildKit check
`UndefinedVar`, with its message word for word.

In scope, as BuildKit computes it while dispatching the instruction: `ARG`s declared earlier in the
stage or in a stage it is built `FROM`, `ENV`s set earlier in the stage or in those stages, the
base image's own environment and `PATH` (which BuildKit always sets). Like BuildKit, a
`${VAR:-default}` still counts as a use of `VAR`. A global `ARG` (declared before the first `FROM`)
is **not** in scope inside a stage until the stage re-declares it with `ARG NAME` — the most
common cause of this warning, with a quick fix that adds the `ARG` line (the same for the automatic
platform arguments such as `TARGETARCH`).

The base image's environment is known offline for `scratch`, for the stages of the file, and for
the official images in the rule's table (`alpine`, `debian`, `golang`, `node`, `python`,
`eclipse-temurin`, `nginx`, distroless, ...). From any other image a name could come from the
image itself, so the rule reports it only when it is a likely typo: one or two edits away from a
name in scope, reported with BuildKit's "did you mean" (`$PAHT` for `$PATH`).

Deliberate difference: names that base images commonly set (`JAVA_HOME`, `NODE_VERSION`,
`GOPATH`, ...) are never reported unless the stage starts from `scratch`, so a table that lags
behind an image cannot raise a false alarm.

## Why is this bad?
An undefined variable expands to the empty string: `COPY app /opt/${APP_DIR}/` copies into `/opt/`.

## Example
```dockerfile
ARG VERSION=1.0
FROM alpine:3.20
LABEL version=$VERSION
```

## Fix
```dockerfile
ARG VERSION=1.0
FROM alpine:3.20
ARG VERSION
LABEL version=$VERSION
```
The quick fix that declares the global or automatic `ARG` in the stage is safe: it makes the value
the build already computes visible where the Dockerfile uses it. The "did you mean" fix, which
renames the reference, is offered but not applied by "fix all".
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import AUTOMATIC_PLATFORM_ARGS, Dockerfile, Stage, VarRef
from ...engine.text import Span
from ..base import Rule, RuleContext
from ._common import lineage, suggest
from ._image_env import stage_image_env

# Variables that official base images set with ENV; a reference to one of them is most likely
# satisfied by the image even when the Dockerfile never declares it.
COMMON_IMAGE_ENV = frozenset(
    """PATH HOME HOSTNAME LANG LC_ALL TZ NODE_VERSION YARN_VERSION GOLANG_VERSION GOPATH GOTOOLCHAIN
    JAVA_HOME JAVA_VERSION JDK_VERSION PYTHON_VERSION PYTHON_SHA256 PIP_VERSION GPG_KEY NGINX_VERSION
    NJS_VERSION PKG_RELEASE PHP_VERSION PHP_INI_DIR PHPIZE_DEPS RUBY_VERSION RUBY_MAJOR GEM_HOME
    BUNDLE_PATH BUNDLE_SILENCE_ROOT_WARNING BUNDLE_APP_CONFIG RUSTUP_HOME CARGO_HOME RUST_VERSION
    MAVEN_HOME MAVEN_CONFIG GRADLE_HOME GRADLE_VERSION DOTNET_VERSION ASPNET_VERSION
    ASPNETCORE_HTTP_PORTS APP_UID DEBIAN_FRONTEND PGDATA PG_MAJOR PG_VERSION JENKINS_HOME
    """.split()
)
# BuildKit's nonEnvArgs: build arguments it never reports.
_NON_ENV_ARGS = frozenset(("BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"))


def _scope(doc: Dockerfile, stage: Stage, before: int, global_values: dict[str, bool]) -> tuple[set[str], set[str]]:
    """(names in the stage's environment, ARG names declared) before document offset ``before``."""
    env: set[str] = set()
    declared: set[str] = set()
    for st in lineage(stage):
        for a in st.args:
            if st is stage and a.instruction.span.start >= before:
                continue
            declared.add(a.name)
            if a.value is not None or global_values.get(a.name):
                env.add(a.name)
        for e in st.envs:
            if st is stage and e.instruction.span.start >= before:
                continue
            env.add(e.name)
    return env, declared


def _declared_before(ctx: RuleContext, stage: Stage, name: str, before: int) -> bool:
    """Whether ``name`` is in the scope :func:`_scope` would build (an ARG or ENV of a stage
    ``stage`` is built on, or of ``stage`` before ``before``), without building it: the parents
    through the analysis's declaration index, so a reference costs O(its own stage), not O(chain)
    (every reference walked the whole chain: quadratic on ``FROM <previous stage>`` chains)."""
    base = stage.base_stage
    if base is not None and ctx.chains().declares(base, name):
        return True
    return any(d.name == name and d.instruction.span.start < before for d in stage.args + stage.envs)


def _in_from_flag(ref: VarRef) -> bool:
    flag = ref.instruction.flag("from")
    return flag is not None and flag.span.contains(ref.name_span.start)


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    global_values = {d.name: d.value is not None for d in doc.global_args}
    for ref in doc.var_refs:
        stage = ref.stage
        if not ref.by_buildkit or stage is None or ref.instruction is stage.from_instruction:
            continue
        if ref.instruction.cmd == "onbuild" or ref.name in _NON_ENV_ARGS or _in_from_flag(ref):
            continue
        name = ref.name
        if _declared_before(ctx, stage, name, ref.instruction.span.start):
            continue
        env, declared = _scope(doc, stage, ref.instruction.span.start, global_values)
        if name in env or name in declared:
            continue
        root = stage.root_image()
        image_names = stage_image_env(doc, stage)
        if image_names is not None:
            env |= image_names
            if name in env:
                continue
        if (root is None or not root.is_scratch) and name in COMMON_IMAGE_ENV:
            continue
        close = suggest(name, env | ({"PATH"} if image_names is None else set()))
        if image_names is None and close is None and name not in global_values and name not in AUTOMATIC_PLATFORM_ARGS:
            continue  # the unknown base image may well define it
        message = f"Usage of undefined variable '${name}'"
        if close:
            message += f" (did you mean ${close}?)"
        fixes: list[Fix] = []
        if name in global_values or name in AUTOMATIC_PLATFORM_ARGS:
            line_end = doc.lines.line_end(doc.lines.line_of(stage.from_instruction.span.end))
            keyword = "arg" if stage.from_instruction.keyword.islower() else "ARG"
            what = "global" if name in global_values else "automatic platform"
            fixes.append(
                Fix(
                    f"Declare the {what} ARG {name} in this stage ('{keyword} {name}')",
                    [Edit(Span(line_end, line_end), f"{doc.line_ending}{keyword} {name}")],
                    # Unsafe: the variable gets a value where it was empty, which changes what the
                    # instructions do (most likely what was meant: review it).
                    safe=False,
                    preferred=True,
                )
            )
        if close:
            fixes.append(Fix(f"Change to ${close}", [Edit(ref.name_span, close)], safe=False))
        yield RULE.finding(ref.name_span, message, fixes=fixes)


RULE = Rule(
    code="UndefinedVar",
    name="undefined-var",
    summary="A variable BuildKit expands is not defined in scope",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
