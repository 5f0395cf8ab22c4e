"""Create .dockerignore: when a COPY/ADD sends the whole build context and no ignore file exists.

``COPY . .`` copies everything ``docker build`` sent: the VCS history, host-built dependencies and
outputs, secrets such as ``.env``, editor folders. Each of them makes the context slower to send,
busts the layer cache on unrelated changes, or leaks into the image. BuildKit reads
``<Dockerfile name>.dockerignore`` first, then ``.dockerignore``, beside the Dockerfile (the build
context, ``Dockerfile.context_dir``); when neither exists this action creates ``.dockerignore``.

Entries are written only for what the context holds (``.git``, ``node_modules``, ``dist/``,
``build/``, ``target/``, ``__pycache__``, ``.venv``/``venv``, ``.env`` and other secret-looking
files, ``.vscode``/``.idea``), plus the Dockerfile itself, and never one that would exclude a path
a COPY/ADD names as its source (checked with the project's .dockerignore matcher): ``COPY dist/
/srv`` keeps ``dist/`` in the context.

The Dockerfile is not edited; the result carries the new file (``RefactorResult.new_files``). The
language server offers it only to clients that can create files (``resourceOperations`` includes
``create``); ``fix --action addDockerignore --write`` writes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..engine.context_copies import (
    HAS_IGNORE,
    NO_CONTEXT,
    NO_WHOLE_COPY,
    VARIABLE_SOURCE,
    WHOLE_CONTEXT,
    context_path,
    context_sources,
    dockerignore_blocker,
    ignore_name,
)
from ..engine.dockerignore import matcher_for
from ..engine.model import Dockerfile
from ..engine.text import Span
from ._context import context_for
from .base import NewFile, NotApplicable, Refactoring, RefactorResult

KIND = "refactor.rewrite.addDockerignore"
TITLE = "Create .dockerignore"

# Why the action is not offered (docs/refactorings/add-dockerignore.md lists them; a test checks).
NO_CLIENT_SUPPORT = 'the editor cannot create files (its workspaceEdit.resourceOperations lack "create")'
REASONS = (NO_CONTEXT, HAS_IGNORE, NO_WHOLE_COPY, VARIABLE_SOURCE, NO_CLIENT_SUPPORT)

_DEPS = "Dependencies and build output, made again inside the image"
_SECRETS = "Secrets: never send them to the builder"


@dataclass(frozen=True, slots=True)
class _Entry:
    pattern: str  # the .dockerignore line
    why: str  # the comment group it is written under


def _holds_scripts(folder: str, limit: int = 50) -> bool:
    """Whether a folder holds scripts (``#!`` or ``<?php`` first): then it is source the app runs, not
    build output. Symfony's ``bin/console``, Rails' ``bin/rails`` and a CLI's ``bin/greet.php`` live in
    ``bin/``, which .NET and Makefiles use for compiled output."""
    try:
        entries = list(os.scandir(folder))[:limit]
    except OSError:
        return False
    for entry in entries:
        if not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as fh:
                head = fh.read(5)
        except OSError:
            continue
        if head.startswith((b"#!", b"<?php")):
            return True
    return False


def _candidates(doc: Dockerfile) -> list[_Entry]:
    ctx = context_for(doc)
    root = ctx.root or ""
    top = set(ctx.top_entries())
    files = ctx.files()  # dot folders and dependency folders are skipped there
    out: list[_Entry] = []

    def present(name: str) -> bool:
        return name in top

    if present(".git"):
        out.append(_Entry(".git", "Version control"))
    for name in (".hg", ".svn"):
        if present(name):
            out.append(_Entry(name, "Version control"))
    if present("node_modules") or present("package.json"):
        # Host-installed modules are platform-specific; the image installs its own.
        out.append(_Entry("node_modules", _DEPS))
    for name in ("dist", "build", "target", "out", "bin", "obj"):
        if name in top and os.path.isdir(os.path.join(root, name)) and not _holds_scripts(os.path.join(root, name)):
            out.append(_Entry(name, _DEPS))
    if present("__pycache__") or any(f.endswith(".py") for f in files):
        out.append(_Entry("**/__pycache__", _DEPS))
        out.append(_Entry("**/*.py[co]", _DEPS))
    for name in (".venv", "venv", ".tox", ".pytest_cache", ".mypy_cache"):
        if present(name):
            out.append(_Entry(name, _DEPS))
    if ".env" in top:
        out.append(_Entry(".env", _SECRETS))
    # Templates (.env.example) are meant to be read; the others hold values.
    if any(n.startswith(".env.") and not n.endswith((".example", ".sample", ".template", ".dist")) for n in top):
        out.append(_Entry(".env.*", _SECRETS))
    for name in sorted(top):
        if name.startswith(("id_rsa", "id_ed25519", "id_ecdsa")):
            out.append(_Entry(name, _SECRETS))
    for suffix in (".pem", ".key", ".p12", ".pfx"):
        if any(f.endswith(suffix) for f in files):
            out.append(_Entry(f"**/*{suffix}", _SECRETS))
    for name in (".vscode", ".idea"):
        if present(name):
            out.append(_Entry(name, "Editors"))
    if present(".DS_Store"):
        out.append(_Entry(".DS_Store", "Editors"))
    name = doc.file_name or "Dockerfile"
    # The Dockerfile is read by the builder on its own; in the context it only busts the cache of
    # COPY . when it changes.
    out.append(_Entry(name, "The build files themselves (BuildKit reads them on its own)"))
    out.append(_Entry(ignore_name(doc.file_name), "The build files themselves (BuildKit reads them on its own)"))
    return out


def _kept(entries: list[_Entry], sources: list[str]) -> list[_Entry]:
    """Drop the entries that would exclude (part of) a path a COPY/ADD names."""
    out: list[_Entry] = []
    for e in entries:
        m = matcher_for(e.pattern + "\n")
        if any(src not in WHOLE_CONTEXT and m.matches_or_parent_matches(src) for src in sources):
            continue
        out.append(e)
    return out


def render(entries: list[_Entry], newline: str = "\n") -> str:
    lines: list[str] = [
        "# Created by dockerfile-refactor-ls: what `docker build` need not send to the builder.",
        "# The files the Dockerfile copies by name are not listed.",
    ]
    group = None
    for e in entries:
        if e.why != group:
            lines.append("")
            lines.append(f"# {e.why}")
            group = e.why
        lines.append(e.pattern)
    return newline.join(lines) + newline


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult:
    blocked = dockerignore_blocker(doc)
    if blocked is not None:
        raise NotApplicable(blocked)
    root = doc.context_dir
    assert root is not None  # dockerignore_blocker checked it
    sources = [context_path(src) for _ins, src in context_sources(doc)]
    entries = _kept(_candidates(doc), sources)
    name = ignore_name(doc.file_name)
    # The new file's line endings follow the Dockerfile's.
    newline = "\r\n" if "\r\n" in doc.text else "\n"
    return RefactorResult(f"Create {name}", [], [NewFile(os.path.join(root, name), render(entries, newline))])


REFACTORING = Refactoring(kind=KIND, title=TITLE, plan=plan, resolves=("MissingDockerignore",))
