"""## What it does
Reports text that BuildKit cannot build: parse errors (a bad parser directive, a `# check=` directive
with an option BuildKit does not know, an unterminated
heredoc, a JSON array holding something other than strings, `ENV`/`LABEL` without a value), an
unknown instruction, an instruction without the arguments it needs, a flag the instruction does not
take or a flag without its value, an instruction before the first `FROM` other than `ARG`, and a file
with no `FROM` at all. An instruction with a bad flag gets that error only (not also the missing
arguments a half-typed `COPY --from=` still has).

## Why is this bad?
`docker build` stops at the first of these, often after a slow context upload. Seeing it while
typing costs nothing.

## Example
```dockerfile
FROM golang:1.22
RUN --mount go build ./...
COPY main.go
```

## Fix
```dockerfile
FROM golang:1.22
RUN --mount=type=cache,target=/root/.cache/go-build go build ./...
COPY main.go /src/
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.check_config import file_config
from ...engine.findings import Finding, Severity
from ...engine.instructions import FLAGS
from ...engine.parser import KNOWN_INSTRUCTIONS, Instruction
from ...engine.text import Span
from ..base import Rule, RuleContext

_NEEDS_ARGS = {
    "from",
    "run",
    "cmd",
    "entrypoint",
    "env",
    "label",
    "arg",
    "expose",
    "user",
    "workdir",
    "volume",
    "stopsignal",
    "maintainer",
    "shell",
    "onbuild",
    "healthcheck",
    "copy",
    "add",
}


def _check_instruction(ins: Instruction, nested: bool) -> Iterator[tuple[Span, str]]:
    cmd = ins.cmd
    if cmd not in KNOWN_INSTRUCTIONS:
        yield ins.keyword_span, f"unknown instruction: {ins.keyword or ins.original.strip()}"
        return
    allowed = FLAGS.get(cmd, {})
    flag_errors = False
    for flag in ins.flags:
        name = flag.name.lower()
        if name not in allowed:
            yield flag.span, f"unknown flag: {flag.raw.split('=', 1)[0]}"
        elif allowed[name][0] and not flag.value:
            yield flag.span, f"missing a value on flag: {flag.raw.split('=', 1)[0]}"
        elif not allowed[name][0] and flag.value is not None and flag.value.lower() not in ("true", "false"):
            yield flag.span, f"expecting boolean value for flag {name}, not: {flag.value}"
        else:
            continue
        flag_errors = True
    if flag_errors:
        # A half-typed flag (``COPY --from=``) is where the user is typing: that error is enough,
        # the missing arguments after it are not news yet (BuildKit, too, stops at one error).
        return
    has_args = bool(ins.args_text) or (ins.json and ins.args is not None)
    if cmd in _NEEDS_ARGS and not has_args:
        yield ins.keyword_span, f"{ins.keyword.upper()} requires at least one argument"
        return
    if cmd in ("copy", "add") and len(ins.args) < 2:
        # A heredoc counts as a source: `COPY <<EOF /dest` has two arguments.
        yield ins.args_span, (
            f"{cmd.upper()} requires at least two arguments, but only one was provided. "
            "Destination could not be determined"
        )
    if cmd == "shell" and not ins.json:
        yield ins.args_span, "SHELL requires the arguments to be in JSON form"
    if cmd == "healthcheck" and ins.args:
        kind = ins.args[0].value.upper()
        if kind not in ("CMD", "NONE"):
            yield ins.args[0].span, f"Unknown type {kind!r} in HEALTHCHECK (try CMD)"
        elif kind == "NONE" and len(ins.args) > 1:
            yield ins.args_span, "HEALTHCHECK NONE takes no arguments"
        elif kind == "CMD" and len(ins.args) < 2:
            yield ins.args[0].span, "Missing command after HEALTHCHECK CMD"
    if cmd == "onbuild":
        sub = ins.sub
        if sub is not None:
            if sub.cmd in ("onbuild", "from", "maintainer"):
                yield sub.keyword_span, f"{sub.keyword.upper()} isn't allowed as an ONBUILD trigger"
            elif not nested:
                yield from _check_instruction(sub, True)
    if cmd == "from" and len(ins.args) not in (1, 3):
        yield ins.args_span, "FROM requires either one or three arguments"
    elif cmd == "from" and len(ins.args) == 3 and ins.args[1].value.lower() != "as":
        yield ins.args[1].span, "FROM requires either one or three arguments (expected AS before the stage name)"
    if cmd in ("arg",) and ins.args:
        for kv in ins.pairs:
            if not kv.key.value:
                yield kv.key.span, "ARG names can not be blank"


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for issue in doc.parsed.errors:
        yield RULE.finding(issue.span, issue.message)
    check_error = file_config(doc)[1]
    if check_error is not None:
        directive = next(d for d in doc.parsed.directives if d.name == "check")
        yield RULE.finding(directive.value_span, check_error)
    for ins in doc.instructions:
        if ins.error:
            yield RULE.finding(ins.line_span or ins.span, ins.error)
            continue
        for span, message in _check_instruction(ins, False):
            yield RULE.finding(span, message)
    for stage in doc.stages:
        if stage.error and len(stage.from_instruction.args) in (1, 3):
            span = stage.name_span or stage.from_instruction.args_span
            yield RULE.finding(span, stage.error)
    if doc.instructions and not doc.stages:
        first = doc.instructions[0]
        yield RULE.finding(first.keyword_span, "no FROM instruction: a Dockerfile needs at least one build stage")
    elif doc.stages:
        for ins in doc.preamble:
            if ins.cmd != "arg" and ins.cmd in KNOWN_INSTRUCTIONS:
                yield RULE.finding(
                    ins.keyword_span,
                    f"{ins.keyword.upper()} before the first FROM: only ARG may come before FROM",
                )


RULE = Rule(
    code="syntax-error",
    name="syntax-error",
    summary="Text that BuildKit refuses to build",
    severity=Severity.ERROR,
    origin="dockerfile-refactor-ls",
    check=check,
)
