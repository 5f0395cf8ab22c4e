"""Helpers for hadolint's label rules (DL3049-DL3056, DL3058): the user's ``label-schema`` and the
labels a Dockerfile sets. Not a rule module: the leading underscore keeps it out of the registry."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ...engine.model import Dockerfile
from ...engine.parser import Instruction, KeyValue
from ...engine.text import Span
from ..base import RuleContext

# hadolint's label types (``label-schema: {name: type}`` in .hadolint.yaml).
LABEL_TYPES = ("text", "url", "spdx", "rfc3339", "semver", "hash", "email")


def label_schema(ctx: RuleContext) -> dict[str, str]:
    """``label-schema`` from the options: label name to type, unknown types left out."""
    raw = ctx.options.get("label_schema")
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if str(v) in LABEL_TYPES}


def strict_labels(ctx: RuleContext) -> bool:
    return ctx.options.get("strict_labels") is True


@dataclass(frozen=True, slots=True)
class Label:
    instruction: Instruction  # the top-level instruction (the ONBUILD for ``ONBUILD LABEL``)
    pair: KeyValue
    name: str  # unquoted
    value: str  # unquoted

    @property
    def span(self) -> Span:
        end = self.pair.value.span.end if self.pair.value is not None else self.pair.key.span.end
        return Span(self.pair.key.span.start, end)

    @property
    def value_span(self) -> Span:
        return self.pair.value.span if self.pair.value is not None else self.pair.key.span


def unquote(word: str) -> str:
    """A LABEL key or value as the shell lexer reads it: quotes removed, escapes resolved."""
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(word):
        c = word[i]
        if quote == "'":
            if c == "'":
                quote = ""
            else:
                out.append(c)
        elif c == "\\" and i + 1 < len(word) and (quote == "" or word[i + 1] in '"\\$`'):
            out.append(word[i + 1])
            i += 1
        elif c in "'\"" and (quote == "" or quote == c):
            quote = "" if quote else c
        else:
            out.append(c)
        i += 1
    return "".join(out)


def labels(doc: Dockerfile) -> Iterator[Label]:
    """Every label set by ``LABEL`` or ``ONBUILD LABEL``, before the first FROM too (fragments)."""
    for ins in doc.instructions:
        target = ins.sub if ins.sub is not None else ins
        if target.cmd != "label":
            continue
        for kv in target.pairs:
            yield Label(ins, kv, unquote(kv.key.value), unquote(kv.value.value) if kv.value is not None else "")


# Value checks, one per label type ------------------------------------------------------------

# RFC 3986: scheme ":" and then only characters a URI may hold (percent escapes well formed).
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)
# semver.org's regular expression for a version, build metadata included.
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
# RFC 5322 addr-spec: dot-atom or quoted-string local part, dot-atom or domain-literal domain.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_ATOM = rf"{_ATEXT}+(?:\.{_ATEXT}+)*"
_QUOTED = r'"(?:[^"\\\r\n]|\\.)*"'
_EMAIL = re.compile(rf"(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|\[[^\[\]\\\r\n]*\])")


def is_url(value: str) -> bool:
    return _URI.fullmatch(value) is not None


def is_rfc3339(value: str) -> bool:
    m = _RFC3339.fullmatch(value)
    if m is None:
        return False
    y, mo, d, h, mi, s = (int(m.group(k)) for k in range(1, 7))
    try:
        datetime(y, mo, d, h, mi, min(s, 59))  # a leap second (:60) is valid RFC 3339
    except ValueError:
        return False
    off = m.group(8)
    return s <= 60 and (off in "Zz" or (int(off[1:3]) < 24 and int(off[4:6]) < 60))


def is_semver(value: str) -> bool:
    return _SEMVER.fullmatch(value) is not None


def is_git_hash(value: str) -> bool:
    return len(value) in (7, 40) and all(c in "0123456789abcdef" for c in value)


def is_email(value: str) -> bool:
    return len(value) <= 254 and _EMAIL.fullmatch(value) is not None


def is_spdx(value: str) -> bool:
    """An SPDX license identifier from the SPDX license list (one identifier, not an expression),
    as hadolint reads it with Cabal's ``LicenseId`` parser; compared without regard to case, as
    SPDX says. The list is the one ``packaging`` ships for PEP 639."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    if not value or not all(c.isalnum() or c in "-." for c in value) or value.lower().startswith("licenseref-"):
        return False
    try:
        canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        return False
    return True


def bad_values(ctx: RuleContext, label_type: str | None, valid: Callable[[str], bool]) -> Iterator[Label]:
    """Labels named in ``label-schema`` (with type ``label_type``, any type when None) whose
    value ``valid`` rejects. A value holding a variable is left alone: it is only known at build time."""
    schema = label_schema(ctx)
    names = {n for n, t in schema.items() if label_type is None or t == label_type}
    if not names:
        return
    for label in labels(ctx.doc):
        if label.name in names and "$" not in label.value and not valid(label.value):
            yield label
