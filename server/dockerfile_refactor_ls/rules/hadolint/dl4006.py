"""## What it does
Flags a `RUN` with a pipe (`a | b`) when the shell does not run with `pipefail`. hadolint rule
`DL4006`.

`pipefail` counts when it is set by a `SHELL` instruction in force for the `RUN` (for example
`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, also inherited from the stage a stage is built on)
whose shell has the option (bash, zsh, ash, ksh, mksh; not `sh`, which is dash on Debian and
Ubuntu, as in hadolint), or by `set -o pipefail` earlier in the same `RUN`.

Differs from hadolint: pipelines whose stages before the last are only `echo`/`printf`
(`echo "$SHA  file" | sha256sum -c -`) are not reported, since nothing there can fail (hadolint
reports them; they are most of the corpus findings where the two differ); `set -o pipefail` in the
`RUN` itself counts (hadolint reads only `SHELL`); the shell is matched by its file name
(`/usr/bin/bash` counts; hadolint accepts only `bash` and `/bin/bash`, and likewise for zsh and
ash).

## Why is this bad?
A pipeline's exit status is the status of its *last* command. In
`RUN curl -fsSL https://example.com/install.sh | sh`, a failed download is ignored and the
build goes on with a half-run installer.

## Example
```dockerfile
RUN wget -O - https://some.site | wc -l > /number
```

## Fix
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -O - https://some.site | wc -l > /number
```
The quick fix inserts such a `SHELL` line before the first `RUN` of the stage that needs it
(`/bin/ash` in Alpine and BusyBox images, `/bin/bash` otherwise). It is not applied by "fix all":
it changes the shell of every later `RUN`, and the image must have that shell.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import ShellScript
from ...engine.text import Span
from ..base import Rule, RuleContext

# Shells known to have `-o pipefail`. `sh` is not one: on Debian and Ubuntu it is dash, which has
# no pipefail in the versions those images ship, so `sh -o pipefail` is no guarantee.
_PIPEFAIL_SHELLS = frozenset(("bash", "zsh", "ash", "ksh", "mksh"))


def _last_shell(stage: Stage) -> Instruction | None:
    return next((i for i in reversed(stage.instructions) if i.cmd == "shell"), None)


def _pipefail_shell(ctx: RuleContext, stage: Stage | None, before: int) -> bool:
    """Whether the SHELL in effect at ``before`` sets pipefail: the stage's last SHELL before it,
    else the last SHELL of the chain it is built on (one answer per stage for the analysis)."""
    if stage is None:
        return False
    shell = next((i for i in reversed(stage.instructions) if i.cmd == "shell" and i.span.start < before), None)
    if shell is None and stage.base_stage is not None:
        shell = ctx.chains().fold(
            stage.base_stage, "last-shell", _last_shell, lambda mine, above: mine or above, via_args=False
        )
    if shell is None:
        return False
    args = [t.value for t in shell.args]
    if not args or args[0].replace("\\", "/").rsplit("/", 1)[-1] not in _PIPEFAIL_SHELLS:
        return False
    return "pipefail" in args and any(a.startswith("-") and "o" in a for a in args)


# Commands that cannot fail in a way pipefail would report.
_NEVER_FAIL = frozenset(("echo", "printf", "true", "yes", ":"))


def _harmless(script: ShellScript, pipe: Span) -> bool:
    """Every stage of the pipeline but the last is an echo/printf: nothing for pipefail to catch."""
    inside = [c for c in script.commands if pipe.start <= c.span.start and c.span.end <= pipe.end]
    top = [
        c for c in inside
        if not any(o is not c and o.span.start <= c.span.start and c.span.end <= o.span.end and o.span != c.span for o in inside)
    ]
    top.sort(key=lambda c: c.span.start)
    return len(top) >= 2 and all(c.name in _NEVER_FAIL for c in top[:-1])


def _sets_pipefail(script: ShellScript, before: int) -> bool:
    return any(
        c.name == "set" and c.has_arg("pipefail") and c.span.start < before for c in script.commands
    )


def _fix(doc: Dockerfile, stage: Stage | None, ins: Instruction) -> list[Fix]:
    image = stage.root_image() if stage is not None else None
    if image is None or image.is_scratch:
        return []
    name = image.text.lower()
    shell = "/bin/ash" if ("alpine" in name or "busybox" in name) else "/bin/bash"
    line_start = doc.text.rfind("\n", 0, ins.span.start) + 1
    indent = doc.text[line_start : ins.span.start]
    if indent.strip():
        return []
    keyword = "shell" if ins.keyword.islower() else "SHELL"
    text = f'{indent}{keyword} ["{shell}", "-o", "pipefail", "-c"]{doc.line_ending}'
    return [Fix(f"Set SHELL to {shell} with -o pipefail", [Edit(Span(line_start, line_start), text)], safe=False)]


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    fixed: set[int] = set()
    for stage, ins, script in ctx.runs(onbuild=False):
        if not script.pipelines or _pipefail_shell(ctx, stage, ins.span.start):
            continue
        pipes = sorted((p for p in script.pipelines if not _harmless(script, p)), key=lambda s: s.start)
        if not pipes:
            continue
        pipe = pipes[0]
        if _sets_pipefail(script, pipe.start):
            continue
        key = id(stage)
        fixes = [] if key in fixed else _fix(doc, stage, ins)
        fixed.add(key)
        yield RULE.finding(
            pipe,
            "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using "
            "/bin/sh in an alpine image or if your shell is symlinked to busybox then consider "
            "explicitly setting your SHELL to /bin/ash, or disable this check",
            fixes=fixes,
        )


RULE = Rule(
    code="DL4006",
    name="pipefail",
    summary="Set the SHELL option -o pipefail before RUN with a pipe in it",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_stage=True,
)
