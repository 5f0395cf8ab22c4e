"""User settings that shape diagnostics: editor settings, .hadolint.yaml and in-file suppressions.

Suppressions users already write are honoured:
- ``# hadolint ignore=DL3008,DL3015`` on the comment line(s) right above an instruction;
- ``# hadolint global ignore=DL3008`` anywhere in the file;
- the ``# check=skip=JSONArgsRecommended,StageNameCasing`` (or ``skip=all``) parser directive,
  and its ``error=true`` option, which makes BuildKit check warnings errors;
- ``.hadolint.yaml`` keys ``ignored``, ``override`` (error/warning/info/style lists),
  ``failure-threshold``, ``trustedRegistries``, ``label-schema`` and ``strict-labels`` (read by the
  label rules DL3049-DL3058) and ``disable-ignore-pragma``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .findings import Finding, Severity
from .model import Dockerfile

log = logging.getLogger(__name__)

_HADOLINT_INLINE = re.compile(r"#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+)", re.IGNORECASE)


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


def _inline_suppressions(doc: Dockerfile) -> tuple[set[str], dict[int, set[str]]]:
    """Global ignores and, per instruction start offset, the codes ignored for it."""
    global_ignore: set[str] = set()
    per_instruction: dict[int, set[str]] = {}
    text = doc.text
    comments = doc.parsed.comments
    if not comments:
        return global_ignore, per_instruction
    pending: set[str] = set()
    ci = 0
    for ins in doc.instructions:
        while ci < len(comments) and comments[ci].start < ins.span.start:
            c = comments[ci]
            m = _HADOLINT_INLINE.match(text, c.start, c.end)
            if m is not None:
                codes = {x.strip() for x in m.group(2).split(",") if x.strip()}
                if m.group(1):
                    global_ignore |= codes
                else:
                    pending |= codes
            ci += 1
        if pending:
            # hadolint applies an ignore comment to the next instruction only.
            per_instruction[ins.span.start] = pending
            pending = set()
    return global_ignore, per_instruction


def _check_directive(doc: Dockerfile) -> tuple[set[str], bool]:
    skip: set[str] = set()
    error = False
    for d in doc.parsed.directives:
        if d.name != "check":
            continue
        for part in d.value.split(";"):
            key, _, value = part.partition("=")
            key = key.strip().lower()
            if key == "skip":
                skip |= {x.strip() for x in value.split(",") if x.strip()}
            elif key == "error":
                error = value.strip().lower() == "true"
    return skip, error


def apply_settings(doc: Dockerfile, findings: list[Finding], settings: Settings, buildkit_codes: frozenset[str]) -> list[Finding]:
    """Drop suppressed findings and apply severity overrides."""
    global_ignore, per_instruction = _inline_suppressions(doc)
    skip, check_error = _check_directive(doc)
    out: list[Finding] = []
    for f in findings:
        code = f.code
        if code in settings.ignore or code in global_ignore:
            continue
        if code in buildkit_codes and ("all" in skip or code in skip):
            continue
        if per_instruction:
            ins = doc.instruction_at(f.span.start)
            if ins is not None and code in per_instruction.get(ins.span.start, ()):
                continue
        # Findings may be cached across versions: change copies, never the originals.
        if code in settings.severity:
            sev = settings.severity[code]
            if sev is None:
                continue
            if sev != f.severity:
                f = replace(f, severity=sev)
        elif check_error and code in buildkit_codes and f.severity == Severity.WARNING:
            f = replace(f, severity=Severity.ERROR)
        out.append(f)
    return out
