"""Dependency installs that run after the whole source is copied, and how to move them before it.

InstallAfterSourceCopy reports each one and says why it is not moved automatically; the
cacheDependencies refactoring (refactors/cache_dependencies.py, whose docstring describes the
move) makes the move. Both need the same answer, so the analysis and the edits live here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .ecosystems import (
    DOTNET_SHARED,
    InstallStep,
    RunScript,
    Segment,
    changes_shell_state,
    comment_block_start,
    indentation,
    install_step,
    minimal_edits,
    overlaps,
    run_script,
    same_case,
    source_independent,
    trim_edit,
)
from .findings import Edit, apply_edits
from .images import is_windows, root_image_text, stage_chain
from .model import Dockerfile, Stage
from .not_applicable import NotApplicable
from .parser import Instruction
from .text import Span
from .workdirs import UNKNOWN_ROOT, resolve, stage_cwds, unquote

# Why the action is not offered: one line each, shown in the editor's Refactor menu and by
# `fix --action cacheDependencies`. docs/refactorings/cache-dependencies.md lists them (a test checks).
NO_SOURCE_COPY = "no stage copies the whole build context (COPY . <dir>), so there is no install to move"
NO_INSTALL = "no dependency install or build that downloads dependencies runs after {copy}"
CACHED_ALREADY = "`{label}` runs before `{copy}` already: its layer is only rebuilt when the manifests change"
WINDOWS = "{stage} is a Windows image"
OUTSIDE = "`{label}` runs in {dir}, outside the folder `{copy}` copies to"
SUBDIR_BUILD = "`{label}` runs in a sub-folder of the source and downloads while building"
MANIFESTS_ELSEWHERE = "the manifests `{label}` reads are not all copied by `{copy}`"
ALREADY_CACHED = "`{label}` already has its dependencies installed before `{copy}`"
BLOCKED = "`{label}` cannot move before `{copy}`: {why}"
CURSOR = "the cursor is not on a COPY of the whole source or an install after it"
BROKEN = "the moved instructions would not parse the same (a line continuation would swallow a line)"
REASONS = (NO_SOURCE_COPY, NO_INSTALL, CACHED_ALREADY, WINDOWS, OUTSIDE, SUBDIR_BUILD, MANIFESTS_ELSEWHERE, ALREADY_CACHED, BLOCKED,
           CURSOR, BROKEN, "GOFLAGS has -mod=vendor: the dependencies come with the source",
           "GO111MODULE=off: Go modules are off", "Go 1.{minor} has no modules",
           "Go 1.{minor} uses modules only with a go.mod, and nothing in the Dockerfile shows one",
           "Go 1.{minor} ignores go.mod under $GOPATH/src unless GO111MODULE=on")
_KEPT_FLAGS = frozenset(("chown", "chmod", "link", "exclude"))
_MAX_ROUNDS = 16


@dataclass(slots=True)
class Issue:
    """An install step that runs after a whole-source COPY in the same stage."""

    stage: Stage
    source: Instruction  # COPY . <dest> (or ADD)
    install: Instruction  # the RUN
    script: RunScript
    index: int  # the install segment of the script
    step: InstallStep
    files: tuple[str, ...]  # manifest files, relative to the build context
    dirs: tuple[str, ...]  # manifest directories, relative to the build context
    src_dir: str  # where the source lands (resolved)
    dest: str  # the source COPY's destination as written
    source_index: int  # positions of the source COPY and of the install in stage.instructions
    install_index: int
    cd_segments: frozenset[int]  # `cd` segments before the install that lead to its directory

    @property
    def between(self) -> list[Instruction]:
        return self.stage.instructions[self.source_index + 1 : self.install_index]

    @property
    def span(self) -> Span:
        return self.script.segment_span(self.script.segments[self.index])

    @property
    def region(self) -> Span:
        return Span(self.source.keyword_span.start, self.install.span.end)


def _under(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` ("" when equal), None when it is not inside it."""
    if path == root:
        return ""
    prefix = root.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def is_whole_source_copy(ins: Instruction) -> bool:
    """``COPY . <dest>`` / ``ADD . <dest>`` from the build context, any flags but --from/--parents."""
    if ins.cmd not in ("copy", "add") or ins.heredocs or ins.sub is not None or ins.error:
        return False
    if ins.flag("from") is not None or ins.flag("parents") is not None:
        return False
    if len(ins.args) < 2:
        return False
    return all(unquote(a.value) in (".", "./") for a in ins.args[:-1])


def _stage_env(doc: Dockerfile, stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for s in reversed(stage_chain(stage, doc)):
        for decl in s.envs:
            if decl.value is not None:
                env[decl.name] = decl.value
    return env


def _go_minor(doc: Dockerfile, stage: Stage) -> int | None:
    text = root_image_text(doc, stage) or ""
    m = re.match(r"^(?:docker\.io/)?(?:library/)?golang:1\.(\d+)", text)
    return int(m.group(1)) if m else None


def _go_modules_off(doc: Dockerfile, stage: Stage, env: dict[str, str], src_dir: str) -> str | None:
    """Why Go does not download modules here (None when it does: Go 1.16+, or 1.11+ with a go.mod)."""
    if "vendor" in env.get("GOFLAGS", ""):
        return "GOFLAGS has -mod=vendor: the dependencies come with the source"
    mode = env.get("GO111MODULE", "")
    if mode == "off":
        return "GO111MODULE=off: Go modules are off"
    minor = _go_minor(doc, stage)
    if minor is None or minor >= 16:
        return None
    if minor < 11:
        return f"Go 1.{minor} has no modules"
    if mode != "on":
        said = any("go.mod" in i.original or "go mod " in i.original for s in stage_chain(stage, doc)
                   for i in s.instructions)
        if not said:
            return f"Go 1.{minor} uses modules only with a go.mod, and nothing in the Dockerfile shows one"
        gopath = env.get("GOPATH", "/go").rstrip("/")
        if minor <= 12 and _under(src_dir, gopath + "/src") is not None:
            return f"Go 1.{minor} ignores go.mod under $GOPATH/src unless GO111MODULE=on"
    return None


# Words every recognised install or build command contains; RUNs without any are not tokenized.
_TOOL_WORDS = re.compile(
    r"\b(npm|yarn|pnpm|bun|pip[0-9.]*|uv|poetry|pdm|pipenv|go|mvnw?|gradlew?|cargo|bundle|composer|dotnet)\b"
)


def _script(doc: Dockerfile, ins: Instruction) -> RunScript | None:
    if ins.cmd != "run" or not _TOOL_WORDS.search(ins.args_text):
        return None
    return run_script(doc, ins)


def _ecosystems_installed(doc: Dockerfile, runs: list[Instruction]) -> set[str]:
    out: set[str] = set()
    for ins in runs:
        script = _script(doc, ins)
        if script is not None:
            for seg in script.segments:
                step = install_step(seg)
                if step is not None:
                    out.add(step.ecosystem)
    return out


def _context_files(step: InstallStep, cwd: str, src_dir: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The step's manifests as build-context paths (None when one of them is not in the copy)."""

    def convert(path: str) -> str | None:
        rel = _under(resolve(cwd, path), src_dir)
        if rel is None or rel == "" or rel.startswith("..") or " " in rel:
            return None
        return rel

    files: list[str] = []
    dirs: list[str] = []
    for f in step.files:
        rel = convert(f)
        if rel is None:
            return None
        if step.tool == "pip":
            # Requirement files include their siblings (-r base.txt): bring those along.
            head, tail = posixpath.split(rel)
            if "req" in posixpath.basename(head).lower():
                if head not in dirs:
                    dirs.append(head)
                continue
            if re.fullmatch(r"requirements[^/]*\.txt", tail):
                rel = posixpath.join(head, "requirements*.txt")
        if rel not in files:
            files.append(rel)
    for d in step.dirs:
        rel = convert(d)
        if rel is None:
            return None
        dirs.append(rel)
    return tuple(files), tuple(dirs)


def find_issues(doc: Dockerfile, misses: list[str] | None = None) -> list[Issue]:
    """Every install step that runs after a whole-source COPY of the same stage.

    With ``misses``, the reasons install steps after a whole-source COPY are not issues are added to it.
    """
    issues: list[Issue] = []
    miss = misses.append if misses is not None else (lambda _reason: None)
    for stage in doc.stages:
        if not any(is_whole_source_copy(i) for i in stage.instructions):
            continue
        if is_windows(doc, stage):
            miss(WINDOWS.format(stage=stage.label))
            continue
        cwds = stage_cwds(doc, stage)
        env = _stage_env(doc, stage)
        chain = stage_chain(stage, doc)
        inherited = _ecosystems_installed(doc, [i for s in chain[1:] for i in s.instructions if i.cmd == "run"])
        installed = set(inherited)  # ecosystems installed so far in the stage
        before_source: set[str] = set()  # ... before the current source COPY
        source_idx: int | None = None
        for idx, ins in enumerate(stage.instructions):
            if is_whole_source_copy(ins):
                source_idx = idx
                before_source = set(installed)
                continue
            script = _script(doc, ins)
            if script is None:
                continue
            steps = [install_step(seg) for seg in script.segments]
            installed.update(step.ecosystem for step in steps if step is not None)
            if source_idx is None:
                continue
            source = stage.instructions[source_idx]
            dest = unquote(source.args[-1].value)
            src_dir = resolve(cwds[source_idx], dest)
            cwd = cwds[idx]
            cds: set[int] = set()
            for k, seg in enumerate(script.segments):
                cmd = seg.command
                if cmd.prog in ("cd", "pushd") and not script.json:
                    values = cmd.values()
                    if len(values) != 1 or "$" in values[0] or values[0] == "-" or seg.redirects:
                        break
                    cwd = resolve(cwd, values[0])
                    cds.add(k)
                    continue
                step = steps[k]
                if step is None:
                    continue
                sub = _under(cwd, src_dir)
                absolute = all(f.startswith("/") for f in step.files) and not step.dirs
                copied = f"{source.keyword} {source.args_text}"
                if sub is None and not absolute:
                    miss(OUTSIDE.format(label=step.label, dir=cwd.replace(UNKNOWN_ROOT, "the image's WORKDIR"),
                                        copy=copied))
                    break
                if sub and not step.explicit:
                    miss(SUBDIR_BUILD.format(label=step.label))
                    break
                off = _go_modules_off(doc, stage, env, src_dir) if step.ecosystem == "go" else None
                if off is not None:
                    miss(off)
                    break
                ctx = _context_files(step, cwd, src_dir)
                if ctx is None:
                    miss(MANIFESTS_ELSEWHERE.format(label=step.label, copy=copied))
                    break
                if step.ecosystem in before_source:
                    miss(ALREADY_CACHED.format(label=step.label, copy=copied))
                    break
                issues.append(
                    Issue(stage, source, ins, script, k, step, ctx[0], ctx[1], src_dir, dest, source_idx, idx,
                          frozenset(cds))
                )
                break
    return issues


def split_after(issue: Issue) -> int:
    """The last segment that stays before the source COPY: the install and the commands right after
    it that do not need the source (``npm cache clean``, ``rm -rf /tmp/*``), which must stay in the
    install's layer to keep it small."""
    segments = issue.script.segments
    manifests = frozenset(issue.files) | frozenset(issue.dirs)
    last = issue.index
    while last + 1 < len(segments) and source_independent(segments[last + 1], manifests, issue.src_dir):
        if changes_shell_state(segments[last + 1]):
            break
        last += 1
    return last


def _disjoint_copy(doc: Dockerfile, issue: Issue, ins: Instruction) -> bool:
    """A COPY/ADD between the source COPY and the install that writes outside the source folder (so
    it gives the same result before or after the source COPY)."""
    if ins.heredocs or len(ins.args) < 2 or "$" in ins.args_text or ins.flag("parents") is not None:
        return False
    cwd = stage_cwds(doc, issue.stage)[issue.stage.instructions.index(ins)]
    dest = resolve(cwd, unquote(ins.args[-1].value))
    if UNKNOWN_ROOT in dest:
        return False
    return _under(dest, issue.src_dir) is None and _under(issue.src_dir, dest) is None


def blocker(doc: Dockerfile, issue: Issue) -> str | None:
    """Why the refactoring cannot move this install safely (None when it can)."""
    manifests = frozenset(issue.files) | frozenset(issue.dirs)
    for ins in issue.between:
        if ins.cmd in ("copy", "add") and _disjoint_copy(doc, issue, ins):
            continue
        if ins.cmd in ("copy", "add", "volume"):
            return f"{ins.keyword} {ins.args_text} between the source COPY and the install writes into the source folder"
        if ins.cmd == "workdir" and "$" in ins.args_text:
            return "a WORKDIR with a variable sits between the source COPY and the install"
        if ins.cmd == "run":
            script = run_script(doc, ins)
            if script is None or not all(source_independent(s, manifests, issue.src_dir) for s in script.segments):
                return "a RUN between the source COPY and the install may use the source"
    segments = issue.script.segments
    for k, seg in enumerate(segments[: issue.index]):
        if k not in issue.cd_segments and not source_independent(seg, manifests, issue.src_dir):
            return "the install's RUN does something with the source before installing"
    step = issue.step
    if issue.script.json and step.extra_flags:
        return "an exec-form RUN cannot be given extra flags"
    cut = split_after(issue)
    if step.explicit and cut < len(segments) - 1 and segments[cut].sep != "&&":
        return "the install is followed by `;`, not `&&`"
    if " " in issue.dest or any(" " in f for f in issue.files):
        return "paths with spaces"
    return None


def _dest_join(dest: str, sub: str) -> str:
    if not sub:
        if dest in (".", "./"):
            return "./"
        return dest if dest.endswith("/") else dest + "/"
    base = "" if dest in (".", "./") else dest.rstrip("/") + "/"
    return f"{base}{sub}/"


def _manifest_copies(doc: Dockerfile, issue: Issue) -> list[str]:
    source = issue.source
    keyword = source.keyword if source.cmd == "copy" else same_case(source.keyword, "COPY")
    flags = [doc.text[f.span.start : f.span.end] for f in source.flags if f.name.lower() in _KEPT_FLAGS]
    groups: dict[str, list[str]] = {}
    for f in issue.files:
        groups.setdefault(posixpath.dirname(f), []).append(f)
    lines = [" ".join([keyword, *flags, *srcs, _dest_join(issue.dest, d)]) for d, srcs in groups.items()]
    lines += [" ".join([keyword, *flags, d + "/", _dest_join(issue.dest, d)]) for d in issue.dirs]
    return lines


def _edits(doc: Dockerfile, issue: Issue) -> list[Edit]:
    eol = doc.line_ending
    text = doc.text
    source, run, script, step = issue.source, issue.install, issue.script, issue.step
    edits: list[Edit] = []

    # The source COPY becomes the manifest COPY; it moves (with the comments above it) after the install.
    block = comment_block_start(doc, source)
    indent = indentation(doc, source.keyword_span.start)
    edits.append(Edit(Span(block, source.span.end), eol.join(indent + line for line in _manifest_copies(doc, issue))))
    moved = text[block : source.span.end]

    run_indent = indentation(doc, run.keyword_span.start)
    flags = " ".join(text[f.span.start : f.span.end] for f in run.flags)
    run_prefix = run.keyword + (" " + flags if flags else "") + " "

    segments = script.segments
    seg = segments[issue.index]

    def raw(s: Segment) -> str:
        return text[script.doc_start(s) : script.doc_end(s)]

    if not step.explicit:
        # What the RUN does before building (tools, chmod +x gradlew, cd) is needed to fetch too.
        assert step.fetch is not None
        fetch = " && ".join([*(raw(s) for s in segments[: issue.index]), step.fetch])
        at = comment_block_start(doc, run)
        edits.append(Edit(Span(at, at), run_indent + run_prefix + fetch + eol + moved + eol))
        return edits

    rerun = bool(step.extra_flags)
    if rerun:
        assert step.anchor is not None
        at = script.doc_offset_after(step.anchor)
        edits.append(Edit(Span(at, at), " " + " ".join(step.extra_flags)))
    cut = split_after(issue)
    last = cut == len(segments) - 1
    if last and not rerun:
        edits.append(Edit(Span(run.span.end, run.span.end), eol + moved))
        return edits

    parts = [raw(s) for s in segments[: issue.index] if changes_shell_state(s)]
    if rerun:
        parts.append(raw(seg))
    comments = ""
    if last:
        region = Span(run.span.end, run.span.end)
    else:
        end = segments[cut]
        nxt = segments[cut + 1]
        gap = Span(script.doc_end(end), script.doc_start(nxt))
        comments = "".join(
            eol + run_indent + text[c.start : c.end] for c in run.comment_spans if gap.start <= c.start < gap.end
        )
        parts.append(text[script.doc_start(nxt) : run.line_span.end if run.line_span else run.span.end])
        region = Span(script.doc_end(end), run.span.end)
    edits.append(Edit(region, eol + moved + comments + eol + run_indent + run_prefix + " && ".join(parts)))
    return edits


def _added_instructions(issue: Issue) -> int:
    """How many instructions one round adds: the manifest COPYs and the install or fetch RUN."""
    copies = len({posixpath.dirname(f) for f in issue.files}) + len(issue.dirs)
    step = issue.step
    if not step.explicit:
        return copies + 1
    last = split_after(issue) == len(issue.script.segments) - 1
    return copies + (0 if last and not step.extra_flags else 1)


def _install_before(doc: Dockerfile, source: Instruction) -> str | None:
    """The label of a dependency install that runs before ``source`` in its stage, if any."""
    stage = doc.stage_of(source)
    if stage is None:
        return None
    for ins in stage.instructions:
        if ins is source:
            break
        script = _script(doc, ins)
        for seg in script.segments if script is not None else []:
            step = install_step(seg)
            if step is not None:
                return step.label
    return None


def _first_applicable(
    doc: Dockerfile, span: Span | None, stage_index: int | None, why: list[str] | None = None
) -> Issue | None:
    """The first issue the refactoring can fix (within ``span`` and the stage, when given); with
    ``why``, the reasons it cannot are added to it."""
    tried: set[int] = set()
    note = why.append if why is not None else (lambda _reason: None)
    found = find_issues(doc, why)
    if why is not None and not found and not why:
        copies = [i for s in doc.stages for i in s.instructions if is_whole_source_copy(i)]
        if not copies:
            note(NO_SOURCE_COPY)
        else:
            copy = f"{copies[0].keyword} {copies[0].args_text}"
            early = _install_before(doc, copies[0])
            note(CACHED_ALREADY.format(label=early, copy=copy) if early else NO_INSTALL.format(copy=copy))
    in_span = False
    for issue in found:
        if stage_index is not None and issue.stage.index != stage_index:
            continue
        if span is not None and not overlaps(issue.region, span):
            continue
        in_span = True
        # Later installs after the same source COPY have this one's RUN in between: blocked too.
        if id(issue.source) in tried:
            continue
        tried.add(id(issue.source))
        reason = blocker(doc, issue)
        if reason is None:
            return issue
        note(BLOCKED.format(label=issue.step.label, copy=f"{issue.source.keyword} {issue.source.args_text}",
                            why=reason))
    if found and not in_span and span is not None:
        note(CURSOR)
    return None


def move_manifests(doc: Dockerfile, span: Span | None) -> tuple[str, list[Edit]]:
    """The title and edits of the move at ``span`` (anywhere when None); NotApplicable says why not."""
    current = doc
    stage_index: int | None = None
    moved: list[str] = []
    rounds: list[list[Edit]] = []
    why: list[str] = []
    for _ in range(_MAX_ROUNDS):
        issue = _first_applicable(current, span if not moved else None, stage_index, why if not moved else None)
        if issue is None:
            break
        if span is not None:
            stage_index = issue.stage.index
        edits = _edits(current, issue)
        new_text = apply_edits(current.text, edits)
        new_doc = Dockerfile(new_text, current.encoding)
        expected = len(current.instructions) + _added_instructions(issue)
        if len(new_doc.instructions) != expected or len(list(new_doc.parsed.all_errors)) > len(
            list(current.parsed.all_errors)
        ):
            if not moved:
                why.append(BROKEN)
            break  # never hand out an edit that breaks the file (e.g. a line swallowed by a continuation)
        moved += [f for f in (*issue.files, *(d + "/" for d in issue.dirs)) if f not in moved]
        rounds.append(edits)
        current = new_doc
    if not moved or current.text == doc.text:
        # The reason closest to the cursor's install: a blocker beats "the cursor is elsewhere".
        raise NotApplicable(next((w for w in why if w != CURSOR), why[0] if why else NO_SOURCE_COPY))
    # One round's own edits are minimal already; chained rounds are re-expressed on the original.
    final = [trim_edit(doc.text, e) for e in rounds[0]] if len(rounds) == 1 else minimal_edits(doc.text, current.text)
    # The optional .NET build settings would make the title a line of wildcards.
    named = [m for m in moved if m not in DOTNET_SHARED] or moved
    return f"Move COPY {' '.join(named)} before source", final


def _moved_in_a_later_round(doc: Dockerfile, issue: Issue) -> bool:
    try:
        _title, edits = move_manifests(doc, issue.span)
    except NotApplicable:
        return False
    after = Dockerfile(apply_edits(doc.text, edits), doc.encoding)
    label = issue.step.label
    return not any(i.step.label == label and i.stage.index == issue.stage.index for i in find_issues(after))


def explain(doc: Dockerfile, issue: Issue, issues: list[Issue]) -> str | None:
    """Why the refactoring does not move ``issue`` (None when it does), for the diagnostic."""
    reason = blocker(doc, issue)
    if reason is None:
        return None
    # An install after another one of the same source COPY is moved in a later round, once the
    # first one is (each round starts again from the new text).
    first = next(i for i in issues if i.source is issue.source)
    if first is not issue and blocker(doc, first) is None and _moved_in_a_later_round(doc, issue):
        return None
    return BLOCKED.format(label=issue.step.label, copy=f"{issue.source.keyword} {issue.source.args_text}", why=reason)
