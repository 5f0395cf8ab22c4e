"""## What it does
Flags a `$VAR` / `${VAR}` that BuildKit expands (in `COPY`, `ADD`, `ENV`, `LABEL`, `WORKDIR`, `USER`,
`EXPOSE`, `VOLUME`, `STOPSIGNAL`, `ARG`) when nothing in scope defines it. BuildKit check
`UndefinedVar`.

In scope are: `ARG`s declared earlier in the same stage, `ENV`s set earlier in the stage or in a stage
it is built `FROM`, and the proxy and automatic build arguments. A global `ARG` (declared before the
first `FROM`) is **not** in scope inside a stage until the stage re-declares it with `ARG NAME` —
the most common cause of this warning, with a quick fix that adds the `ARG` line.

Variables the base image itself defines (`PATH`, `JAVA_HOME`, `NODE_VERSION`, ...) cannot be seen
without pulling the image. For the official and widely used images in the bundled image table
(`engine/data/images.toml`, from their published Dockerfiles) the names they set are known, so a name
neither the file nor the image defines is reported as BuildKit would. For other images this rule stays
silent for a name that is not declared anywhere in the file unless the stage starts from `scratch` or
from another stage of the file (whose environment is known).

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
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.image_facts import facts_for_stage
from ...engine.model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS, Stage, VarDecl
from ...engine.text import Span
from ..base import Rule, RuleContext

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


# Set in every container by the runtime, whatever the image.
_RUNTIME_ENV = frozenset(("PATH", "HOME", "HOSTNAME", "TERM"))


def _visible(stage: Stage, before: int) -> tuple[set[str], list[VarDecl]]:
    """Names defined in ``stage`` before document offset ``before`` (ENV inherited from parents)."""
    names = {d.name for d in stage.args if d.instruction.span.start < before}
    names |= {d.name for d in stage.envs if d.instruction.span.start < before}
    parent = stage.base_stage
    seen = {id(stage)}
    while parent is not None and id(parent) not in seen:
        seen.add(id(parent))
        names |= {d.name for d in parent.envs}
        parent = parent.base_stage
    return names, stage.args


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    global_args = {d.name for d in doc.global_args}
    everywhere = {d.name for d in doc.global_args}
    for st in doc.stages:
        everywhere |= {d.name for d in st.args} | {d.name for d in st.envs}
    for ref in doc.var_refs:
        stage = ref.stage
        if not ref.by_buildkit or stage is None or ref.instruction is stage.from_instruction:
            continue
        if ref.instruction.cmd == "onbuild" or ref.has_default:
            continue
        name = ref.name
        if name in PREDEFINED_ARGS:
            continue
        names, _ = _visible(stage, ref.instruction.span.start)
        if name in names:
            continue
        root = stage.root_image()
        # The base image's own ENV is known when the chain of stages starts from scratch, or from an
        # image the bundled table knows (engine/data/images.toml lists the names its Dockerfile sets).
        known_env = root is not None and root.is_scratch
        facts = facts_for_stage(doc, stage) if not known_env else None
        if facts is not None and facts.env:
            if name in facts.env or name in _RUNTIME_ENV:
                continue
            known_env = True
        if not known_env and name in COMMON_IMAGE_ENV:
            continue
        fixes: list[Fix] = []
        if name in global_args:
            message = (
                f"Usage of undefined variable '${name}': the global ARG {name} is not visible in this "
                f"stage until it is re-declared with 'ARG {name}'"
            )
            line_end = doc.lines.line_end(doc.lines.line_of(stage.from_instruction.span.end))
            keyword = "ARG" if stage.from_instruction.keyword.isupper() or not stage.from_instruction.keyword.islower() else "arg"
            fixes.append(
                Fix(f"Declare 'ARG {name}' in this stage", [Edit(Span(line_end, line_end), f"{doc.line_ending}{keyword} {name}")])
            )
        elif name in AUTOMATIC_PLATFORM_ARGS:
            message = f"Usage of undefined variable '${name}': automatic platform ARGs need 'ARG {name}' in the stage"
        elif name in everywhere and known_env:
            message = f"Usage of undefined variable '${name}': it is not declared in this stage before this line"
        elif known_env:
            message = f"Usage of undefined variable '${name}'"
            close = difflib.get_close_matches(name, sorted(names), n=1)
            if close:
                message += f" (did you mean ${close[0]}?)"
        else:
            continue
        yield RULE.finding(ref.name_span, message, fixes=fixes)


RULE = Rule(
    code="UndefinedVar",
    name="undefined-var",
    summary="A variable BuildKit expands is not defined in scope",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
