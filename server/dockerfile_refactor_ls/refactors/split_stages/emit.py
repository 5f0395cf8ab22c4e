"""Emission: the few edits that turn the analysed stage into a builder and a runtime stage.

` AS builder` after the FROM image, the runtime stage inserted after the last build step, runtime-only
instructions that sat between build steps moved below it (with their comments), and the rewrites the
new layout needs. The file's style is kept: keyword case, column alignment, indentation, line endings
and the escape character.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ...engine.findings import Edit
from ...engine.model import Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.text import Span
from . import frontend
from .analysis import Artifact, NotOffered
from .runtimes import RuntimeImage

if TYPE_CHECKING:
    from .plan import Plan


def edits(p: Plan) -> list[Edit]:
    tc = p.toolchain
    rt = p.runtime
    assert tc is not None and rt is not None
    text = p.text
    nl = p.nl
    stage = p.stage
    a = p.a
    edits: list[Edit] = []
    p.changed = []
    from_ins = stage.from_instruction
    as_kw = "as" if from_ins.keyword.islower() else "AS"
    if stage.name_span is not None:
        if p.builder_name != stage.name:
            edits.append(Edit(stage.name_span, p.builder_name))
            p.changed.append(from_ins)
    else:
        end = from_ins.args[0].span.end
        edits.append(Edit(Span(end, end), f" {as_kw} {p.builder_name}"))
        p.changed.append(from_ins)
    # Builder additions before an install step (a virtualenv).
    for idx, added in tc.builder_inserts:
        ins = a.ins[idx]
        ls = _line_start(p, ins.span.start)
        lead = text[ls : ins.span.start]
        edits.append(Edit(Span(ls, ls), "".join(lead + ln + nl for ln in added)))
    # Edits inside the build steps (CGO_ENABLED=0 before a go build ...).
    for span, new in tc.builder_edits:
        edits.append(Edit(span, new))
        touched = p.doc.instruction_at(span.start)
        if touched is not None and touched not in p.changed:
            p.changed.append(touched)
    # Runtime-only instructions between build steps move below the new FROM.
    moved_chunks: list[str] = []
    deletions: list[Span] = []
    rewrites: dict[int, list[tuple[Span, str]]] = {}
    for ins, span, new in tc.rewrites:
        rewrites.setdefault(id(ins), []).append((span, new))
    for ins in p.moved:
        block = _block(p, ins)
        chunk = text[block.start : block.end]
        for span, new in sorted(rewrites.pop(id(ins), []), key=lambda r: -r[0].start):
            chunk = chunk[: span.start - block.start] + new + chunk[span.end - block.start :]
        if not chunk.endswith(("\n", "\r")):
            chunk += nl
        moved_chunks.append(chunk)
        deletions.append(_deletion(p, block))
        p.changed.append(ins)
    fe = p.frontend
    in_place = fe is not None and fe.into_builder_before is None and fe.last_build > p.split
    for i in sorted(p.removed()):
        # The front-end build and its Node install: the frontend stage does them now. A build that ran
        # in what is now the runtime stage becomes the COPY of its output, in the same place (after the
        # COPYs it used to overwrite).
        ins = a.ins[i]
        p.changed.append(ins)
        if in_place and fe is not None and i == fe.last_build:
            edits.append(Edit(ins.span, frontend.copy_line(p, fe)))
            continue
        deletions.append(_deletion(p, _block(p, ins)))
    for ins in p.dropped:
        if ins in p.moved:
            continue
        deletions.append(
            _deletion(p, Span(_line_start(p, ins.span.start), _line_after(p, ins.span.end)))
        )
        p.changed.append(ins)
    for span in _merge(deletions):
        edits.append(Edit(span, ""))
    for ins in p.trailing:
        for span, new in rewrites.pop(id(ins), []):
            edits.append(Edit(span, new))
            if ins not in p.changed:
                p.changed.append(ins)
    # The runtime stage, right after the last build step.
    split_ins = a.ins[p.split]
    at = _line_after(p, split_ins.span.end)
    ind = p.indent
    lines: list[str] = [ind + ln for ln in tc.builder_tail]
    lines.append("")
    platform = ""
    if stage.platform is not None and stage.platform.value and "BUILD" not in stage.platform.value:
        platform = text[stage.platform.span.start : stage.platform.span.end] + " "
    name = f" {as_kw} {p.runtime_name}" if p.runtime_name else ""
    lines.append(ind + p.kw("from") + platform + rt.ref + name)
    if p.carry:
        lines += [ind + ln for ln in _install_lines(p, rt, p.carry)]
    lines += [ind + ln for ln in tc.header if ln.startswith(p.kw("run"))]
    if p.default_workdir_line:
        lines.append(ind + p.default_workdir_line)
    for _ins, txt in p.replays:
        lines.append(txt if txt.startswith(ind) else ind + txt)
    lines += [ind + ln for ln in tc.header if not ln.startswith(p.kw("run"))]
    for art in tc.artifacts:
        lines.append(ind + _copy_line(p, art))
    if fe is not None and fe.into_builder_before is None and not in_place:
        lines.append(ind + frontend.copy_line(p, fe))
    chunk = "".join(ln + nl for ln in lines)
    chunk += "".join(moved_chunks)
    if tc.footer:  # a heredoc: only its first line is indented
        chunk += ind + tc.footer[0] + nl + "".join(ln + nl for ln in tc.footer[1:])
    if at >= len(text) and not text.endswith(("\n", "\r")):
        chunk = nl + chunk
    edits.append(Edit(Span(at, at), chunk))
    if fe is not None:
        # The frontend stage goes right before the back end's stage.
        ls = _line_start(p, from_ins.span.start)
        edits.append(Edit(Span(ls, ls), "".join(ind + ln + nl for ln in frontend.stage_lines(p, fe)) + nl))
    if rewrites:
        raise NotOffered("internal: a rewrite has no target")
    return edits

def _install_lines(p: Plan, rt: RuntimeImage, pkgs: list[str]) -> list[str]:
    esc = p.doc.escape
    if rt.family == "apk":
        return [p.kw("run") + "apk add --no-cache " + " ".join(pkgs)]
    return [
        p.kw("run") + f"apt-get update {esc}",
        f"    && apt-get install -y --no-install-recommends {' '.join(pkgs)} {esc}",
        "    && rm -rf /var/lib/apt/lists/*",
    ]

def _copy_line(p: Plan, art: Artifact) -> str:
    flags = f"--from={p.builder_name} "
    owner = art.chown or p.copy_owner  # an artifact's own owner: the micromamba user owns its environment
    if owner:
        flags += f"--chown={owner} "
    if any(ch.isspace() for ch in art.src + art.dest):
        return p.kw("copy") + flags + json.dumps([art.src, art.dest])
    return p.kw("copy") + flags + f"{art.src} {art.dest}"

# -- line geometry ----------------------------------------------------------------------------

def _line_start(p: Plan, offset: int) -> int:
    k = p.text.rfind("\n", 0, offset)
    return k + 1

def _line_after(p: Plan, offset: int) -> int:
    k = p.text.find("\n", offset)
    return len(p.text) if k < 0 else k + 1

def _lead(p: Plan, offset: int) -> str:
    return p.text[_line_start(p, offset) : offset]

def _is_blank_line(p: Plan, start: int) -> bool:
    end = _line_after(p, start)
    return start < len(p.text) and not p.text[start:end].strip()

def _block(p: Plan, ins: Instruction) -> Span:
    """The instruction's lines with the comment lines right above it."""
    text = p.text
    start = _line_start(p, ins.span.start)
    while start > 0:
        prev = _line_start(p, start - 1)
        line = text[prev:start].strip()
        if not line.startswith("#") or prev <= p.stage.from_instruction.span.end:
            break
        start = prev
    return Span(start, _line_after(p, ins.span.end))

def _deletion(p: Plan, block: Span) -> Span:
    """``block``, plus the blank line after it when one also precedes it (no double blanks)."""
    end = block.end
    if (
        block.start > 0
        and _is_blank_line(p, _line_start(p, block.start - 1))
        and _is_blank_line(p, end)
    ):
        end = _line_after(p, end)
    return Span(block.start, end)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.start):
        if out and s.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def lowercase_style(doc: Dockerfile) -> bool:
    lower = sum(1 for i in doc.instructions if i.keyword.islower())
    return lower * 2 > len(doc.instructions)


def padding(doc: Dockerfile) -> int:
    """A column the user aligns arguments at (``RUN     x``), or 0 for a single space."""
    widths = set()
    n = 0
    for ins in doc.instructions:
        if not ins.args_text or ins.args_span.start <= ins.keyword_span.end:
            continue
        gap = doc.text[ins.keyword_span.end : ins.args_span.start]
        if ins.flags:
            gap = doc.text[ins.keyword_span.end : ins.flags[0].span.start]
        if "\n" in gap:
            continue
        widths.add(len(ins.keyword) + len(gap))
        n += 1
    if n >= 3 and len(widths) == 1:
        w = widths.pop()
        if any(len(ins.keyword) + 1 < w for ins in doc.instructions):
            return w
    return 0


def indentation(doc: Dockerfile, stage: Stage) -> str:
    text = doc.text
    leads = set()
    for ins in [stage.from_instruction, *stage.instructions]:
        k = text.rfind("\n", 0, ins.keyword_span.start) + 1
        leads.add(text[k : ins.keyword_span.start])
    return leads.pop() if len(leads) == 1 else ""
