"""Signature help: the syntax of the instruction being typed and which part the cursor is on.

Each instruction has one or more forms (``CMD`` exec, parameters-for-ENTRYPOINT and shell form;
``HEALTHCHECK ... CMD`` and ``HEALTHCHECK NONE``; ...). The active form is the one the text typed so
far is in; the active parameter follows the cursor word by word, the way BuildKit will split the
line (continuation lines joined, comment lines inside them skipped, quotes grouping words):

- on a ``--flag`` (or a ``-`` starting one) among the leading flags: ``[OPTIONS]``;
- after ``--flag=``: a signature for that flag alone, its value active;
- on an argument: that argument (``COPY``'s last argument is ``<dest>``, the ones before are
  ``<src>...``; the word being typed after at least one source is the destination);
- ``ONBUILD``: the carried instruction's own signature once its keyword is typed;
- a parser directive line (``# syntax=``, ``# escape=``, ``# check=``): the directive's syntax.

Signature labels mark their parameters with ``{...}`` in the tables below; the braces are removed
and each parameter keeps its offsets into the label (so repeated words such as ``...`` stay
distinct).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cursor import instruction_for_cursor, json_index, json_scan, logical_text, split_words
from .instructions import FLAGS
from .model import Dockerfile
from .parser import Instruction


@dataclass(frozen=True, slots=True)
class Parameter:
    label: str
    start: int  # offsets into the signature's label
    end: int
    documentation: str


@dataclass(frozen=True, slots=True)
class Signature:
    label: str
    documentation: str
    parameters: tuple[Parameter, ...]


@dataclass(frozen=True, slots=True)
class SignatureHelp:
    signatures: tuple[Signature, ...]
    active_signature: int
    active_parameter: int | None  # None: the cursor is on none of the parameters


def _sig(template: str, documentation: str, *param_docs: str) -> Signature:
    label_parts: list[str] = []
    params: list[Parameter] = []
    pos = 0
    docs = iter(param_docs)
    for m in re.finditer(r"\{([^{}]*)\}|[^{}]+", template):
        if m.group(1) is not None:
            text = m.group(1)
            params.append(Parameter(text, pos, pos + len(text), next(docs, "")))
        else:
            text = m.group()
        label_parts.append(text)
        pos += len(text)
    return Signature("".join(label_parts), documentation, tuple(params))


_OPTIONS = "{[OPTIONS]}"


def _options_doc(cmd: str) -> str:
    flags = FLAGS.get(cmd, {})
    lines = [f"--{name}{'=…' if takes else ''}: {desc}" for name, (takes, desc) in flags.items()]
    return "Flags:\n" + "\n".join(lines) if lines else ""


_FLAG_VALUES: dict[str, dict[str, str]] = {
    "from": {"platform": "<platform>"},
    "copy": {
        "from": "<stage|image|context>",
        "chown": "<user>[:<group>]",
        "chmod": "<mode>",
        "link": "<true|false>",
        "parents": "<true|false>",
        "exclude": "<pattern>",
    },
    "add": {
        "chown": "<user>[:<group>]",
        "chmod": "<mode>",
        "link": "<true|false>",
        "keep-git-dir": "<true|false>",
        "checksum": "<algorithm>:<digest>",
        "exclude": "<pattern>",
        "unpack": "<true|false>",
    },
    "run": {
        "mount": "type=<bind|cache|secret|ssh|tmpfs>[,<option>=<value>...]",
        "network": "<default|none|host>",
        "security": "<sandbox|insecure>",
        "device": "<name>[,required]",
    },
    "healthcheck": {
        "interval": "<duration>",
        "timeout": "<duration>",
        "start-period": "<duration>",
        "start-interval": "<duration>",
        "retries": "<count>",
    },
}


def _flag_signature(cmd: str, name: str) -> Signature | None:
    value = _FLAG_VALUES.get(cmd, {}).get(name)
    info = FLAGS.get(cmd, {}).get(name)
    if value is None or info is None:
        return None
    # The signature says what the instruction does (its first form's text), the parameter what the
    # flag does: the same sentence twice is what a user saw in VS Code's widget.
    forms = SIGNATURES.get(cmd)
    summary = forms[0].documentation if forms else f"The --{name} flag of {cmd.upper()}."
    return _sig(f"{cmd.upper()} --{name}={{{value}}} ...", summary, info[1])


_SRC = "A file, directory or pattern in the build context (or in the --from stage/image)."
_DEST = "Where to put it in the image (a directory when it ends with / or there are several sources)."
_EXEC = "The program to run (looked up in PATH)."
_PARAM = "An argument passed to it."
_COMMAND = "A shell command, run with the SHELL (default /bin/sh -c)."

SIGNATURES: dict[str, tuple[Signature, ...]] = {
    "from": (
        _sig(
            "FROM {[--platform=<platform>]} {<image>[:<tag>|@<digest>]} {AS} {<name>}",
            "Start a build stage from a base image or an earlier stage.",
            "The platform of the base image, e.g. linux/amd64 or $BUILDPLATFORM.",
            "The base image (or the name of an earlier stage, or scratch).",
            "Names this stage.",
            "The stage's name, for COPY --from, FROM and --target.",
        ),
    ),
    "run": (
        _sig(f"RUN {_OPTIONS} {{<command>}}", "Run a command in a new layer (shell form).", _options_doc("run"), _COMMAND),
        _sig(
            f'RUN {_OPTIONS} [{{"<executable>"}}, {{"<param>"}}, ...]',
            "Run a program in a new layer (exec form, no shell).",
            _options_doc("run"),
            _EXEC,
            _PARAM,
        ),
    ),
    "cmd": (
        _sig('CMD [{"<executable>"}, {"<param>"}, ...]', "The container's default command (exec form).", _EXEC, _PARAM),
        _sig('CMD [{"<param>"}, ...]', "Default arguments for the ENTRYPOINT.", "An argument appended to the ENTRYPOINT."),
        _sig("CMD {<command>}", "The container's default command (shell form).", _COMMAND),
    ),
    "entrypoint": (
        _sig('ENTRYPOINT [{"<executable>"}, {"<param>"}, ...]', "The program the container runs (exec form).", _EXEC, _PARAM),
        _sig("ENTRYPOINT {<command>}", "The program the container runs (shell form: ignores CMD and signals).", _COMMAND),
    ),
    "copy": (
        _sig(
            f"COPY {_OPTIONS} {{<src>...}} {{<dest>}}",
            "Copy files from the build context, a stage or an image.",
            _options_doc("copy"),
            _SRC,
            _DEST,
        ),
        _sig(
            f'COPY {_OPTIONS} [{{"<src>",...}} {{"<dest>"}}]',
            "Copy files (JSON form, for paths with spaces).",
            _options_doc("copy"),
            _SRC,
            _DEST,
        ),
    ),
    "add": (
        _sig(
            f"ADD {_OPTIONS} {{<src>...}} {{<dest>}}",
            "Add files, URLs or Git repositories (archives from the context are unpacked).",
            _options_doc("add"),
            "A path in the build context, a URL or a Git repository.",
            _DEST,
        ),
        _sig(
            f'ADD {_OPTIONS} [{{"<src>",...}} {{"<dest>"}}]',
            "Add files (JSON form, for paths with spaces).",
            _options_doc("add"),
            "A path in the build context, a URL or a Git repository.",
            _DEST,
        ),
    ),
    "arg": (
        _sig("ARG {<name>}[={<default>}] ...", "Declare a build argument.", "The argument's name.", "Its value when --build-arg does not set it."),
    ),
    "env": (
        _sig("ENV {<key>}={<value>} ...", "Set environment variables.", "The variable's name.", "Its value (quote it if it has spaces)."),
        _sig("ENV {<key>} {<value>}", "Set one environment variable (legacy form: the rest of the line is the value).", "The variable's name.", "Its value: the rest of the line."),
    ),
    "label": (
        _sig("LABEL {<key>}={<value>} ...", "Add metadata to the image.", "The label's key, e.g. org.opencontainers.image.source.", "Its value."),
        _sig("LABEL {<key>} {<value>}", "Add one label (legacy form).", "The label's key.", "Its value: the rest of the line."),
    ),
    "expose": (
        _sig("EXPOSE {<port>}[/{<protocol>}] ...", "Document a port the container listens on.", "The port number (or a range, 8000-8010).", "tcp (default) or udp."),
    ),
    "healthcheck": (
        _sig(
            f"HEALTHCHECK {_OPTIONS} {{CMD}} {{<command>}}",
            "How to test that the container still works.",
            _options_doc("healthcheck"),
            "Introduces the check command.",
            "The check: exit 0 means healthy, 1 unhealthy.",
        ),
        _sig("HEALTHCHECK {NONE}", "Turn off a health check inherited from the base image.", "No health check."),
    ),
    "maintainer": (_sig("MAINTAINER {<name>}", "Deprecated: use LABEL org.opencontainers.image.authors.", "The author."),),
    "onbuild": (
        _sig("ONBUILD {<INSTRUCTION>}", "Register an instruction to run when this image is used as a base.", "Any instruction except FROM, ONBUILD and MAINTAINER."),
    ),
    "shell": (
        _sig('SHELL [{"<executable>"}, {"<param>"}, ...]', "The shell for the shell form of RUN, CMD and ENTRYPOINT.", "The shell, e.g. /bin/bash or powershell.", "Its arguments, e.g. -c or -Command."),
    ),
    "stopsignal": (_sig("STOPSIGNAL {<signal>}", "The signal that stops the container.", "A name (SIGTERM, SIGQUIT...) or a number."),),
    "user": (
        _sig("USER {<user>}[:{<group>}]", "The user (and group) for later RUN, CMD and ENTRYPOINT.", "A user name or UID.", "A group name or GID."),
    ),
    "volume": (
        _sig("VOLUME {<path>} ...", "Declare mount points for external volumes.", "A path in the container."),
        _sig('VOLUME [{"<path>"}, ...]', "Declare mount points (JSON form).", "A path in the container."),
    ),
    "workdir": (_sig("WORKDIR {<path>}", "Set the working directory for later instructions (created if missing).", "An absolute path, or one relative to the previous WORKDIR."),),
}

DIRECTIVE_SIGNATURES: dict[str, Signature] = {
    "syntax": _sig(
        "# syntax={<frontend image>}",
        "The Dockerfile frontend that builds this file.",
        "A BuildKit frontend image, e.g. docker/dockerfile:1.",
    ),
    "escape": _sig("# escape={<\\ or `>}", "The escape character of this file.", "\\ (default) or ` (common on Windows)."),
    "check": _sig(
        "# check=skip={<checks|all>};error={<true|false>}",
        "Configure BuildKit's build checks.",
        "Comma-separated check names to skip, or all.",
        "Whether a check violation fails the build.",
    ),
}


_DIRECTIVE_TYPED = re.compile(r"[ \t]*#[ \t]*(syntax|escape|check)[ \t]*=(?P<value>[^\r\n]*)", re.IGNORECASE)


def signature_help(doc: Dockerfile, offset: int) -> SignatureHelp | None:
    offset = max(0, min(offset, len(doc.text)))
    for d in doc.parsed.directives:
        if d.span.start <= offset <= d.span.end and offset >= d.name_span.end:
            return _directive_help(doc, d.name.lower(), offset, d.value_span.start)
    first = doc.instructions[0].span.start if doc.instructions else len(doc.text)
    if offset <= first:
        # A directive being typed (``# syntax=`` with no value yet is no directive to the parser).
        line_start = doc.lines.line_start(doc.lines.line_of(offset))
        m = _DIRECTIVE_TYPED.match(doc.text, line_start, offset)
        if m is not None:
            return _directive_help(doc, m.group(1).lower(), offset, m.start("value"))
    ins = instruction_for_cursor(doc, offset)
    if ins is None or offset <= ins.keyword_span.end:
        return None
    for heredoc in ins.heredocs + (ins.sub.heredocs if ins.sub is not None else []):
        end = heredoc.terminator.end if heredoc.terminator is not None else len(doc.text)
        if heredoc.body.start <= offset <= end:
            return None  # a heredoc body is a script or a file, not arguments
    line_end = (ins.line_span or ins.span).end
    before = logical_text(doc, ins.keyword_span.end, offset)
    if not before or before[0] not in " \t":
        return None
    whole = logical_text(doc, ins.keyword_span.end, max(line_end, offset))
    return _help_for(doc, ins, ins.cmd, before, whole)


def _directive_help(doc: Dockerfile, name: str, offset: int, value_start: int) -> SignatureHelp | None:
    sig = DIRECTIVE_SIGNATURES.get(name)
    if sig is None:
        return None
    active: int | None = 0
    if name == "check":
        typed = doc.text[value_start:offset] if offset >= value_start else ""
        field = typed.rsplit(";", 1)[-1].strip().lower()
        active = 1 if field.startswith("error") else 0
    return SignatureHelp((sig,), 0, active)


def _help_for(doc: Dockerfile, ins: Instruction, cmd: str, before: str, whole: str) -> SignatureHelp | None:
    sigs = SIGNATURES.get(cmd)
    if sigs is None:
        return None
    words = split_words(before, doc.escape)
    all_words = split_words(whole, doc.escape).all()
    n_flags = 0
    for w in words.done:
        if not w.startswith("--"):
            break
        n_flags += 1
    on_flag = n_flags == len(words.done) and words.current is not None and words.current.startswith("-")
    if cmd in FLAGS and on_flag:
        assert words.current is not None
        name, eq, _value = words.current[2:].partition("=")
        if eq:
            flag_sig = _flag_signature(cmd, name.lower())
            if flag_sig is not None:
                return SignatureHelp((flag_sig,), 0, 0)
        return SignatureHelp(sigs, _form(cmd, ins, doc, all_words[n_flags:] if cmd in FLAGS else all_words, ""), 0)
    if cmd not in FLAGS:
        n_flags = 0
    args_done = words.done[n_flags:]
    index = len(args_done)
    current = words.current
    rest_typed = _after_words(before, n_flags)
    total_args = all_words[n_flags:]
    form = _form(cmd, ins, doc, total_args, rest_typed)
    sig = sigs[form]
    active = _active(cmd, form, sig, index, current, total_args, rest_typed, doc, ins, before, whole)
    if isinstance(active, SignatureHelp):
        return active
    return SignatureHelp(sigs, form, active)


def _after_words(before: str, n_flags: int) -> str:
    """The text typed after the leading flags (from the first argument on)."""
    text = before.lstrip(" \t")
    for _ in range(n_flags):
        m = re.match(r"(?:\"[^\"]*\"|'[^']*'|\S)+[ \t]*", text)
        if m is None:
            break
        text = text[m.end() :]
    return text


def _form(cmd: str, ins: Instruction, doc: Dockerfile, args: list[str], rest: str) -> int:
    first = args[0] if args else (rest.strip() or "")
    json_like = first.startswith("[")
    if cmd in ("run", "copy", "add", "volume"):
        return 1 if json_like else 0
    if cmd == "cmd":
        if not json_like and args:
            return 2
        stage = doc.stage_of(ins)
        if stage is not None and stage.last("entrypoint") is not None:
            entry = stage.last("entrypoint")
            if entry is not None and entry.span.start < ins.span.start:
                return 1
        return 0
    if cmd == "entrypoint":
        return 1 if args and not json_like else 0
    if cmd in ("env", "label"):
        if len(args) >= 2 and "=" not in args[0]:
            return 1
        return 0
    if cmd == "healthcheck":
        return 1 if args and args[0].upper() == "NONE" else 0
    return 0


def _active(
    cmd: str,
    form: int,
    sig: Signature,
    index: int,
    current: str | None,
    args: list[str],
    rest: str,
    doc: Dockerfile,
    ins: Instruction,
    before: str,
    whole: str,
) -> int | SignatureHelp | None:
    n_params = len(sig.parameters)
    has_options = cmd in FLAGS
    first_arg = 1 if has_options else 0
    if rest.startswith("[") and (cmd in ("run", "copy", "add", "volume", "cmd", "entrypoint", "shell")):
        j = json_index(rest)
        if j is None:
            return None
        if cmd in ("copy", "add"):
            # The last element is the destination; the one being typed is, once a source exists.
            elements = _json_elements(_after_words(whole, 0 if not has_options else _leading_flags(args, whole)))
            return first_arg + (1 if j >= 1 and j >= elements - 1 else 0)
        return min(first_arg + j, n_params - 1)
    if cmd == "from":
        return index + 1 if index <= 2 else None
    if cmd in ("copy", "add"):
        if index >= 1 and index >= len(args) - 1:
            return 2
        return 1
    if cmd in ("run", "cmd", "entrypoint"):
        return n_params - 1 if form in ((0,) if cmd == "run" else (2,) if cmd == "cmd" else (1,)) else first_arg
    if cmd in ("arg", "env", "label"):
        if form == 1:
            return 0 if index == 0 else 1
        return 1 if current is not None and "=" in current else 0
    if cmd == "expose":
        return 1 if current is not None and "/" in current else 0
    if cmd == "user":
        return 1 if current is not None and ":" in current else 0 if index == 0 else None
    if cmd == "healthcheck":
        if form == 1:
            return 0 if index == 0 else None
        return 1 if index == 0 else 2
    if cmd == "onbuild":
        if index == 0:
            return 0
        sub_cmd = split_words(before, doc.escape).done[0].lower()
        if sub_cmd in ("onbuild", "from", "maintainer"):
            return None
        target = ins.sub if ins.sub is not None else ins
        return _help_for(doc, target, sub_cmd, _drop_word(before), _drop_word(whole))
    if cmd in ("volume", "maintainer", "stopsignal", "workdir"):
        return 0 if cmd == "volume" or index == 0 else None
    return 0 if index < n_params else None


def _drop_word(text: str) -> str:
    m = re.match(r"[ \t]*\S+", text)
    return text[m.end() :] if m else ""


def _leading_flags(args: list[str], whole: str) -> int:
    return len(split_words(whole).all()) - len(args)


def _json_elements(rest: str) -> int:
    """How many elements the (possibly open) JSON array at the start of ``rest`` has: the strings
    opened before it closes, or one past the element the text ends in when that is more (closing
    the array ourselves only tells where it ends)."""
    index, strings = json_scan(rest + "]")
    return max(strings, (index or 0) + 1)
