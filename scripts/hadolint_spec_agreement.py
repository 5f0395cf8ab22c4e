#!/usr/bin/env python3
"""Run hadolint's own rule specs (``test/Hadolint/Rule/*Spec.hs``) against our rules.

hadolint's specs are Haskell (hspec); this reads the cases they state with the helpers of
``test/Helpers.hs`` and checks our findings the way those helpers do:

- ``ruleCatches CODE text``: at least one CODE finding; ``ruleCatchesNot``: none;
- ``onBuildRuleCatches`` / ``onBuildRuleCatchesNot``: the same text with every RUN wrapped in
  ``ONBUILD``: exactly one finding / none;
- ``assertChecks text (failsWith N CODE)``: exactly N; ``failsShellcheck`` / ``passesShellcheck``:
  some / no ``SC`` finding;

under the spec's ``?config`` (``allowedRegistries``, ``labelSchema``, ``strictLabels``). Nothing of
hadolint is copied into the project: point the script at a hadolint checkout.

    python scripts/hadolint_spec_agreement.py PATH/TO/hadolint [--rule DL3008] [--failures]

Cases the reader cannot evaluate (a computed Dockerfile, a custom assertion) are counted as
"not read" per rule, never as passes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from dockerfile_refactor_ls.engine.findings import Finding, Severity  # noqa: E402
from dockerfile_refactor_ls.engine.model import Dockerfile  # noqa: E402
from dockerfile_refactor_ls.engine.settings import Settings  # noqa: E402
from dockerfile_refactor_ls.rules.analysis import diagnose  # noqa: E402

_LABEL_TYPES = {"RawText": "text", "Url": "url", "Spdx": "spdx", "Rfc3339": "rfc3339", "SemVer": "semver",
                "GitHash": "hash", "Email": "email"}  # fmt: skip
CHECKERS = ("ruleCatches", "ruleCatchesNot", "onBuildRuleCatches", "onBuildRuleCatchesNot")


# -- reading Haskell ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'(?P<str>"(?:[^"\\]|\\.|\\\s*\n\s*\\)*")|(?P<id>[A-Za-z_?][A-Za-z0-9_.\']*)|(?P<num>\d+)|(?P<sym>[\[\](),=$\\{}]|<>|\+\+)',
    re.S,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "&": ""}


def _decode(lit: str) -> str:
    body = lit[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt.isspace():  # a string gap: backslash, white space, backslash
            j = i + 1
            while j < len(body) and body[j].isspace():
                j += 1
            i = j + 1 if j < len(body) and body[j] == "\\" else j
            continue
        m = re.match(r"\d+", body[i + 1 :])
        if m:
            out.append(chr(int(m.group())))
            i += 1 + len(m.group())
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)


def _strip_comments(src: str) -> str:
    src = re.sub(r"\{-.*?-\}", "", src, flags=re.S)
    out = []
    for line in src.split("\n"):
        # `--` starts a comment outside strings
        in_str = False
        k = 0
        while k < len(line):
            ch = line[k]
            if ch == "\\" and in_str:
                k += 2
                continue
            if ch == '"':
                in_str = not in_str
            if not in_str and line.startswith("--", k):
                line = line[:k]
                break
            k += 1
        out.append(line)
    return "\n".join(out)


@dataclass
class Tok:
    kind: str
    value: str
    line: int


def tokens(src: str) -> list[Tok]:
    src = _strip_comments(src)
    out: list[Tok] = []
    for m in _TOKEN.finditer(src):
        kind = m.lastgroup or ""
        value = _decode(m.group()) if kind == "str" else m.group()
        out.append(Tok(kind, value, src.count("\n", 0, m.start()) + 1))
    return out


@dataclass
class Config:
    registries: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    strict: bool = False


@dataclass
class Case:
    rule: str  # the code the assertion is about ("SC" for the ShellCheck helpers)
    kind: str  # a CHECKERS name, "failsWith", "failsShellcheck", "passesShellcheck"
    text: str
    config: Config
    expected: int = 0  # for failsWith
    onbuild: bool = False
    where: str = ""


class Reader:
    def __init__(self, toks: list[Tok], name: str) -> None:
        self.t = toks
        self.name = name
        self.env: dict[str, object] = {}
        self.config = Config()
        self.cases: list[Case] = []
        self.unread: Counter[str] = Counter()

    def _list(self, i: int) -> tuple[list[str] | None, int]:
        """A list of string literals (``[ "a", "b" ]``) at ``i``."""
        if i >= len(self.t) or self.t[i].value != "[":
            return None, i
        items: list[str] = []
        i += 1
        while i < len(self.t) and self.t[i].value != "]":
            tok = self.t[i]
            if tok.kind == "str":
                items.append(tok.value)
            elif tok.value != ",":
                return None, i
            i += 1
        return items, i + 1

    def _text(self, i: int) -> tuple[str | None, int]:
        """A Dockerfile expression at ``i``: a literal, ``Text.unlines xs``, a name, parentheses or ``$``."""
        if i >= len(self.t):
            return None, i
        tok = self.t[i]
        if tok.value == "$":
            return self._text(i + 1)
        if tok.value == "(":
            value, j = self._text(i + 1)
            if j < len(self.t) and self.t[j].value == ")":
                return value, j + 1
            return None, j
        if tok.kind == "str":
            value, j = tok.value, i + 1
            while j + 1 < len(self.t) and self.t[j].value == "<>" and self.t[j + 1].kind == "str":
                value += self.t[j + 1].value
                j += 2
            return value, j
        if tok.value in ("Text.unlines", "unlines"):
            items, j = self._list(i + 1)
            if items is not None:
                return "\n".join(items) + "\n", j
            name = self.t[i + 1].value if i + 1 < len(self.t) else ""
            val = self.env.get(name)
            if isinstance(val, list):
                return "\n".join(val) + "\n", i + 2
            return None, i + 1
        if tok.kind == "id" and isinstance(self.env.get(tok.value), str):
            return str(self.env[tok.value]), i + 1
        return None, i

    def _code(self, i: int) -> tuple[str | None, int]:
        tok = self.t[i]
        if tok.kind == "str":
            return tok.value, i + 1
        val = self.env.get(tok.value)
        return (val, i + 1) if isinstance(val, str) else (None, i + 1)

    def _read_config(self, i: int) -> int:
        """``?config = def { field = value, ... }`` (or just ``def``)."""
        j = i + 2
        cfg = Config()
        if j < len(self.t) and self.t[j].value == "def":
            j += 1
        if j < len(self.t) and self.t[j].value == "{":
            depth = 0
            k = j
            while k < len(self.t):
                v = self.t[k].value
                if v == "{":
                    depth += 1
                elif v == "}":
                    depth -= 1
                    if depth == 0:
                        break
                elif v == "allowedRegistries":
                    items, _ = self._list(k + 2)
                    cfg.registries = tuple(items or ())
                elif v == "strictLabels":
                    cfg.strict = self.t[k + 2].value == "True"
                elif v == "labelSchema":
                    m = k + 1
                    while m < len(self.t) and self.t[m].value not in ("}",) and self.t[m].value != "strictLabels":
                        if self.t[m].kind == "str" and m + 2 < len(self.t):
                            kind = self.t[m + 2].value.split(".")[-1]
                            if kind in _LABEL_TYPES:
                                cfg.labels[self.t[m].value] = _LABEL_TYPES[kind]
                        m += 1
                k += 1
            j = k + 1
        self.config = cfg
        return j

    def _read_bindings(self, i: int) -> int:
        """The bindings of one ``let`` block from ``i`` (``name = <list or text>``, one after the
        other, as in ``let rule = "DL3033"; snippet = Text.unlines [...] in ...``)."""
        t = self.t
        while i + 1 < len(t) and t[i].kind == "id" and t[i + 1].value == "=" and t[i].value != "?config":
            name = t[i].value
            items, j = self._list(i + 2)
            if items is not None:
                self.env[name] = items
                i = j
                continue
            text, j = self._text(i + 2)
            if text is None:
                return i + 1
            self.env[name] = text
            i = j
        return i

    def read(self) -> None:
        t = self.t
        i = 0
        while i < len(t):
            tok = t[i]
            v = tok.value
            if v == "?config" and i + 1 < len(t) and t[i + 1].value == "=":
                i = self._read_config(i)
                continue
            if v == "let" and i + 2 < len(t) and t[i + 1].kind == "id" and t[i + 2].value == "=" and t[i + 1].value != "?config":
                i = self._read_bindings(i + 1)
                continue
            if tok.kind == "id" and v in CHECKERS:
                code, j = self._code(i + 1)
                text, j = self._text(j)
                if code is None or text is None:
                    self.unread[code or "?"] += 1
                else:
                    self.cases.append(Case(code, v, text, self.config, onbuild=v.startswith("onBuild"), where=f"{self.name}:{tok.line}"))
                i = j
                continue
            if v in ("assertChecks", "assertOnBuildChecks"):
                text, j = self._text(i + 1)
                onbuild = v == "assertOnBuildChecks"
                where = f"{self.name}:{tok.line}"
                if text is not None and j < len(t):
                    k = j + 1 if t[j].value in ("(", "$") else j
                    head = t[k].value if k < len(t) else ""
                    if head == "failsWith" and k + 2 < len(t):
                        code, _ = self._code(k + 2)
                        if code is not None:
                            self.cases.append(Case(code, "failsWith", text, self.config, int(t[k + 1].value), onbuild, where))
                            i = k + 3
                            continue
                    if head in ("failsShellcheck", "passesShellcheck"):
                        self.cases.append(Case("SC", head, text, self.config, onbuild=onbuild, where=where))
                        i = k + 1
                        continue
                self.unread[self.name.removesuffix("Spec.hs")] += 1
                i = j
                continue
            i += 1


# -- checking -------------------------------------------------------------------------------------


def _wrap_runs_in_onbuild(text: str) -> str:
    doc = Dockerfile(text)
    out = text
    for ins in reversed(doc.instructions):
        if ins.cmd == "run":
            k = ins.keyword_span.start
            out = out[:k] + "ONBUILD " + out[k:]
    return out


def findings_for(case: Case) -> list[Finding]:
    text = case.text if case.text.endswith("\n") else case.text + "\n"
    if case.onbuild:
        text = _wrap_runs_in_onbuild(text)
    settings = Settings(
        trusted_registries=case.config.registries,
        label_schema=dict(case.config.labels),
        strict_labels=case.config.strict,
        # hadolint's specs see the rules that are off by default in its configuration too.
        severity={"DL3057": Severity.INFORMATION, "DL1001": Severity.INFORMATION},
    )
    return diagnose(Dockerfile(text), settings)


def passes(case: Case) -> tuple[bool, int]:
    found = findings_for(case)
    if case.rule == "SC":
        n = sum(f.code.startswith("SC") for f in found)
    else:
        n = sum(f.code == case.rule or case.rule in f.also for f in found)
    if case.kind == "ruleCatches" or case.kind == "failsShellcheck":
        return n >= 1, n
    if case.kind == "onBuildRuleCatches":
        return n == 1, n
    if case.kind == "failsWith":
        return n == case.expected, n
    return n == 0, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("hadolint", type=Path, help="a hadolint checkout")
    ap.add_argument("--rule", help="only this rule's spec")
    ap.add_argument("--failures", action="store_true", help="print every failing case")
    args = ap.parse_args()
    spec_dir = args.hadolint / "test" / "Hadolint" / "Rule"
    if not spec_dir.is_dir():
        ap.error(f"no {spec_dir}")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unread: Counter[str] = Counter()
    failures: list[tuple[Case, int]] = []
    for spec in sorted(spec_dir.glob("*Spec.hs")):
        rule = spec.name.removesuffix("Spec.hs")
        if args.rule and rule != args.rule:
            continue
        reader = Reader(tokens(spec.read_text()), spec.name)
        reader.read()
        unread.update({rule: sum(reader.unread.values())})
        for case in reader.cases:
            ok, n = passes(case)
            totals[rule][0] += ok
            totals[rule][1] += 1
            if not ok:
                failures.append((case, n))
    passed = sum(p for p, _ in totals.values())
    total = sum(t for _, t in totals.values())
    print(f"{'rule':<12} {'pass':>5} {'cases':>6} {'not read':>9}")
    for rule in sorted(totals):
        p, t = totals[rule]
        print(f"{rule:<12} {p:>5} {t:>6} {unread[rule]:>9}")
    print(f"{'all':<12} {passed:>5} {total:>6} {sum(unread.values()):>9}")
    print(f"rules whose every read case passes: {sum(p == t for p, t in totals.values())}/{len(totals)}")
    if args.failures:
        for case, n in failures:
            print(f"\n{case.where}: {case.kind} {case.rule} (found {n}, expected {case.expected if case.kind == 'failsWith' else ''})")
            print("    " + case.text.rstrip("\n").replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
