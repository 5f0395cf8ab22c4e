"""The exec (JSON) form of a shell-form command, shared by the rules that offer it as a quick fix:
JSONArgsRecommended, DL3025 and ShellRunInScratch (not a rule module: the leading underscore, and
living outside the rule packages, keep it out of the registry)."""

from __future__ import annotations

import json
import re

from ..engine.findings import Edit, Fix
from ..engine.model import Dockerfile, Stage
from ..engine.parser import Instruction
from ..engine.text import Span
from .base import RuleContext
from .chains import StageChains

# Words a shell passes on unchanged: no quotes, variables, globs or operators to interpret.
_PLAIN = re.compile(r"^[A-Za-z0-9_./:@%+=,-]+(?:[ \t]+[A-Za-z0-9_./:@%+=,-]+)*$")


def plain_words(doc: Dockerfile, text: str, span: Span) -> list[str] | None:
    """The words of a shell-form command that the JSON form can hold as they are, or None when a
    shell would change them (or the document's text at ``span`` is not ``text``: a continuation or
    escape inside it, which the edit would not keep)."""
    if not _PLAIN.match(text) or doc.text[span.start : span.end] != text:
        return None
    return text.split()


def exec_form_edit(span: Span, words: list[str]) -> Edit:
    return Edit(span, json.dumps(words))


def exec_form_fixes(ctx: RuleContext, stage: Stage, ins: Instruction, text: str, span: Span) -> list[Fix]:
    """The quick fix writing a CMD/ENTRYPOINT/HEALTHCHECK CMD command in the JSON (exec) form, when
    it is plain words; safe only where the same process starts (``exec_form_keeps_meaning``)."""
    words = plain_words(ctx.doc, text, span)
    if words is None:
        return []
    # Unsafe where the process started changes (a builtin, an assignment, CMD arguments an
    # ENTRYPOINT reads): offered, never applied unattended.
    safe = exec_form_keeps_meaning(ctx.doc, stage, ins, words, ctx.chains())
    return [Fix("Use the JSON (exec) form", [exec_form_edit(span, words)], safe=safe, preferred=True)]


# Shell builtins and keywords: the exec form cannot run them (there is no shell to do it).
_SHELL_ONLY = frozenset(
    ("exec", "cd", "source", ".", "export", "set", "unset", "ulimit", "umask", "eval", "trap", "wait", "command",
     "builtin", "alias", "read", "shift", "test", "[", "[[", "if", "for", "while", "until", "case", "time", "!",
     "{", "(", "true", "false", ":")
)
# Official images without an ENTRYPOINT, or whose entrypoint only runs "$@" (so the shell form's
# `/bin/sh -c "..."` and the exec form start the same program).
_PLAIN_ENTRYPOINT = frozenset(
    ("debian", "ubuntu", "alpine", "busybox", "scratch", "python", "pypy", "golang", "rust", "node", "php", "ruby",
     "perl", "openjdk", "eclipse-temurin", "amazoncorretto", "gcc", "buildpack-deps", "maven", "gradle", "julia",
     "haskell", "erlang", "elixir", "swift", "r-base", "dart")
)


def exec_form_keeps_meaning(
    doc: Dockerfile, stage: Stage, ins: Instruction, words: list[str], chains: StageChains
) -> bool:
    """Whether writing a shell-form CMD/ENTRYPOINT (or HEALTHCHECK CMD) as a JSON array starts the
    same process.

    Not when the first word is a shell builtin or an assignment (``exec``, ``FOO=bar cmd``); not for
    an ENTRYPOINT when the stage sets a CMD (the shell form ignores it, the exec form appends it);
    not for a CMD when an ENTRYPOINT may be in effect that reads its arguments (one of the stage or
    of the stages it builds on, or one of a base image we do not know to run "$@").
    """
    from ..engine.images import root_image

    if not words or words[0] in _SHELL_ONLY or "=" in words[0]:
        return False
    if ins.cmd == "healthcheck":
        return True  # HEALTHCHECK CMD runs on its own: no ENTRYPOINT reads its words
    if ins.cmd == "entrypoint":
        return not any(i.cmd == "cmd" for i in stage.instructions)
    if any(i.cmd == "entrypoint" for i in stage.instructions) or chains.parents_have(stage, "entrypoint"):
        return False
    image = root_image(doc, stage, chains.root(stage))
    return image is not None and (image.text.lower() == "scratch" or (image.official and image.repository in _PLAIN_ENTRYPOINT))
