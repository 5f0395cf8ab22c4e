"""User settings that shape diagnostics: editor settings, .hadolint.yaml and in-file suppressions.

Suppressions users already write are honoured:
- ``# hadolint ignore=DL3008,DL3015`` on the line right above an instruction;
- ``# hadolint stage ignore=DL3008`` for the rest of a stage (right above its FROM: all of it);
- ``# hadolint global ignore=DL3008`` anywhere in the file;
  all three with hadolint's grammar: a pragma naming a rule that does not exist is ignored whole;
- BuildKit's ``# check=skip=JSONArgsRecommended,StageNameCasing`` (or ``skip=all``) parser
  directive, its ``error=true`` option (BuildKit check warnings become errors) and its
  ``experimental=`` option, and a ``# check=`` comment directly above one instruction
  (see :mod:`.check_config`);
- ``.hadolint.yaml`` keys ``ignored``, ``override`` (error/warning/info/style lists),
  ``failure-threshold``, ``trustedRegistries``, ``label-schema`` and ``strict-labels`` (read by the
  label rules DL3049-DL3058) and ``disable-ignore-pragma``.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .check_config import document_checks
from .findings import Finding, Severity
from .model import Dockerfile

log = logging.getLogger(__name__)

# hadolint's pragma grammar (Hadolint.Pragma): `hadolint`, optionally `global` or `stage`, then
# `ignore=` and a comma-separated list of rule names; a `#` may start a trailing comment. Keywords
# are lower case, as hadolint requires.
_HADOLINT_PRAGMA = re.compile(
    r"#[ \t]*hadolint[ \t]+(?:(global|stage)[ \t]+)?ignore[ \t]*=[ \t]*"
    r"([A-Za-z0-9]+(?:[ \t]*,[ \t]*[A-Za-z0-9]+)*)[ \t]*(?:#.*)?"
)
# Names hadolint's own grammar accepts (any DL/SC code; its charset is D, L, S, C and digits).
_HADOLINT_NAME = re.compile(r"[DLSC0-9]+")


def parse_ignore_pragma(comment: str, known: frozenset[str] = frozenset()) -> tuple[str, set[str]] | None:
    """``("", codes)``, ``("global", codes)`` or ``("stage", codes)`` for a ``# hadolint ...
    ignore=`` comment, else None. As in hadolint, one name it cannot read rejects the whole
    pragma: names must be hadolint codes (``DL3008``, ``SC2086``) or, beyond hadolint, one of
    ``known`` (the codes of our other rules, e.g. ``JSONArgsRecommended``)."""
    m = _HADOLINT_PRAGMA.fullmatch(comment.rstrip("\r\n"))
    if m is None:
        return None
    codes = {x.strip() for x in m.group(2).split(",")}
    if not all(_HADOLINT_NAME.fullmatch(c) or c in known for c in codes):
        return None
    return m.group(1) or "", codes



@dataclass(slots=True)
class Settings:
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity | None] = field(default_factory=dict)  # None: off
    trusted_registries: tuple[str, ...] = ()
    failure_threshold: Severity | None = None
    shellcheck_enable: bool = False
    shellcheck_path: str | None = None
    # .hadolint.yaml's label-schema (label name -> type) and strict-labels, for DL3049-DL3058.
    label_schema: dict[str, str] = field(default_factory=dict)
    strict_labels: bool = False
    # .hadolint.yaml's disable-ignore-pragma: `# hadolint ignore=` comments are not honoured.
    disable_ignore_pragma: bool = False

    @classmethod
    def from_client(cls, raw: Any, base: Settings | None = None) -> Settings:
        """Settings from the editor (``dockerfileRefactor`` section or initializationOptions)."""
        s = base.copy() if base is not None else cls()
        if not isinstance(raw, dict):
            return s
        rules = raw.get("rules")
        if isinstance(rules, dict):
            ignore = rules.get("ignore")
            if isinstance(ignore, list):
                s.ignore = s.ignore | {str(x) for x in ignore}
            sev = rules.get("severity")
            if isinstance(sev, dict):
                for code, name in sev.items():
                    if isinstance(name, str):
                        s.severity[str(code)] = None if name.lower() in ("off", "ignore", "none") else Severity.parse(name)
        sc = raw.get("shellcheck")
        if isinstance(sc, dict):
            if isinstance(sc.get("enable"), bool):
                s.shellcheck_enable = sc["enable"]
            if isinstance(sc.get("path"), str) and sc["path"]:
                s.shellcheck_path = sc["path"]
        return s

    def copy(self) -> Settings:
        return Settings(
            self.ignore,
            dict(self.severity),
            self.trusted_registries,
            self.failure_threshold,
            self.shellcheck_enable,
            self.shellcheck_path,
            dict(self.label_schema),
            self.strict_labels,
            self.disable_ignore_pragma,
        )

    def with_hadolint_yaml(self, text: str) -> Settings:
        """Merge a ``.hadolint.yaml``; a file that does not parse is ignored (and logged)."""
        data = _load_yaml(text)
        if not isinstance(data, dict):
            return self
        s = self.copy()
        ignored = data.get("ignored")
        if isinstance(ignored, list):
            # Scalars only: str() of a nested list could be exponential (YAML alias bombs).
            s.ignore = s.ignore | {str(x) for x in ignored if _scalar(x)}
        override = data.get("override")
        if isinstance(override, dict):
            for level, codes in override.items():
                sev = Severity.parse(str(level))
                if sev is not None and isinstance(codes, list):
                    for code in codes:
                        if _scalar(code):
                            s.severity.setdefault(str(code), sev)
        regs = data.get("trustedRegistries")
        if isinstance(regs, list):
            s.trusted_registries = tuple(str(r) for r in regs if _scalar(r))
        schema = data.get("label-schema")
        if isinstance(schema, dict):
            s.label_schema = {str(k): str(v) for k, v in schema.items() if _scalar(k) and _scalar(v)}
        if isinstance(data.get("strict-labels"), bool):
            s.strict_labels = data["strict-labels"]
        if isinstance(data.get("disable-ignore-pragma"), bool):
            s.disable_ignore_pragma = data["disable-ignore-pragma"]
        threshold = data.get("failure-threshold")
        if isinstance(threshold, str):
            s.failure_threshold = Severity.parse(threshold)
        return s


def _scalar(x: object) -> bool:
    return isinstance(x, (str, int, float, bool))


@lru_cache(maxsize=16)
def _load_yaml(text: str) -> object:
    """Parse a .hadolint.yaml once per content (it used to be parsed on every keystroke), with
    libyaml's C loader when PyYAML has it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        log.warning("ignoring .hadolint.yaml: %s", exc)
        return None


@dataclass(slots=True)
class Pragmas:
    """The ``# hadolint`` ignore pragmas of a document, with hadolint's reach (Hadolint.Process):
    an inline ignore covers the instruction that starts on the very next line; a stage ignore
    covers the lines after the one below it, up to the next FROM (when it sits right above a
    FROM, that stage); a global ignore covers the file."""

    global_ignore: set[str] = field(default_factory=set)
    inline: dict[int, set[str]] = field(default_factory=dict)  # line -> codes (0-based lines)
    stage_lines: list[int] = field(default_factory=list)  # sorted
    stage_codes: list[set[str]] = field(default_factory=list)

    def ignored(self, line: int) -> set[str]:
        """The codes ignored for an instruction that starts on ``line``."""
        codes = self.inline.get(line, set())
        k = bisect_left(self.stage_lines, line) - 1
        if k >= 0 and self.stage_codes[k]:
            codes = codes | self.stage_codes[k]
        return codes


def _inline_suppressions(doc: Dockerfile, known: frozenset[str], enabled: bool = True) -> Pragmas:
    out = Pragmas()
    comments = doc.parsed.comments
    if not enabled or not comments:
        return out
    text = doc.text
    lines = doc.lines
    stage: dict[int, set[str]] = {}
    for c in comments:
        parsed = parse_ignore_pragma(text[c.start : c.end], known)
        if parsed is None:
            continue
        kind, codes = parsed
        if kind == "global":
            out.global_ignore |= codes
        elif kind == "stage":
            stage[lines.line_of(c.start) + 1] = codes
        else:
            out.inline[lines.line_of(c.start) + 1] = codes
    if stage:
        for ins in doc.instructions:
            if ins.cmd == "from":
                stage.setdefault(lines.line_of(ins.span.start), set())
        out.stage_lines = sorted(stage)
        out.stage_codes = [stage[k] for k in out.stage_lines]
    return out


def apply_settings(
    doc: Dockerfile,
    findings: list[Finding],
    settings: Settings,
    buildkit_codes: frozenset[str],
    experimental_codes: frozenset[str] = frozenset(),
    file_scoped_codes: frozenset[str] = frozenset(),
    twins: dict[str, tuple[str, ...]] | None = None,
    known: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Drop suppressed findings and apply severity overrides.

    BuildKit checks follow BuildKit's ``# check=`` semantics (:mod:`.check_config`): the file's
    directive, a ``# check=`` comment right above the instruction (except for the checks BuildKit
    runs over the whole file, ``file_scoped_codes``), and experimental checks only when enabled
    there or given a severity in the user's settings.

    ``twins`` maps a code to the other codes that report the same thing (``DL3024`` and
    ``DuplicateStageName``): a user may name either wherever rules are named. ``known`` lists the
    rule codes a ``# hadolint ignore=`` pragma may name beyond hadolint's own."""
    twins = twins or {}
    pragmas = _inline_suppressions(doc, known | frozenset(twins), not settings.disable_ignore_pragma)
    global_ignore = pragmas.global_ignore
    per_line = bool(pragmas.inline or pragmas.stage_lines)
    checks = document_checks(doc)
    check_error = checks.file.error
    out: list[Finding] = []
    for f in findings:
        code = f.code
        others = twins.get(code, ())
        names = (code, *others) if others else (code,)
        if any(n in settings.ignore or n in global_ignore for n in names):
            continue
        ins = doc.instruction_at(f.span.start) if (per_line or checks.per_instruction) else None
        buildkit_name = next((n for n in names if n in buildkit_codes), None)
        if buildkit_name is not None:
            config = checks.file if ins is None or buildkit_name in file_scoped_codes else checks.at(ins.span.start)
            experimental = buildkit_name in experimental_codes
            if not config.reports(buildkit_name, experimental) and not (
                experimental and settings.severity.get(buildkit_name)
            ):
                continue
            # ``# check=skip=DL3025`` skips JSONArgsRecommended too: either twin's name works.
            if any(not config.reports(n, False) for n in names if n != buildkit_name):
                continue
        if per_line:
            start = ins.span.start if ins is not None else f.span.start
            ignored = pragmas.ignored(doc.lines.line_of(start))
            if ignored and any(n in ignored for n in names):
                continue
        # Findings may be cached across versions: change copies, never the originals.
        sev_code = next((n for n in names if n in settings.severity), None)
        if sev_code is not None:
            sev = settings.severity[sev_code]
            if sev is None:
                continue
            if sev != f.severity:
                f = replace(f, severity=sev)
        elif check_error and buildkit_name is not None and f.severity == Severity.WARNING:
            f = replace(f, severity=Severity.ERROR)
        out.append(f)
    return out
