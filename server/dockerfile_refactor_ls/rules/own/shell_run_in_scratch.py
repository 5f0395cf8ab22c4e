"""## What it does
Flags instructions that need `/bin/sh` in a stage whose image has none: `scratch`, the
`gcr.io/distroless` images (their `:debug` tags have a busybox shell at `/busybox/sh`, not at
`/bin/sh`) and the chiseled images, also through `FROM <stage>` chains. Reported are

- `RUN` in the shell form, and `RUN ["sh", "-c", ...]` (the build fails);
- `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` in the shell form or starting a shell (the container
  fails to start, or its health check always fails).

Not reported when a `SHELL` instruction chose another shell, when an earlier `COPY`/`ADD` of the
stage (or of the stages it is built on) may have put a shell at `/bin/sh` (a destination of `/`,
`/bin`, `/bin/sh` or one that cannot be resolved), and for images we know nothing about.

## Why is this bad?
The shell form of an instruction is run as `/bin/sh -c "<text>"`. In an image without a shell
this fails with `exec: "/bin/sh": stat /bin/sh: no such file or directory`: at build time for `RUN`,
when the container starts for `CMD` and `ENTRYPOINT`.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM scratch
COPY --from=build /app /app
RUN /app --self-test
ENTRYPOINT /app
```

## Fix
Run the program directly with the exec form, or do the work in a stage that has a shell:
```dockerfile
RUN ["/app", "--self-test"]
ENTRYPOINT ["/app"]
```
The quick fix "Use the exec form" is offered when the command is plain words (no quotes,
variables, pipes or `&&` that need a shell).

## Fix safety
Not applied by `source.fixAll` or `fix --all`: the exec form runs the program without a shell,
which is what makes it work here, but it is a change of what the instruction runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Fix, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction, Token
from ...engine.shell import SHELLS, effective_shell
from ...engine.text import Span
from .._exec_form import exec_form_edit, plain_words
from ..base import Rule, RuleContext
from ._base_facts import base_facts, copies_into

_SHELL_PATHS = ("/bin/sh",)


def _runs_a_shell(args: list[Token]) -> bool:
    return bool(args) and args[0].value.rsplit("/", 1)[-1] in SHELLS


def _what(doc: Dockerfile, stage: Stage) -> str:
    facts = base_facts(doc, stage)
    image = facts.image or "the base image"
    via = f" (through {stage.image.text})" if stage.base_stage is not None and stage.image is not None else ""
    return f"{image}{via}"


def _finding(doc: Dockerfile, stage: Stage, ins: Instruction, args_span: Span, args_text: str,
             keyword: str, json_form: bool) -> Finding:
    when = "the build fails" if keyword == "RUN" else (
        "the health check always fails" if keyword == "HEALTHCHECK" else "the container cannot start")
    how = "starts a shell" if json_form else "in the shell form needs /bin/sh"
    fixes: list[Fix] = []
    words = None if json_form else plain_words(doc, args_text, args_span)
    if words is not None:
        fixes.append(Fix("Use the exec form (no shell)", [exec_form_edit(args_span, words)], safe=False, preferred=True))
    return RULE.finding(
        args_span,
        f"{keyword} {how}, and {_what(doc, stage)} has no shell: {when}",
        fixes=fixes,
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    for stage in ctx.stages():
        if not stage.instructions or base_facts(doc, stage).has_shell is not False:
            continue
        for ins in stage.instructions:
            cmd = ins.cmd
            if cmd not in ("run", "cmd", "entrypoint", "healthcheck") or ins.error is not None:
                continue
            start = ins.span.start
            if effective_shell(doc, stage, start) is not None or copies_into(doc, stage, _SHELL_PATHS, start):
                continue
            args, span, text = ins.args, ins.args_span, ins.args_text
            if cmd == "healthcheck":
                if not args or args[0].value.upper() != "CMD":
                    continue
                rest = text[len(args[0].value) :]
                text = rest.lstrip()
                span = Span(span.start + len(ins.args_text) - len(text), span.end)
                args = args[1:]
            if not text:
                continue
            if ins.json:
                if _runs_a_shell(args):
                    yield _finding(doc, stage, ins, span, text, ins.keyword.upper(), True)
            else:
                yield _finding(doc, stage, ins, span, text, ins.keyword.upper(), False)


RULE = Rule(
    code="ShellRunInScratch",
    name="shell-run-in-scratch",
    summary="Shell-form RUN/CMD/ENTRYPOINT in a stage whose image has no shell",
    severity=Severity.ERROR,
    origin="dockerfile-refactor-ls",
    check=check,
    per_stage=True,
)
