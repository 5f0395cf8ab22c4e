"""BuildKit's ``# check=`` configuration: the file's directive and the comments above instructions.

What BuildKit's linter does (``frontend/dockerfile/linter``), reproduced so that a check is shown
exactly where ``docker build --check`` reports it:

- The ``# check=skip=A,B;error=true;experimental=C`` parser directive configures the whole file:
  ``skip`` (a list or ``all``) silences checks, ``experimental`` (a list or ``all``) turns on checks
  that are off by default (InvalidDefinitionDescription), ``error=true`` makes every check an error.
- A ``# check=...`` comment in the comment block directly above an instruction applies to that
  instruction alone (BuildKit's ``WithMergedConfigFromComments``). The value ends at the first space,
  so ``# check=skip=all // allowed here`` works; the first ``check`` comment of the block counts; an
  empty ``#`` line ends the block (blank lines do not); ``error=`` is not merged from such comments.
- ``skip`` never silences an experimental check and ``experimental`` is what enables one, as in
  ``Linter.Run``.
- An option BuildKit does not know (``# check=skip=A;foo=1``) makes the directive invalid: BuildKit
  fails the build with "failed to parse check options"; a comment with an invalid value is ignored.

No pygls here; the rule runner's settings step (:mod:`.settings`) applies this to findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Dockerfile

# DirectiveParser's regular expression, applied after the comment marker and leading space.
_DIRECTIVE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_GO_SPACE = " \t\n\v\f\r\x85\xa0"


@dataclass(frozen=True, slots=True)
class CheckConfig:
    skip_all: bool = False
    skip: frozenset[str] = frozenset()
    experimental_all: bool = False
    experimental: frozenset[str] = frozenset()
    error: bool = False

    def reports(self, code: str, experimental: bool) -> bool:
        """Whether BuildKit runs check ``code`` under this configuration."""
        if experimental:
            return self.experimental_all or code in self.experimental
        return not (self.skip_all or code in self.skip)

    def merged(self, other: CheckConfig) -> CheckConfig:
        """``WithMergedConfig``: skip and experimental accumulate; ``error`` is the file's."""
        return CheckConfig(
            self.skip_all or other.skip_all,
            self.skip | other.skip,
            self.experimental_all or other.experimental_all,
            self.experimental | other.experimental,
            self.error,
        )


class CheckOptionError(ValueError):
    pass


def parse_check_options(value: str) -> CheckConfig:
    """``linter.ParseLintOptions``; raises :class:`CheckOptionError` for what BuildKit rejects."""
    value = value.strip(_GO_SPACE)
    if not value:
        return CheckConfig()
    skip_all = experimental_all = error = False
    skip: frozenset[str] = frozenset()
    experimental: frozenset[str] = frozenset()
    for part in value.split(";", 2):
        key, eq, v = part.partition("=")
        if not eq:
            raise CheckOptionError(f'invalid check option "{part}"')
        key = key.strip(_GO_SPACE)
        v = v.strip(_GO_SPACE)
        if key == "skip":
            if v == "all":
                skip_all = True
            else:
                skip = frozenset(x.strip(_GO_SPACE) for x in v.split(","))
        elif key == "experimental":
            if v == "all":
                experimental_all = True
            else:
                experimental = frozenset(x.strip(_GO_SPACE) for x in v.split(","))
        elif key == "error":
            parsed = _parse_bool(v)
            if parsed is None:
                raise CheckOptionError(f'failed to parse check option "{part}": invalid syntax')
            error = parsed
        else:
            raise CheckOptionError(f'invalid check option "{key}"')
    return CheckConfig(skip_all, skip, experimental_all, experimental, error)


def _parse_bool(v: str) -> bool | None:
    """Go's ``strconv.ParseBool``."""
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if v in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return None


@dataclass(slots=True)
class DocumentChecks:
    """The file's configuration and, per instruction start offset, the merged one of the
    instructions that have a ``# check=`` comment above them."""

    file: CheckConfig
    per_instruction: dict[int, CheckConfig] = field(default_factory=dict)
    error: str | None = None  # why the file's directive is invalid

    def at(self, instruction_start: int | None) -> CheckConfig:
        if instruction_start is None:
            return self.file
        return self.per_instruction.get(instruction_start, self.file)


def file_config(doc: Dockerfile) -> tuple[CheckConfig, str | None]:
    for d in doc.parsed.directives:
        if d.name == "check":
            try:
                return parse_check_options(d.value), None
            except CheckOptionError as exc:
                return CheckConfig(), f"failed to parse check options: {exc}"
    return CheckConfig(), None


def comment_blocks(doc: Dockerfile) -> dict[int, list[str]]:
    """BuildKit's ``PrevComment`` of every instruction that has one: the comment lines (text after
    ``#``, trimmed) since the previous instruction, restarted by an empty ``#`` line, without parser
    directives. Keyed by instruction start offset."""
    out: dict[int, list[str]] = {}
    comments = doc.parsed.comments
    if not comments:
        return out
    directive_starts = {d.span.start for d in doc.parsed.directives}
    directive_lines = {doc.lines.line_of(s) for s in directive_starts}
    text = doc.text
    ci = 0
    for ins in doc.instructions:
        block: list[str] = []
        while ci < len(comments) and comments[ci].start < ins.span.start:
            c = comments[ci]
            ci += 1
            body = text[c.start + 1 : c.end].strip(_GO_SPACE)
            if not body:
                block = []
            elif doc.lines.line_of(c.start) in directive_lines:
                continue
            else:
                block.append(body)
        if block:
            out[ins.span.start] = block
    return out


def comment_config(comments: list[str]) -> CheckConfig | None:
    """The configuration of the first ``check`` comment of a block (None when there is none or it
    does not parse, which BuildKit treats alike)."""
    for comment in comments:
        m = _DIRECTIVE.match(comment.lstrip(_GO_SPACE))
        if m is None or m.group(1).lower() != "check":
            continue
        value = m.group(2).split(" ", 1)[0]
        try:
            return parse_check_options(value)
        except CheckOptionError:
            return None
    return None


def document_checks(doc: Dockerfile) -> DocumentChecks:
    base, error = file_config(doc)
    result = DocumentChecks(base, error=error)
    for start, block in comment_blocks(doc).items():
        cfg = comment_config(block)
        if cfg is not None:
            result.per_instruction[start] = base.merged(cfg)
    return result
