"""Completion: what may be typed at an offset of a Dockerfile, from the model alone.

Contexts, checked in this order:
- inside a heredoc body: only ``$VARIABLE`` names (the shell expands them there);
- after ``$`` or ``${``: variables in scope at that point;
- ``--from=`` of COPY (and ``from=`` inside ``RUN --mount=``): earlier stages, by name and index;
- ``--platform=``, ``--network=``, ``--mount=type=``: their values;
- a word starting with ``-`` among an instruction's leading flags: the flags that instruction takes;
- the image position of FROM: earlier stages (a later stage is not a valid base);
- the start of an instruction (not inside a continuation): instruction keywords, as snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .instructions import FLAGS, INSTRUCTIONS, MOUNT_TYPES
from .model import AUTOMATIC_PLATFORM_ARGS, Dockerfile, Stage
from .parser import Instruction
from .text import Span


@dataclass(frozen=True, slots=True)
class CompletionItem:
    label: str
    kind: str  # keyword | flag | stage | variable | value
    insert_text: str
    replace: Span
    snippet: bool = False
    detail: str | None = None
    documentation: str | None = None
    sort_text: str | None = None


_WORD_BEFORE = re.compile(r"[A-Za-z]*\Z")
_VAR_BEFORE = re.compile(r"\$(\{)?([A-Za-z_][A-Za-z0-9_]*)?\Z")
_FLAG_WORD = re.compile(r"(?:^|[ \t])(--?[A-Za-z-]*)\Z")
_FLAG_VALUE = re.compile(r"(?:^|[ \t])--([A-Za-z-]+)=([^ \t]*)\Z")
_LEADING_FLAGS = re.compile(r"^(?:[ \t]+--[^ \t]*)*[ \t]+")
_PLATFORMS = ("linux/amd64", "linux/arm64", "linux/arm/v7", "$BUILDPLATFORM", "$TARGETPLATFORM", "windows/amd64")


def complete(doc: Dockerfile, offset: int, snippets: bool = True) -> list[CompletionItem]:
    text = doc.text
    offset = max(0, min(offset, len(text)))
    line = doc.lines.line_of(offset)
    line_start = doc.lines.line_start(line)
    prefix = text[line_start:offset]

    for _ins, heredoc in doc.heredocs():
        if heredoc.body.start <= offset <= heredoc.body.end and heredoc.body.start < heredoc.body.end:
            m = _VAR_BEFORE.search(prefix)
            stage = doc.stage_at(offset)
            return _variables(doc, stage, offset, m) if m else []

    ins = doc.instruction_at(offset)
    if ins is not None and offset < ins.keyword_span.start:
        ins = None  # before the keyword on its first line: a new instruction is being typed

    m = _VAR_BEFORE.search(prefix)
    if m is not None and ins is not None:
        return _variables(doc, doc.stage_at(offset), offset, m)

    if ins is None or (ins.keyword_span.start <= offset <= ins.keyword_span.end):
        # Nothing here yet, or the keyword itself is being typed: offer keywords if the line so far
        # is just (part of) a keyword.
        wm = _WORD_BEFORE.search(prefix)
        assert wm is not None
        if prefix[: wm.start()].strip() == "" and (ins is None or doc.lines.line_of(ins.keyword_span.start) == line):
            replace = Span(offset - len(wm.group()), _word_end(text, offset))
            return _keywords(doc, offset, replace, snippets, lowercase=_prefers_lowercase(doc, wm.group()))
        return []

    target = ins
    kw_end = ins.keyword_span.end
    if ins.cmd == "onbuild":
        after = text[kw_end:offset]
        if ins.sub is None or offset <= ins.sub.keyword_span.end:
            wm = _WORD_BEFORE.search(after)
            if wm is not None and after[: wm.start()].strip() == "" and after[: wm.start()] != "":
                replace = Span(offset - len(wm.group()), _word_end(text, offset))
                items = _keywords(doc, offset, replace, snippets, lowercase=_prefers_lowercase(doc, wm.group()))
                return [i for i in items if i.label.upper() not in ("ONBUILD", "FROM", "MAINTAINER")]
            return []
        target = ins.sub
        kw_end = ins.sub.keyword_span.end
    if doc.lines.line_of(kw_end) != line:
        # A continuation line: only flag values/variables handled above make sense here.
        return []
    after_kw = text[kw_end:offset]
    if not after_kw or after_kw[0] not in " \t":
        return []

    fv = _FLAG_VALUE.search(after_kw)
    if fv is not None and _only_flags_before(after_kw, fv.start()):
        return _flag_values(doc, target, fv.group(1).lower(), fv.group(2), offset)
    if target.cmd == "run":
        mm = re.search(r"--mount=(?:[^ \t]*,)?(type|from)=([^ \t,]*)\Z", after_kw)
        if mm is not None:
            key, partial = mm.group(1), mm.group(2)
            replace = Span(offset - len(partial), offset)
            if key == "type":
                return [CompletionItem(t, "value", t, replace, detail="mount type") for t in MOUNT_TYPES]
            return _stages(doc, doc.stage_at(offset), replace, include_index=True)

    fw = _FLAG_WORD.search(after_kw)
    if fw is not None and _only_flags_before(after_kw, fw.start(1)):
        replace = Span(offset - len(fw.group(1)), _word_end(text, offset))
        return _flags(target, replace, snippets)

    if target.cmd == "from":
        fm = _LEADING_FLAGS.match(after_kw)
        rest = after_kw[fm.end() :] if fm else after_kw.lstrip(" \t")
        if re.fullmatch(r"[^ \t]*", rest):
            replace = Span(offset - len(rest), _word_end(text, offset))
            stage = doc.stage_at(offset)
            items = _stages(doc, stage, replace, include_index=False)
            items.append(CompletionItem("scratch", "value", "scratch", replace, detail="the empty image"))
            return items
        if re.fullmatch(r"[^ \t]+[ \t]+[A-Za-z]*", rest):
            word = re.search(r"[A-Za-z]*\Z", rest)
            assert word is not None
            replace = Span(offset - len(word.group()), _word_end(text, offset))
            kw = "as" if target.keyword.islower() else "AS"
            insert = f"{kw} ${{1:name}}" if snippets else f"{kw} "
            return [CompletionItem(kw, "keyword", insert, replace, snippet=snippets, detail="name this stage")]
    return []


def _word_end(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] in "_-."):
        end += 1
    return end


def _prefers_lowercase(doc: Dockerfile, typed: str) -> bool:
    if typed:
        return typed.islower()
    keywords = [i.keyword for i in doc.instructions if i.keyword.isalpha()]
    return bool(keywords) and sum(k.islower() for k in keywords) * 2 > len(keywords)


def _keywords(doc: Dockerfile, offset: int, replace: Span, snippets: bool, lowercase: bool) -> list[CompletionItem]:
    before_first_from = not doc.stages or offset <= doc.stages[0].from_instruction.span.start
    items = []
    for rank, (key, info) in enumerate(INSTRUCTIONS.items()):
        if before_first_from and key not in ("from", "arg"):
            continue
        keyword = key if lowercase else info.keyword
        insert = f"{keyword} {info.snippet}" if snippets else f"{keyword} "
        items.append(
            CompletionItem(
                keyword,
                "keyword",
                insert,
                replace,
                snippet=snippets,
                detail=info.syntax,
                documentation=info.summary,
                sort_text=f"{rank:02d}",
            )
        )
    return items


def _flags(ins: Instruction, replace: Span, snippets: bool) -> list[CompletionItem]:
    present = {f.name.lower() for f in ins.flags if f.span.end < replace.start}
    items = []
    for name, (takes_value, desc) in FLAGS.get(ins.cmd, {}).items():
        if name in present and name not in ("mount", "exclude"):
            continue
        label = f"--{name}"
        if takes_value:
            insert = f"--{name}=${{1}}" if snippets else f"--{name}="
        else:
            insert = label
        items.append(CompletionItem(label, "flag", insert, replace, snippet=snippets and takes_value, documentation=desc))
    return items


def _flag_values(doc: Dockerfile, ins: Instruction, name: str, partial: str, offset: int) -> list[CompletionItem]:
    replace = Span(offset - len(partial), _word_end(doc.text, offset))
    if ins.cmd in ("copy", "add") and name == "from":
        return _stages(doc, doc.stage_at(offset), replace, include_index=True)
    if name == "platform":
        return [CompletionItem(p, "value", p, replace, detail="platform") for p in _PLATFORMS]
    if name == "network":
        return [CompletionItem(v, "value", v, replace) for v in ("default", "none", "host")]
    if name == "mount" and "=" not in partial:
        return [CompletionItem("type=" + t, "value", "type=" + t, replace) for t in MOUNT_TYPES]
    if name == "security":
        return [CompletionItem(v, "value", v, replace) for v in ("sandbox", "insecure")]
    return []


def _stages(doc: Dockerfile, current: Stage | None, replace: Span, include_index: bool) -> list[CompletionItem]:
    """Stages defined before ``current``: the only ones COPY --from and FROM can use."""
    limit = current.index if current is not None else len(doc.stages)
    # A FROM line being typed is not yet its own stage if the text is incomplete; when the cursor
    # is on a FROM, ``current`` is that stage and it is excluded.
    items = []
    for stage in doc.stages[:limit]:
        image = stage.image.text if stage.image else "?"
        if stage.name:
            items.append(
                CompletionItem(
                    stage.name,
                    "stage",
                    stage.name,
                    replace,
                    detail=f"stage {stage.index} (FROM {image})",
                    sort_text=f"0{stage.index:04d}",
                )
            )
        elif include_index:
            items.append(
                CompletionItem(
                    str(stage.index),
                    "stage",
                    str(stage.index),
                    replace,
                    detail=f"unnamed stage {stage.index} (FROM {image})",
                    sort_text=f"1{stage.index:04d}",
                )
            )
    return items


def _variables(doc: Dockerfile, stage: Stage | None, offset: int, m: re.Match[str]) -> list[CompletionItem]:
    braced = m.group(1) is not None
    partial = m.group(2) or ""
    replace = Span(offset - len(partial), _name_end(doc.text, offset))
    closes = braced and replace.end < len(doc.text) and doc.text[replace.end] == "}"
    names: dict[str, str] = {}
    ins = doc.instruction_at(offset)
    in_from = stage is None or (ins is not None and ins is stage.from_instruction)
    for d in doc.global_args:
        if d.instruction.span.start < offset:
            names.setdefault(d.name, "global ARG" + (f" = {d.value}" if d.value is not None else ""))
    if not in_from and stage is not None:
        chain = []
        s: Stage | None = stage
        while s is not None and s not in chain:
            chain.append(s)
            s = s.base_stage
        for st in chain:
            for d in st.args + st.envs:
                if st is not stage or d.instruction.span.start < offset:
                    label = "ARG" if d.kind == "arg" else "ENV"
                    names[d.name] = label + (f" = {d.value}" if d.value is not None else "")
    for name in sorted(AUTOMATIC_PLATFORM_ARGS):
        names.setdefault(name, "automatic platform ARG")
    items = []
    for name, detail in names.items():
        insert = name + ("}" if braced and not closes else "")
        items.append(CompletionItem(name, "variable", insert, replace, detail=detail))
    return items


def _name_end(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return end


def _only_flags_before(after_kw: str, index: int) -> bool:
    """Whether every word between the keyword and ``index`` is a ``--flag``."""
    return all(w.startswith("--") for w in after_kw[:index].split())
