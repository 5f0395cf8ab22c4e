"""One line per finding: ``text`` (our concise form), ``gnu`` and ``github`` (workflow commands)."""

from __future__ import annotations

from .base import Reporter
from .model import FileResult


class TextReporter(Reporter):
    """``path:line:col level code message``: the default when stdout is not a terminal."""

    name = "text"

    def add(self, result: FileResult) -> None:
        self.out.write(
            "".join(f"{result.path}:{e.line}:{e.column} {e.level} {e.code} {e.message}\n" for e in result.entries)
        )


class GnuReporter(Reporter):
    """The GNU coding standards' ``program:file:line:column: message``, as hadolint's ``gnu``
    (which has no column) with our program name, so Emacs' compilation mode and Vim's errorformat
    jump to the spot."""

    name = "gnu"

    def add(self, result: FileResult) -> None:
        self.out.write(
            "".join(
                f"dockerfile-refactor-ls:{result.path}:{e.line}:{e.column}: {e.code} {e.level}: {e.message}\n"
                for e in result.entries
            )
        )


_GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request's
    diff (``::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``)."""

    name = "github"

    def add(self, result: FileResult) -> None:
        path = _gh_property(result.path)
        out = []
        for e in result.entries:
            props = f"file={path},line={e.line},col={e.column},endLine={e.end_line}"
            if e.end_line == e.line:
                # GitHub ignores endColumn on annotations that span lines.
                props += f",endColumn={e.end_column}"
            props += f",title={_gh_property(f'dockerfile-refactor-ls ({e.code})')}"
            out.append(f"::{_GITHUB_COMMAND[e.level]} {props}::{_gh_data(f'{e.code} {e.message}')}\n")
        if result.error is not None:
            out.append(f"::error file={path},title=dockerfile-refactor-ls::{_gh_data(result.error)}\n")
        self.out.write("".join(out))
