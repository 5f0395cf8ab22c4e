"""## What it does
Flags a stage that nothing built by default uses: the final stage does not build on it (`FROM
<stage>`), copy from it (`COPY --from`, `ADD --from`) or mount it (`RUN --mount=from=`), neither
directly nor through the stages it uses. Shown as information, and greyed out as unused code.

Stages meant to be built with `--target` are roots too, and so are the stages they use: stages
whose name contains one of the words `test`, `tests`, `testing`, `unit`, `integration`, `e2e`,
`lint`, `check`, `ci`, `dev`, `develop`, `development`, `debug`, `local`, `prod`, `production`,
`release`, `final`, `runtime`, `deploy`, `docs`, `bench`, `coverage`, `fmt`, `format`, `vet`,
`validate`, `generate`, `update`, `vendor`, `audit`, `scan`, `export`, `artifacts`, `binaries`,
`dist`, `out`, `output`, `package`, `publish`, `shell`, `tools`, `staging`, `sandbox`, `cross`,
`all` (split at `-`, `_` and `.`, so `unit-test` and `build_debug` count).

Nothing is reported when a `--from` or `from=` names a stage through a variable that cannot be
resolved (any stage may then be the one used).

## Why is this bad?
BuildKit builds only the stages the target needs: an unused stage is skipped silently, so whatever
it was meant to do (run the tests, build an asset the image should contain) does not happen. Often
a `COPY --from=` that should use it names another stage, or was forgotten. If it really is unused,
it is dead code that readers have to understand.

## Example
```dockerfile
FROM node:20 AS assets
RUN npm ci && npm run build
FROM nginx:1.27-alpine
COPY public/ /usr/share/nginx/html/
```

## Fix
Use the stage (`COPY --from=assets /dist /usr/share/nginx/html/`), or remove it. The quick fix
"Remove the unused stage" deletes it (with the comment lines right above it); it is offered only
when no `--from` refers to a stage by its number, which the removal would shift.

## Fix safety
Not applied by `source.fixAll` or `fix --all`: the stage may be built on purpose with `--target`
or by a bake or compose file, which the Dockerfile cannot show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.text import Span
from ..base import Rule, RuleContext
from ._base_facts import global_values, parent, substitute

TARGET_WORDS = frozenset(
    ("test", "tests", "testing", "unittest", "unit", "integration", "e2e", "lint", "linter", "check", "checks",
     "ci", "dev", "devel", "develop", "development", "debug", "local", "prod", "production", "release", "final",
     "runtime", "deploy", "docs", "doc", "bench", "benchmark", "coverage", "fmt", "format", "vet", "validate",
     "generate", "update", "vendor", "audit", "scan", "export", "artifacts", "artifact", "binaries", "dist",
     "out", "output", "package", "publish", "shell", "tools", "staging", "sandbox", "cross", "all")
)
_MOUNT_FROM = re.compile(r"(?:^|,)from=([^,]+)")


def is_target_name(name: str) -> bool:
    return any(w in TARGET_WORDS for w in re.split(r"[-_.]", name.lower()))


class _Unresolved(Exception):
    pass


def _named(
    doc: Dockerfile, value: str, before: int, values: dict[str, str | None], by_index: bool = True
) -> Stage | None:
    if "$" in value:
        resolved = substitute(value, values)
        if resolved is None:
            raise _Unresolved(value)
        value = resolved
    return doc.stage_named(value, before=before, by_index=by_index)


def _uses(doc: Dockerfile, stage: Stage, values: dict[str, str | None]) -> list[Stage]:
    """The stages ``stage`` builds on, copies from or mounts."""
    out: list[Stage] = []
    if stage.image is not None and stage.image.has_variables and substitute(stage.image.text, values) is None:
        raise _Unresolved(stage.image.text)
    up = parent(doc, stage)
    if up is not None:
        out.append(up)
    for ins in stage.instructions:
        # An ONBUILD's payload runs in the stages built FROM this one; counting it here is the same
        # for reachability (this stage is then reached too).
        target: Instruction = ins.sub if ins.sub is not None else ins
        for flag in target.flags:
            if flag.name == "from" and target.cmd in ("copy", "add") and flag.value:
                used = _named(doc, flag.value, stage.index, values)
                if used is not None:
                    out.append(used)
            elif flag.name == "mount" and target.cmd == "run" and flag.value:
                for m in _MOUNT_FROM.finditer(flag.value):
                    used = _named(doc, m.group(1).strip("\"'"), stage.index, values, by_index=False)
                    if used is not None:
                        out.append(used)
    return out


def unreachable(doc: Dockerfile) -> list[Stage]:
    """The stages neither the final stage nor a target-like stage uses (empty when unknowable)."""
    stages = doc.stages
    if len(stages) < 2:
        return []
    values = global_values(doc)
    try:
        uses = {id(st): _uses(doc, st, values) for st in stages}
    except _Unresolved:
        return []
    roots = [stages[-1]] + [st for st in stages if st.name and is_target_name(st.name)]
    seen: set[int] = set()
    todo = list(roots)
    while todo:
        st = todo.pop()
        if id(st) in seen:
            continue
        seen.add(id(st))
        todo.extend(uses[id(st)])
    return [st for st in stages if id(st) not in seen]


def _numeric_refs(doc: Dockerfile) -> bool:
    for ins in doc.instructions:
        for flag in ins.flags:
            value = flag.value or ""
            # Only COPY/ADD --from takes a stage index; removing a stage would renumber it. A number
            # in RUN --mount=from= is an image name, which no removal changes.
            if flag.name == "from" and value.isdigit():
                return True
        if ins.cmd == "from" and ins.args and ins.args[0].value.isdigit():
            return True
    return False


def _comment_block_starts(doc: Dockerfile) -> Callable[[Instruction], int]:
    """Where the comment lines right above an instruction start (the line sets built once)."""
    comment_lines = {doc.lines.line_of(c.start) for c in doc.parsed.comments}
    directive_lines = {doc.lines.line_of(d.span.start) for d in doc.parsed.directives}

    def start(ins: Instruction) -> int:
        line = doc.lines.line_of(ins.keyword_span.start)
        while line > 0 and (line - 1) in comment_lines and (line - 1) not in directive_lines:
            line -= 1
        return doc.lines.line_start(line)

    return start


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    dead = unreachable(doc)
    if not dead:
        return
    removable = not _numeric_refs(doc)
    block_start = _comment_block_starts(doc)
    for st in dead:
        ins = st.from_instruction
        label = f"Stage {st.name!r}" if st.name else f"Stage {st.index} ({st.image.text if st.image else 'FROM'})"
        fixes: list[Fix] = []
        nxt = doc.stages[st.index + 1] if st.index + 1 < len(doc.stages) else None
        if removable and nxt is not None:
            start = block_start(ins)
            end = block_start(nxt.from_instruction)
            fixes.append(Fix("Remove the unused stage", [Edit(Span(start, end), "")], safe=False))
        how = f"build it with --target {st.name}, use it" if st.name else "use it"
        yield RULE.finding(
            ins.line_span or ins.span,
            f"{label} is not used by the final stage, so a default build skips it; {how} with COPY --from "
            "or remove it",
            fixes=fixes,
            unnecessary=True,
        )


RULE = Rule(
    code="UnreachableStage",
    name="unreachable-stage",
    summary="A stage that neither the final stage nor a --target-able stage uses",
    severity=Severity.INFORMATION,
    origin="dockerfile-refactor-ls",
    check=check,
)
