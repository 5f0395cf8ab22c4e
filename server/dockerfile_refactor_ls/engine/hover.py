"""Hover: what the thing under the cursor is, as Markdown.

- an instruction keyword: its syntax, a summary and a link to the Dockerfile reference;
- a ``--flag``: what it does for that instruction;
- a parser directive (``# syntax=``, ``# escape=``, ``# check=``): what it controls;
- a stage name or stage reference: which stage (index, base image, where it is used);
- a variable (``$NAME``, ``${NAME}``, or the name in ``ARG``/``ENV``): the declaration BuildKit
  reads there and its value, or why nothing is declared;
- the image of ``FROM``: registry / repository / tag / digest, and the stage it names if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .image_facts import ImageFacts, facts_for_stage
from .images import parse_image
from .instructions import FLAGS, INSTRUCTIONS
from .model import (
    AUTOMATIC_PLATFORM_ARGS,
    PREDEFINED_ARGS,
    Dockerfile,
    ImageRef,
    Stage,
    VarDecl,
    is_image_reference,
    parse_image_ref,
)
from .navigation import (
    StageRef,
    global_args_named,
    resolve_ref,
    stage_ref_at,
    stage_uses,
    var_decl_at,
    var_ref_at,
    variable_index,
)
from .parser import Flag, Instruction
from .text import Span

DOCS_URL = "https://docs.docker.com/reference/dockerfile/"

DIRECTIVES = {
    "syntax": (
        "Selects the Dockerfile frontend (a BuildKit image) that builds this file, e.g. "
        "`docker/dockerfile:1`.",
        "https://docs.docker.com/reference/dockerfile/#syntax",
    ),
    "escape": (
        "Sets the escape character (`\\` or `` ` ``) used for line continuations and escaping; "
        "`` ` `` is common on Windows, where `\\` is the path separator.",
        "https://docs.docker.com/reference/dockerfile/#escape",
    ),
    "check": (
        "Configures BuildKit's build checks: `skip=<rules>` to turn rules off, `error=true` to fail "
        "the build on a violation.",
        "https://docs.docker.com/reference/dockerfile/#check",
    ),
}


@dataclass(frozen=True, slots=True)
class HoverResult:
    markdown: str
    span: Span


def hover_tells_of_later_text(doc: Dockerfile, offset: int) -> bool:
    """Whether the hover at ``offset`` may tell of text after the stage chain there: a variable's
    or a stage's uses, whether a stage is the final one. The others (keywords, directives, flags,
    images) read only the instruction and the stages before it, so the model of the file's first
    lines answers them as the whole file's does (the server does, while the whole is parsed)."""
    offset = max(0, min(offset, len(doc.text)))
    if any(d.span.contains(offset) for d in doc.parsed.directives):
        return False
    ins = doc.instruction_at(offset)
    if ins is not None:
        for target in (ins, ins.sub):
            if target is not None and target.keyword_span.contains(offset) and target.keyword_span.start < target.keyword_span.end:
                return False
    if var_ref_at(doc, offset) is not None or var_decl_at(doc, offset) is not None or stage_ref_at(doc, offset) is not None:
        return True
    stage = doc.stage_of(ins) if ins is not None else None
    return stage is not None and stage.as_span is not None and stage.as_span.contains(offset)


def hover(doc: Dockerfile, offset: int) -> HoverResult | None:
    offset = max(0, min(offset, len(doc.text)))
    for d in doc.parsed.directives:
        if d.span.contains(offset):
            return _directive(d.name, d.span)
    ins = doc.instruction_at(offset)
    if ins is not None:
        # A keyword holds no variable or stage name: answered without the navigation indexes,
        # which the server may still be building for a big document after a keystroke.
        for target in (ins, ins.sub):
            if target is not None and target.keyword_span.contains(offset) and target.keyword_span.start < target.keyword_span.end:
                return _keyword(target)
    ref = var_ref_at(doc, offset)
    if ref is not None:
        decl = resolve_ref(doc, ref)
        if decl is None:
            return HoverResult(_unresolved(doc, ref.name, ref.stage, ref.instruction, ref.by_buildkit), ref.span)
        md = _variable(doc, decl, use_by_shell=not ref.by_buildkit)
        stage = ref.stage
        if stage is not None and ref.instruction is stage.from_instruction and stage.image is not None:
            if stage.image.span.start <= ref.span.start and ref.span.end <= stage.image.span.end:
                md += "\n\n---\n\n" + _image(doc, stage)
        return HoverResult(md, ref.span)
    decl = var_decl_at(doc, offset)
    if decl is not None:
        return HoverResult(_variable(doc, decl, on_declaration=True), decl.name_span)
    sref = stage_ref_at(doc, offset)
    if sref is not None:
        return HoverResult(_stage(doc, sref.stage, sref), sref.span)
    if ins is None:
        return None
    for target in (ins, ins.sub):
        if target is None:
            continue
        for flag in target.flags:
            if not flag.span.contains(offset):
                continue
            if target.cmd in ("copy", "add") and flag.name.lower() == "from" and flag.value_span is not None:
                image_md = _copy_from_image(flag) if flag.value_span.contains(offset) else None
                if image_md is not None:
                    return HoverResult(image_md, flag.value_span)
            return _flag(target, flag.name, flag.span)
    stage = doc.stage_of(ins)
    if stage is not None and ins is stage.from_instruction:
        if stage.image is not None and stage.image.span.contains(offset):
            return HoverResult(_image(doc, stage), stage.image.span)
        if stage.as_span is not None and stage.as_span.contains(offset):
            return HoverResult(_stage(doc, stage, None), stage.as_span)
    return None


# -- pieces --------------------------------------------------------------------------------------


def _line(doc: Dockerfile, span: Span) -> int:
    return doc.lines.line_of(span.start) + 1


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text[: limit * 4].split())  # a long RUN: only its start matters
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keyword(ins: Instruction) -> HoverResult | None:
    info = INSTRUCTIONS.get(ins.cmd)
    if info is None:
        return None
    md = (
        f"**{info.keyword}**: {info.summary}\n\n"
        f"```dockerfile\n{info.syntax}\n```\n\n"
        f"[Dockerfile reference]({DOCS_URL}#{info.keyword.lower()})"
    )
    return HoverResult(md, ins.keyword_span)


def _flag(ins: Instruction, name: str, span: Span) -> HoverResult | None:
    flags = FLAGS.get(ins.cmd, {})
    entry = flags.get(name.lower())
    if entry is None:
        return None
    takes_value, desc = entry
    usage = f"--{name.lower()}=<value>" if takes_value else f"--{name.lower()}"
    md = f"**{ins.cmd.upper()}** {_code(usage)}\n\n{desc}.\n\n[Dockerfile reference]({DOCS_URL}#{ins.cmd})"
    return HoverResult(md, span)


def _directive(name: str, span: Span) -> HoverResult | None:
    entry = DIRECTIVES.get(name)
    if entry is None:
        return None
    desc, url = entry
    return HoverResult(f"**Parser directive** {_code(name)}\n\n{desc}\n\n[Dockerfile reference]({url})", span)


def _stage_title(stage: Stage) -> str:
    name = f" {_code(stage.name)}" if stage.name else " (unnamed)"
    return f"**Stage {stage.index}**{name}"


_REF_LABELS = {"from": "FROM", "copy": "--from", "mount": "--mount from="}


def _stage(doc: Dockerfile, stage: Stage, via: StageRef | None) -> str:
    parts = [_stage_title(stage)]
    image = stage.image.text if stage.image is not None else "?"
    parts.append(f"{_code('FROM ' + image)} (line {_line(doc, stage.from_instruction.span)})")
    if stage.base_stage is not None:
        root = stage.root_image()
        root_text = f", which starts from {_code(root.text)}" if root is not None else ""
        parts.append(f"Built on stage {stage.base_stage.index} {_code(stage.base_stage.label)}{root_text}.")
    if via is not None and via.by_index:
        parts.append(f"Referred to by its index ({stage.index}); naming the stage is clearer.")
    uses = [r for r in stage_uses(doc, stage) if r.kind != "definition"]
    if uses:
        shown = ", ".join(f"{_REF_LABELS[r.kind]} (line {_line(doc, r.span)})" for r in uses[:8])
        more = f" and {len(uses) - 8} more" if len(uses) > 8 else ""
        parts.append(f"Used by: {shown}{more}.")
    elif doc.final_stage is not stage:
        parts.append("Not used by any later stage.")
    if doc.final_stage is stage:
        parts.append("The final stage (the default build target).")
    return "\n\n".join(parts)


def _decl_line(doc: Dockerfile, d: VarDecl) -> str:
    kw = "ARG" if d.kind == "arg" else "ENV"
    if d.value is None:
        text = f"{kw} {d.name}"
    else:
        text = f"{kw} {d.name}={_short(d.value, 60)}"
    where = "global" if d.stage is None else f"stage {_code(d.stage.label)}"
    return f"{_code(text)} (line {_line(doc, d.name_span)}, {where})"


def _variable(doc: Dockerfile, decl: VarDecl, *, on_declaration: bool = False, use_by_shell: bool = False) -> str:
    kind = "Build argument" if decl.kind == "arg" else "Environment variable"
    scope = "global" if decl.stage is None else f"stage {_code(decl.stage.label)}"
    parts = [f"**{kind}** {_code(decl.name)} ({scope})"]
    if decl.value is not None:
        label = "Default" if decl.kind == "arg" else "Value"
        parts.append(f"{label}: {_code(_short(decl.value))}")
    elif decl.kind == "arg":
        # (A stage ARG is the same variable as every global ARG of its name: read them from the
        # scopes, not the document's whole index, which a hover on a use does not need.)
        globals_ = [d for d in global_args_named(doc, decl.name) if d.value is not None]
        if decl.stage is not None and globals_:
            g = globals_[-1]
            parts.append(f"Default from the global ARG: {_code(_short(g.value or ''))} (line {_line(doc, g.name_span)})")
        else:
            parts.append(f"No default: empty unless set with {_code('--build-arg ' + decl.name + '=...')}.")
    if not on_declaration:
        parts.append(f"Declared by {_decl_line(doc, decl)}")
    else:
        index = variable_index(doc)
        others = [d for d in index.symbol_decls(decl) if d is not decl]
        if others:
            parts.append("Also declared by " + "; ".join(_decl_line(doc, d) for d in others[:5]))
        uses = index.symbol_refs(decl)
        parts.append(f"{len(uses)} use{'s' if len(uses) != 1 else ''} in this file.")
    if decl.name in AUTOMATIC_PLATFORM_ARGS:
        parts.append("BuildKit sets this platform argument automatically.")
    if use_by_shell:
        parts.append("Expanded by the shell when the command runs.")
    return "\n\n".join(parts)


def _unresolved(doc: Dockerfile, name: str, stage: Stage | None, ins: Instruction, by_buildkit: bool) -> str:
    parts = [f"**Variable** {_code(name)}"]
    in_from = stage is None or ins is stage.from_instruction
    if ins.cmd == "onbuild":
        parts.append("Expanded when a later build uses this image as its base (ONBUILD).")
        return "\n\n".join(parts)
    if name in AUTOMATIC_PLATFORM_ARGS:
        if in_from:
            parts.append("Platform argument BuildKit sets automatically; usable in FROM lines as is.")
        else:
            parts.append(f"Platform argument BuildKit sets automatically; declare {_code('ARG ' + name)} in this stage to use it.")
        return "\n\n".join(parts)
    if name in PREDEFINED_ARGS:
        parts.append("Predefined build argument (set with `--build-arg`); no ARG needed.")
        return "\n\n".join(parts)
    globals_ = [d for d in doc.global_args if d.name == name]
    if not in_from and globals_:
        parts.append(
            f"The global {_decl_line(doc, globals_[-1])} is not visible inside a stage; "
            f"declare {_code('ARG ' + name)} in this stage to use it."
        )
    elif by_buildkit:
        parts.append("Not declared by an ARG or ENV in scope: BuildKit expands it to an empty string.")
    else:
        parts.append("Not declared by an ARG or ENV here: the shell reads it from the environment at run time.")
    return "\n\n".join(parts)


_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand_with_defaults(text: str, values: dict[str, str | None]) -> str:
    """``$NAME``/``${NAME}``/``${NAME:-x}``/``${NAME:+x}`` expanded with the given values."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        value = values.get(name)
        op, word = m.group(2), m.group(3) or ""
        is_set = bool(value) if op in (":-", ":+") else value is not None
        if op is None:
            return value or ""
        if op in (":-", "-"):
            return (value or "") if is_set else word
        return word if is_set else ""

    return _VAR.sub(sub, text)


def _hub_url(image: ImageRef) -> str | None:
    """The Docker Hub page of the image, also for a mirror of a Hub image (images.parse_image knows them)."""
    repo = image.repository
    if not repo or "$" in repo:
        return None
    mirrored = parse_image(image.text) if not image.has_variables else None
    if mirrored is not None and mirrored.mirror is not None:
        repo = mirrored.repository
    elif image.registry is not None and image.registry not in ("docker.io", "index.docker.io"):
        return None
    return f"https://hub.docker.com/_/{repo}" if "/" not in repo else f"https://hub.docker.com/r/{repo}"


def _image(doc: Dockerfile, stage: Stage) -> str:
    image = stage.image
    assert image is not None
    if stage.base_stage is not None:
        return _stage(doc, stage.base_stage, None)
    if image.is_scratch:
        return "**Image** `scratch`\n\nThe empty image: the stage starts with no files at all."
    parts = [f"**Image** {_code(image.text)}"]
    if image.has_variables:
        values = {d.name: d.value for d in doc.global_args if d.instruction.span.start < stage.from_instruction.span.start}
        expanded = expand_with_defaults(image.text, values)
        parts.append(f"With the default build arguments: {_code(expanded or '(empty)')}")
        named = doc.stage_named(expanded, before=stage.index, by_index=False) if expanded else None
        if named is not None:
            parts.append(f"Resolves to stage {named.index} {_code(named.label)}.")
        facts = facts_for_stage(doc, stage)
        if facts is not None:
            parts.append(_facts_text(facts))
        return "\n\n".join(parts)
    parts.append(_image_parts(image))
    facts = facts_for_stage(doc, stage)
    if facts is not None:
        parts.append(_facts_text(facts))
    if stage.platform is not None and stage.platform.value:
        parts.append(f"Platform: {_code(stage.platform.value)}")
    url = _hub_url(image)
    if url is not None:
        parts.append(f"[Docker Hub]({url})")
    return "\n\n".join(parts)


def _image_parts(image: ImageRef) -> str:
    rows = [
        ("Registry", image.registry or "docker.io (Docker Hub)"),
        ("Repository", image.repository or image.name),
        ("Tag", image.tag if image.tag is not None else ("(none: pinned by digest)" if image.digest else "latest (implicit)")),
    ]
    if image.digest is not None:
        rows.append(("Digest", image.digest))
    mirrored = parse_image(image.text) if not image.has_variables else None
    if mirrored is not None and mirrored.mirror is not None:
        rows.append(("Mirror of", f"docker.io/{'library/' if mirrored.official else ''}{mirrored.repository}"))
    return "\n".join(f"- {k}: {_code(v) if not v.startswith(('(', 'latest (', 'docker.io (')) else v}" for k, v in rows)


def _facts_text(facts: ImageFacts) -> str:
    """What the bundled image table knows about the image (engine/data/images.toml)."""
    rows: list[str] = []
    if facts.os:
        libc = f" ({facts.libc})" if facts.libc and facts.libc != "none" else ""
        rows.append(f"- OS: {facts.os}{libc}")
    if facts.shell is not None or facts.package_manager is not None:
        shell = _code(facts.shell) if facts.shell else "none"
        pm = _code(facts.package_manager) if facts.package_manager else "none"
        rows.append(f"- Shell: {shell}, package manager: {pm}")
    if facts.workdir:
        rows.append(f"- Default WORKDIR: {_code(facts.workdir)}")
    if facts.user:
        rows.append(f"- Default USER: {_code(facts.user)}")
    if facts.users:
        rows.append("- Users: " + ", ".join(f"{_code(n)} ({uid})" for n, uid in sorted(facts.users.items(), key=lambda u: u[1])))
    if facts.toolchain:
        rows.append(f"- Toolchain: {facts.toolchain}")
    if facts.size_mb is not None:
        rows.append(f"- Size: {facts.size_text()} compressed")
    return "\n".join(rows)


def _copy_from_image(flag: Flag) -> str | None:
    """``COPY --from=<image>`` naming an image (not a stage): its breakdown."""
    value = flag.value
    if not value or flag.value_span is None or "$" in value or not is_image_reference(value):
        return None
    image = parse_image_ref(value, flag.value_span)
    parts = [f"**Image** {_code(value)} (copied from, not a stage of this file)", _image_parts(image)]
    url = _hub_url(image)
    if url is not None:
        parts.append(f"[Docker Hub]({url})")
    return "\n\n".join(parts)
