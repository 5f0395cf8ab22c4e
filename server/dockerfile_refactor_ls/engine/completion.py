"""Completion: what may be typed at an offset of a Dockerfile, from the model alone.

Contexts, checked in this order:
- inside a heredoc body: only ``$VARIABLE`` names (the shell expands them there);
- after ``$`` or ``${``: variables in scope at that point;
- ``--from=`` of COPY: earlier stages, by name and index (``from=`` inside ``RUN --mount=``: by name,
  a number there being an image);
- ``--platform=``, ``--network=``, ``--mount=type=``: their values;
- a word starting with ``-`` among an instruction's leading flags: the flags that instruction takes;
- the image position of FROM: earlier stages (a later stage is not a valid base);
- the start of an instruction (not inside a continuation): instruction keywords, as snippets.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .cursor import instruction_for_cursor, logical_text, split_words
from .image_catalog import BY_NAME, IMAGES
from .images import stage_chain
from .index_lock import built_once
from .instructions import FLAGS, INSTRUCTIONS, MOUNT_TYPES
from .model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS, Dockerfile, Stage
from .parser import Instruction
from .rule_info import RuleInfo
from .text import Span


@dataclass(frozen=True, slots=True)
class CompletionItem:
    label: str
    kind: str  # keyword | flag | stage | variable | value | image | file | folder
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


# Lists a directory of the build context (relative, "" for the root): (name, is a directory) pairs,
# already without what .dockerignore excludes. Supplied by the LSP layer, which reads the disk.
ContextLister = Callable[[str], Iterable[tuple[str, bool]]]


def complete(
    doc: Dockerfile,
    offset: int,
    snippets: bool = True,
    context: ContextLister | None = None,
    rules: Sequence[RuleInfo] = (),
) -> list[CompletionItem]:
    """Completion items at ``offset``. ``rules``: the rules whose ids complete in suppression
    comments (the feature hands in the registry's; without them, no ids are offered)."""
    text = doc.text
    offset = max(0, min(offset, len(text)))
    line = doc.lines.line_of(offset)
    line_start = doc.lines.line_start(line)
    prefix = text[line_start:offset]

    if _in_heredoc_body(doc, offset):
        m = _VAR_BEFORE.search(prefix)
        stage = doc.stage_at(offset)
        return _variables(doc, stage, offset, m) if m else []

    ins = instruction_for_cursor(doc, offset)
    if ins is not None and offset < ins.keyword_span.start:
        ins = None  # before the keyword on its first line: a new instruction is being typed

    m = _VAR_BEFORE.search(prefix)
    if m is not None and ins is not None:
        return _variables(doc, doc.stage_at(offset), offset, m)

    if ins is None:
        directive = _directive_completion(doc, offset, prefix, snippets, rules)
        if directive is not None:
            return directive
        hadolint = _HADOLINT_BEFORE.search(prefix)
        if hadolint is not None and prefix.lstrip().startswith("#"):
            return _rule_ids(hadolint.group(1), offset, text, rules, buildkit=False)

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
        after = logical_text(doc, kw_end, offset)
        if ins.sub is None or offset <= ins.sub.keyword_span.end:
            wm = _WORD_BEFORE.search(after)
            if wm is not None and after[: wm.start()].strip() == "" and after[: wm.start()] != "":
                replace = Span(offset - len(wm.group()), _word_end(text, offset))
                items = _keywords(doc, offset, replace, snippets, lowercase=_prefers_lowercase(doc, wm.group()))
                return [i for i in items if i.label.upper() not in ("ONBUILD", "FROM", "MAINTAINER")]
            return []
        target = ins.sub
        kw_end = ins.sub.keyword_span.end
    # The text after the keyword as BuildKit joins it: a continuation line continues the
    # instruction (flags, arguments), it does not start a new one.
    after_kw = logical_text(doc, kw_end, offset)
    if not after_kw or after_kw[0] not in " \t\r\n":
        return []

    # A field inside --mount= first: the generic flag-value match below would take it whole.
    if target.cmd == "run":
        mm = re.search(r"--mount=(?:[^ \t]*,)?(type|from)=([^ \t,]*)\Z", after_kw)
        if mm is not None:
            key, partial = mm.group(1), mm.group(2)
            replace = Span(offset - len(partial), offset)
            if key == "type":
                return [CompletionItem(t, "value", t, replace, detail="mount type") for t in MOUNT_TYPES]
            # Names only: BuildKit reads a number in from= as an image name, not a stage index.
            return _stages(doc, doc.stage_at(offset), replace, include_index=False, offset=offset)

    fv = _FLAG_VALUE.search(after_kw)
    if fv is not None and _only_flags_before(after_kw, fv.start()):
        return _flag_values(doc, target, fv.group(1).lower(), fv.group(2), offset)

    fw = _FLAG_WORD.search(after_kw)
    if fw is not None and _only_flags_before(after_kw, fw.start(1)):
        replace = Span(offset - len(fw.group(1)), _word_end(text, offset))
        return _flags(target, replace, snippets)

    words = split_words(after_kw, doc.escape)
    flags_only = all(w.startswith("--") for w in words.done)
    at_new_word = words.current is None
    if target.cmd == "from":
        fm = _LEADING_FLAGS.match(after_kw)
        rest = after_kw[fm.end() :] if fm else after_kw.lstrip(" \t")
        if re.fullmatch(r"[^ \t]*", rest):
            name, colon, tag = rest.partition(":")
            if colon:  # a tag is being typed
                return _image_tags(name, tag, offset, text) if "$" not in name and "@" not in tag else []
            replace = Span(offset - len(rest), _word_end(text, offset))
            stage = doc.stage_at(offset)
            items = _stages(doc, stage, replace, include_index=False, offset=offset)
            items.append(CompletionItem("scratch", "value", "scratch", replace, detail="the empty image", sort_text="2"))
            if "$" not in rest:
                items += _image_names(rest, replace)
            if not rest and flags_only:
                items += _flags(target, replace, snippets, sort_prefix="4")
            return items
        if re.fullmatch(r"[^ \t]+[ \t]+[A-Za-z]*", rest):
            word = re.search(r"[A-Za-z]*\Z", rest)
            assert word is not None
            replace = Span(offset - len(word.group()), _word_end(text, offset))
            kw = "as" if target.keyword.islower() else "AS"
            insert = f"{kw} ${{1:name}}" if snippets else f"{kw} "
            return [CompletionItem(kw, "keyword", insert, replace, snippet=snippets, detail="name this stage")]
        return []
    if at_new_word and flags_only and target.cmd in ("copy", "add", "healthcheck"):
        replace = Span(offset, _word_end(text, offset))
        items = _flags(target, replace, snippets, sort_prefix="1")
        from_elsewhere = any(w.lower().startswith("--from") for w in words.done)
        if target.cmd != "healthcheck" and context is not None and not from_elsewhere:
            items += _sources("", offset, text, context)
        if target.cmd == "healthcheck":
            upper = not target.keyword.islower()
            choices = (("CMD", "the check command follows"), ("NONE", "turn off an inherited health check"))
            for rank, (kw_word, detail) in enumerate(choices):
                label = kw_word if upper else kw_word.lower()
                is_cmd = kw_word == "CMD"
                insert = f"{label} ${{1:command}}" if snippets and is_cmd else (f"{label} " if is_cmd else label)
                items.append(
                    CompletionItem(
                        label, "keyword", insert, replace, snippet=snippets and is_cmd, detail=detail, sort_text=f"0{rank}"
                    )
                )
        return items
    if target.cmd in ("copy", "add"):
        args = [w for w in words.done if not w.startswith("--")]
        partial = words.current or ""
        json_form = partial.startswith(("[", '"')) or (bool(args) and args[0].startswith("["))
        if json_form or "$" in partial:
            return []
        line_end = (target.line_span or target.span).end
        whole = split_words(logical_text(doc, kw_end, max(line_end, offset)), doc.escape).all()
        total = len([w for w in whole if not w.startswith("--")])
        # The destination is the last argument: offered there (or for a new word after the last).
        at_last = len(args) >= total - 1
        items = _destinations(doc, doc.stage_at(offset), ins, offset, partial) if args and at_last else []
        from_elsewhere = any(w.lower().startswith("--from") for w in words.done)
        if context is not None and not from_elsewhere and not partial.startswith(("/", "http:", "https:", "git@")):
            items += _sources(partial, offset, text, context)
        return items
    return []


def _sources(partial: str, offset: int, text: str, context: ContextLister) -> list[CompletionItem]:
    """Files and directories of the build context (what ``.dockerignore`` leaves in)."""
    directory, slash, typed = partial.rpartition("/")
    if not slash:
        directory, typed = "", partial
    if directory.startswith("./"):
        directory = directory[2:]
    if ".." in directory.split("/"):
        return []  # outside the context: BuildKit refuses those sources
    end = offset
    while end < len(text) and text[end] not in " \t\r\n/":
        end += 1
    replace = Span(offset - len(typed), end)
    items = []
    for name, is_dir in context(directory):
        if not name.startswith(typed) or (name.startswith(".") and not typed.startswith(".")):
            continue
        label = name + ("/" if is_dir else "")
        detail = "directory in the build context" if is_dir else "file in the build context"
        items.append(CompletionItem(label, "folder" if is_dir else "file", label, replace, detail=detail, sort_text=f"5{label}"))
    return items


def _image_names(typed: str, replace: Span) -> list[CompletionItem]:
    """Base images from the offline catalogue whose name starts with what is typed."""
    low = typed.lower()
    items = []
    for rank, image in enumerate(IMAGES):
        if image.name == "docker/dockerfile" or not image.name.startswith(low):
            continue
        items.append(
            CompletionItem(image.name, "image", image.name, replace, detail=image.summary, sort_text=f"3{rank:03d}")
        )
    return items


def _image_tags(name: str, typed: str, offset: int, text: str) -> list[CompletionItem]:
    image = BY_NAME.get(name.lower())
    if image is None:
        return []
    replace = Span(offset - len(typed), _word_end(text, offset))
    return [
        CompletionItem(tag, "value", tag, replace, detail=f"{image.name}:{tag}", sort_text=f"{rank:03d}")
        for rank, tag in enumerate(image.tags)
        if tag.startswith(typed)
    ]


def _destinations(doc: Dockerfile, stage: Stage | None, ins: Instruction, offset: int, partial: str) -> list[CompletionItem]:
    """COPY/ADD destinations: the working directory in force there (and the earlier ones)."""
    replace = Span(offset - len(partial), _path_end(doc.text, offset))
    items: list[CompletionItem] = []
    seen: set[str] = set()
    rank = 0
    for st in stage_chain(stage):
        for w in reversed(st.instructions):
            if w.cmd != "workdir" or w.span.start >= ins.span.start or not w.args:
                continue
            path = w.args[0].value
            candidate = path.rstrip("/") + "/" if path != "/" else "/"
            if candidate in seen or "$" in candidate or not candidate.startswith(partial):
                continue
            seen.add(candidate)
            detail = f"WORKDIR on line {doc.lines.line_of(w.span.start) + 1}"
            items.append(CompletionItem(candidate, "value", candidate, replace, detail=detail, sort_text=f"{rank:03d}"))
            rank += 1
    return items


def _path_end(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and text[end] not in " \t\r\n":
        end += 1
    return end


_DIRECTIVE_LINE = re.compile(r"[ \t]*#[ \t]*([A-Za-z]*)\Z")
_CHECK_VALUE = re.compile(r"[ \t]*#[ \t]*check[ \t]*=(?:[^\r\n]*;)?[ \t]*(skip|experimental)[ \t]*=(?:[^;\r\n]*,)?[ \t]*([A-Za-z]*)\Z", re.IGNORECASE)
_HADOLINT_BEFORE = re.compile(r"#[ \t]*hadolint[ \t]+(?:global[ \t]+)?ignore[ \t]*=(?:[A-Za-z0-9_\-]*[ \t]*,[ \t]*)*([A-Za-z0-9_\-]*)\Z", re.IGNORECASE)
DIRECTIVES = (
    ("syntax", "syntax=${1:docker/dockerfile:1}", "syntax=docker/dockerfile:1", "The Dockerfile frontend that builds this file"),
    ("escape", "escape=${1|\\`,\\\\|}", "escape=`", "The escape character: \\ (default) or `"),
    ("check", "check=skip=${1:JSONArgsRecommended}", "check=skip=", "Configure BuildKit's build checks: skip=<checks>;error=true"),
)


def _in_directive_region(doc: Dockerfile, offset: int) -> bool:
    """Whether a directive could still be written on the line of ``offset``: only directives and
    this line come before it (BuildKit reads directives until the first other line)."""
    line = doc.lines.line_of(offset)
    for n in range(line):
        if not re.match(r"[ \t]*#[ \t]*[A-Za-z][A-Za-z0-9]*[ \t]*=", doc.lines.line_text(n)):
            return False
    return True


def _directive_completion(
    doc: Dockerfile, offset: int, prefix: str, snippets: bool, rules: Sequence[RuleInfo]
) -> list[CompletionItem] | None:
    text = doc.text
    cm = _CHECK_VALUE.match(prefix)
    if cm is not None and _in_directive_region(doc, offset):
        return _rule_ids(cm.group(2), offset, text, rules, buildkit=True)
    dm = _DIRECTIVE_LINE.match(prefix)
    if dm is None or not _in_directive_region(doc, offset):
        return None
    present = {d.name.lower() for d in doc.parsed.directives if doc.lines.line_of(d.span.start) != doc.lines.line_of(offset)}
    typed = dm.group(1)
    replace = Span(offset - len(typed), _word_end(text, offset))
    items = []
    for rank, (name, snippet, plain, detail) in enumerate(DIRECTIVES):
        if name in present:
            continue
        insert = snippet if snippets else plain
        items.append(CompletionItem(name, "keyword", insert, replace, snippet=snippets, detail=detail, sort_text=f"{rank}"))
    return items


def _rule_ids(partial: str, offset: int, text: str, rules: Sequence[RuleInfo], buildkit: bool) -> list[CompletionItem]:
    replace = Span(offset - len(partial), _word_end(text, offset))
    items = []
    if buildkit:
        items.append(CompletionItem("all", "value", "all", replace, detail="every build check", sort_text="0"))
    for rule in rules:
        if (rule.origin == "buildkit") != buildkit or rule.code == "syntax-error":
            continue
        items.append(CompletionItem(rule.code, "value", rule.code, replace, detail=rule.summary, sort_text="1" + rule.code))
    return items


def _word_end(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] in "_-."):
        end += 1
    return end


@dataclass(frozen=True, slots=True)
class _DocFacts:
    """What completion reads of the whole document, found once per model (a completion on a 10 MB
    file looked at every instruction twice before it knew whether the cursor was in a heredoc)."""

    # (body start, where the body ends for completion: its terminator, or the end of the file)
    heredocs: list[tuple[int, int, bool]]
    heredoc_starts: list[int]
    # the largest end among heredocs[0..k], to stop looking back as soon as none can reach
    heredoc_reach: list[int]
    # The keywords written in letters, and how many of them in lower case.
    keywords: int
    lowercase_keywords: int

    @property
    def lowercase(self) -> bool:
        """Most keywords are written in lower case."""
        return self.keywords > 0 and self.lowercase_keywords * 2 > self.keywords


_FACTS: weakref.WeakKeyDictionary[Dockerfile, _DocFacts] = weakref.WeakKeyDictionary()


def document_facts(doc: Dockerfile) -> _DocFacts:
    """What completion reads of the whole document (built once per model; the server builds it in
    its analysis thread with the navigation indexes)."""
    return built_once(_FACTS, doc, _build_document_facts)


def known_document_facts(doc: Dockerfile) -> _DocFacts | None:
    """The document's facts if they are built (never builds them)."""
    return _FACTS.get(doc)


def keyword_counts(instructions: list[Instruction]) -> tuple[int, int]:
    """How many of ``instructions`` have a keyword in letters, and how many of those are lower case."""
    keywords = [i.keyword for i in instructions if i.keyword.isalpha()]
    return len(keywords), sum(k.islower() for k in keywords)


def seed_document_facts(doc: Dockerfile, keywords: int, lowercase_keywords: int) -> None:
    """Build ``doc``'s facts with the keyword counts of a larger document it is the start of (a
    long file's prefix modelled on its own after an edit: its keyword completions take the whole
    file's case)."""
    facts = _build_document_facts(doc, (keywords, lowercase_keywords))
    built_once(_FACTS, doc, lambda _doc: facts)


def _build_document_facts(doc: Dockerfile, counts: tuple[int, int] | None = None) -> _DocFacts:
    heredocs = []
    for _ins, heredoc in doc.heredocs():
        # The body runs to its terminator, or to the end of the file while it has none.
        end = heredoc.terminator.start if heredoc.terminator is not None else len(doc.text)
        heredocs.append((heredoc.body.start, end, heredoc.terminator is None))
    reach: list[int] = []
    for _start, end, _open in heredocs:
        reach.append(max(end, reach[-1]) if reach else end)
    keywords, lowercase_keywords = counts if counts is not None else keyword_counts(doc.instructions)
    return _DocFacts(heredocs, [h[0] for h in heredocs], reach, keywords, lowercase_keywords)


def _in_heredoc_body(doc: Dockerfile, offset: int) -> bool:
    """Whether ``offset`` is inside a heredoc body (a binary search among the heredocs)."""
    facts = document_facts(doc)
    k = bisect_right(facts.heredoc_starts, offset) - 1
    while k >= 0 and facts.heredoc_reach[k] >= offset:
        start, end, unterminated = facts.heredocs[k]
        if start <= offset <= end and (start < end or unterminated):
            return True
        k -= 1
    return False


def _prefers_lowercase(doc: Dockerfile, typed: str) -> bool:
    if typed:
        return typed.islower()
    return document_facts(doc).lowercase


def _keywords(doc: Dockerfile, offset: int, replace: Span, snippets: bool, lowercase: bool) -> list[CompletionItem]:
    # Before the first FROM only FROM and ARG are valid; a document with no FROM at all (a fragment,
    # a file being started) gets every keyword, FROM and ARG first.
    fragment = not doc.stages
    before_first_from = not fragment and offset <= doc.stages[0].from_instruction.span.start
    items = []
    for rank, (key, info) in enumerate(INSTRUCTIONS.items()):
        if before_first_from and key not in ("from", "arg"):
            continue
        if fragment and key not in ("from", "arg"):
            rank += 100
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
                sort_text=f"{rank:03d}",
            )
        )
    return items


def _flags(ins: Instruction, replace: Span, snippets: bool, sort_prefix: str = "") -> list[CompletionItem]:
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
        items.append(
            CompletionItem(
                label,
                "flag",
                insert,
                replace,
                snippet=snippets and takes_value,
                documentation=desc,
                sort_text=f"{sort_prefix}{label}" if sort_prefix else None,
            )
        )
    return items


def _flag_values(doc: Dockerfile, ins: Instruction, name: str, partial: str, offset: int) -> list[CompletionItem]:
    replace = Span(offset - len(partial), _word_end(doc.text, offset))
    if ins.cmd in ("copy", "add") and name == "from":
        return _stages(doc, doc.stage_at(offset), replace, include_index=True, offset=offset)
    if name == "platform":
        return [CompletionItem(p, "value", p, replace, detail="platform") for p in _PLATFORMS]
    if name == "network":
        return [CompletionItem(v, "value", v, replace) for v in ("default", "none", "host")]
    if name == "mount" and "=" not in partial:
        return [CompletionItem("type=" + t, "value", "type=" + t, replace) for t in MOUNT_TYPES]
    if name == "security":
        return [CompletionItem(v, "value", v, replace) for v in ("sandbox", "insecure")]
    return []


# At most this many stages are offered at once, the nearest first, among those whose name holds
# the typed letters in order (a superset of what an editor's fuzzy filter keeps); the list is then
# marked incomplete, so that the editor asks again as more is typed. 50,000 stages made a list of
# 25,000 items (5 MB of JSON) for every ``COPY --from=``. clangd cuts its lists at 100 the same way.
MAX_STAGE_ITEMS = 1000


class PartialList(list[CompletionItem]):
    """Completion items cut at :data:`MAX_STAGE_ITEMS`: more would match (LSP ``isIncomplete``)."""


def _matches(label: str, typed: str) -> bool:
    """Whether the letters of ``typed`` occur in ``label`` in order (case-insensitive)."""
    if not typed:
        return True
    rest = iter(label.lower())
    return all(c in rest for c in typed.lower())


def _stages(doc: Dockerfile, current: Stage | None, replace: Span, include_index: bool, offset: int | None = None) -> list[CompletionItem]:
    """Stages defined before ``current``: the only ones COPY --from and FROM can use."""
    limit = current.index if current is not None else len(doc.stages)
    # A FROM line being typed is not yet its own stage if the text is incomplete; when the cursor
    # is on a FROM, ``current`` is that stage and it is excluded.
    many = limit > MAX_STAGE_ITEMS
    typed = doc.text[replace.start : offset] if many and offset is not None and offset >= replace.start else ""
    items: list[CompletionItem] = []
    cut = False
    for stage in reversed(doc.stages[:limit]) if many else doc.stages[:limit]:
        if len(items) >= MAX_STAGE_ITEMS:
            cut = True
            break
        image = stage.image.text if stage.image else "?"
        if stage.name:
            if not _matches(stage.name, typed):
                continue
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
            if not _matches(str(stage.index), typed):
                continue
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
    if many:
        items.reverse()  # back in document order
    return PartialList(items) if cut else items


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
        # The stage's own ARGs and ENVs before the cursor, and the ENVs of the stages it is built
        # on (an image keeps its ENV; an ARG ends with its stage, as navigation resolves them).
        for st in stage_chain(stage):
            for d in st.args + st.envs if st is stage else st.envs:
                if st is not stage or d.instruction.span.start < offset:
                    label = "ARG" if d.kind == "arg" else "ENV"
                    names[d.name] = label + (f" = {d.value}" if d.value is not None else "")
    if stage is None:
        # A fragment without FROM: its ENVs are what later instructions would read.
        for d in doc.preamble_envs:
            if d.instruction.span.start < offset:
                names[d.name] = "ENV" + (f" = {d.value}" if d.value is not None else "")
    for name in sorted(AUTOMATIC_PLATFORM_ARGS):
        names.setdefault(name, "automatic platform ARG")
    if not in_from:
        for name in sorted(PREDEFINED_ARGS):
            kind = "proxy" if "proxy" in name.lower() else "BuildKit"
            names.setdefault(name, f"predefined {kind} ARG (set with --build-arg)")
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
