"""Inlay hints: what the engine knows that the text does not say.

- **Resolved values**: after a ``$VAR``/``${VAR...}`` that resolves (with BuildKit's scoping, see
  :mod:`.navigation`) to a declaration with a literal default, ``= value``; in a ``FROM`` line
  the whole image once global ARGs are substituted (``FROM golang:${GO}-alpine`` ▸
  ``= golang:1.22-alpine``). Values are defaults: ``--build-arg`` may override them, which the
  tooltip says. References BuildKit cannot resolve get no hint.
- **Stage index** after an unnamed ``FROM`` in a multi-stage file (``stage 1``), the number
  ``COPY --from=1`` and ``--target`` would use.
- **User** at ``CMD`` and ``ENTRYPOINT``: who the container process runs as (``as app``), from
  the last ``USER`` in the stage or the stages it is built on, else from the base image (through
  the ``image_user`` callback, which knows images; without it, or when it cannot tell, no hint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .images import resolve_image_text as resolved_image
from .images import substitute
from .model import Dockerfile, Stage
from .navigation import instructions_var_refs, resolve_ref
from .parser import Instruction
from .text import Span

_MAX_LABEL = 48


@dataclass(frozen=True, slots=True)
class InlayHint:
    offset: int
    label: str
    kind: str  # "value", "stage" or "user"
    tooltip: str


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _MAX_LABEL else value[: _MAX_LABEL - 1] + "…"


def stage_user(doc: Dockerfile, stage: Stage, before: int) -> tuple[str, Stage] | None:
    """The value of the last ``USER`` before offset ``before`` in the stage or the stages it is
    built ``FROM`` (nearest first), and the stage that sets it."""
    seen: set[int] = set()
    current: Stage | None = stage
    limit = before
    while current is not None and current.index not in seen:
        seen.add(current.index)
        for ins in reversed(current.instructions):
            if ins.cmd == "user" and ins.span.start < limit and ins.args:
                return ins.args[0].value, current
        current = current.base_stage
        limit = len(doc.text) + 1
    return None


def inlay_hints(
    doc: Dockerfile,
    span: Span | None = None,
    image_user: Callable[[Dockerfile, Stage], str | None] | None = None,
) -> list[InlayHint]:
    lo, hi = (span.start, span.end) if span is not None else (0, len(doc.text))
    out: list[InlayHint] = []
    text = doc.text
    multi = len(doc.stages) > 1
    # Only the stages and uses of the instructions in the range (an editor asks for the screen):
    # every hint sits inside the instruction it is about.
    instructions = doc.instructions_between(lo, hi)
    stages: list[Stage] = []
    for ins in instructions:
        st = doc.stage_of(ins)
        if st is not None and (not stages or stages[-1] is not st):
            stages.append(st)
    # (Read from the instructions, not the document's index: hints for the screen come at once
    # while a big document's indexes are being built.)
    refs = instructions_var_refs(doc, instructions)
    # The CMD/ENTRYPOINT of each stage in the range, found in one pass (not once per stage).
    bodies: dict[int, list[Instruction]] = {}
    for i in instructions:
        if i.cmd in ("cmd", "entrypoint") and (owner := doc.stage_of(i)) is not None:
            bodies.setdefault(id(owner), []).append(i)
    for stage in stages:
        ins = stage.from_instruction
        if ins.span.end < lo or ins.span.start > hi:
            pass
        elif stage.image is not None:
            if stage.image.has_variables:
                resolved = resolved_image(doc, stage)
                if resolved is not None and resolved != stage.image.text:
                    out.append(
                        InlayHint(
                            stage.image.span.end,
                            "= " + _short(resolved),
                            "value",
                            f"The base image with the global ARG defaults substituted: {resolved}"
                            " (a --build-arg can change it)",
                        )
                    )
            if stage.name is None and multi:
                end = (ins.line_span or ins.span).end
                out.append(
                    InlayHint(
                        end,
                        f"stage {stage.index}",
                        "stage",
                        f"This unnamed stage is stage {stage.index}: COPY --from={stage.index}",
                    )
                )
        for body in bodies.get(id(stage), ()):
            if body.span.end < lo or body.span.start > hi:
                continue
            found = stage_user(doc, stage, body.span.start)
            if found is not None:
                user, where = found
                origin = "this stage" if where is stage else f"stage {where.label}"
                tooltip = f"The container runs as {user} (USER in {origin})"
            else:
                guess = image_user(doc, stage) if image_user is not None else None
                if guess is None:
                    continue
                user = guess
                tooltip = f"No USER is set: the container runs as {user}, the base image's default user"
            out.append(InlayHint(body.keyword_span.end, f"as {_short(user)}", "user", tooltip))
    globals_: dict[str, str | None] = {}
    for d in doc.global_args:
        globals_[d.name] = d.value
    for ref in refs:
        if ref.span.end < lo or ref.span.start > hi:
            continue
        ref_stage = ref.stage
        if ref_stage is not None and ref.instruction is ref_stage.from_instruction and ref_stage.image is not None:
            image_span = ref_stage.image.span
            if image_span.start <= ref.span.start and ref.span.end <= image_span.end:
                continue  # the whole image's hint says it
        decl = resolve_ref(doc, ref)
        if decl is None:
            continue
        default = decl.value
        if default is None and decl.kind == "arg" and decl.stage is not None:
            default = globals_.get(decl.name)  # ``ARG NAME`` in a stage takes the global's value
        if default is None or "$" in default:
            continue
        value = substitute(text[ref.span.start : ref.span.end], {ref.name: default})
        if value is None or value == "":
            continue
        out.append(
            InlayHint(
                ref.span.end,
                "= " + _short(value),
                "value",
                f"{decl.kind.upper()} {decl.name} on line {doc.lines.line_of(decl.name_span.start) + 1}: {value}"
                + (" (a --build-arg can change it)" if decl.kind == "arg" else ""),
            )
        )
    out.sort(key=lambda h: h.offset)
    return out
