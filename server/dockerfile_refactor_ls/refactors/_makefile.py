"""What ``make <target>`` runs, read from the build context's Makefile without running anything.

A Dockerfile that builds with ``RUN make build`` hides its build command in the Makefile: splitStages
needs the command itself (``go build -o bin/server ./cmd/server``) to know what the build produces.
This reads the subset of GNU make that such Makefiles use and returns the target's recipe lines, its
prerequisites' first, with the variables expanded:

- assignments ``=``, ``:=``, ``::=``, ``?=``, ``+=`` (``export``/``override`` before them), with
  ``make``'s precedence: command-line ``VAR=value`` over the Makefile over the environment, except
  that ``?=`` leaves an environment value alone;
- rules ``a b: prerequisites`` with tab-indented recipes (``@``/``-``/``+`` prefixes dropped), the
  default goal (the first target that is not special or a pattern), ``$@``, ``$<``, ``$^``;
- ``$(MAKE) target`` and ``make target`` inside a recipe, followed in the same Makefile.

What it does not evaluate comes back as :data:`UNKNOWN` inside the text, never as a guess:
``$(shell ...)`` and every other function, a variable an ``include``\\ d file or a conditional
block may set. Nothing is executed: running ``make -n`` would run the ``$(shell ...)`` calls of a
file the user only opened. No Python library evaluates GNU Makefiles (the PyPI parsers found are
generators or CMake readers), hence this small reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Stands for a value this reader does not know; ``$`` makes every path resolver treat it as unknown.
UNKNOWN = "${MAKE_UNKNOWN}"
MAKEFILE_NAMES = ("GNUmakefile", "makefile", "Makefile")
# make's own variables that recipes use.
_BUILTIN = {"MAKE": "make", "CC": "cc", "CXX": "g++", "RM": "rm -f", "SHELL": "/bin/sh", "AR": "ar"}
_ASSIGN = re.compile(r"^(?P<mods>(?:(?:export|override|private)\s+)*)(?P<name>[A-Za-z_][\w.-]*)\s*(?P<op>::=|:=|\?=|\+=|!=|=)\s*(?P<value>.*)$")
_RULE = re.compile(r"^(?P<targets>[^:=#\t][^:=#]*?)\s*::?(?![=])\s*(?P<prereqs>[^;=#]*?)\s*(?:;\s*(?P<inline>.*))?$")
_CONDITIONAL_OPEN = re.compile(r"^(ifeq|ifneq|ifdef|ifndef)\b")
_REF = re.compile(r"\$(?:\((?P<p>[^()]*(?:\([^()]*\)[^()]*)*)\)|\{(?P<b>[^{}]*)\}|(?P<c>.))")
_MAX_DEPTH = 8


@dataclass(slots=True)
class Makefile:
    """The assignments and rules of one Makefile, as written."""

    variables: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # name -> (op, value, override)
    appended: dict[str, list[str]] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)
    export_all: bool = False
    uncertain: set[str] = field(default_factory=set)  # set inside a conditional: value not known
    includes: bool = False
    # target as written (``$(BIN)`` expanded when a goal is looked up) -> (prerequisites, recipe lines)
    rules: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    default_goal: str | None = None


@dataclass(slots=True)
class RecipeLine:
    """One recipe line as the shell gets it, and the environment make gives it."""

    text: str
    env: dict[str, str | None]
    target: str


def parse(text: str) -> Makefile:
    """The assignments and rules of a Makefile (GNU make syntax, the subset described above)."""
    mf = Makefile()
    lines = _logical_lines(text)
    depth = 0
    current: list[str] | None = None
    for raw in lines:
        if raw.startswith("\t") and current is not None:
            current.append(raw[1:])
            continue
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if _CONDITIONAL_OPEN.match(line):
            depth += 1
            current = None
            continue
        if line in ("else", "endif") or line.startswith("else "):
            depth = depth - 1 if line == "endif" else depth
            current = None
            continue
        if re.match(r"^-?s?include\s", line):
            mf.includes = True
            current = None
            continue
        if line == "export":
            mf.export_all = True
            continue
        if re.match(r"^(export|unexport)\s+[A-Za-z_][\w.-]*(\s+[A-Za-z_][\w.-]*)*$", line):
            words = line.split()
            if words[0] == "export":
                mf.exported.update(words[1:])
            continue
        m = _ASSIGN.match(line)
        if m is not None and not _looks_like_rule(line, m):
            current = None
            name, op, value = m.group("name"), m.group("op"), m.group("value").strip()
            mods = m.group("mods").split()
            if "export" in mods:
                mf.exported.add(name)
            if depth:
                mf.uncertain.add(name)
                continue
            if op == "!=":
                mf.variables[name] = (":=", UNKNOWN, "override" in mods)  # a shell command's output
            elif op == "+=":
                if name in mf.variables:
                    mf.appended.setdefault(name, []).append(value)
                else:
                    mf.variables[name] = ("=", value, "override" in mods)
            else:
                mf.variables[name] = (op, value, "override" in mods)
            continue
        r = _RULE.match(line)
        if r is None:
            current = None
            continue
        targets = r.group("targets").split()
        prereqs = r.group("prereqs").split("|")[0].split()
        recipe: list[str] = []
        if r.group("inline"):
            recipe.append(r.group("inline"))
        current = recipe if not depth else None
        if depth:
            continue  # a rule inside a conditional: which one make sees is not known
        for t in targets:
            if t == ".EXPORT_ALL_VARIABLES":
                mf.export_all = True
            if "%" in t:
                continue
            old = mf.rules.get(t)
            if old is not None and not recipe:
                old[0].extend(prereqs)  # a recipe-less rule adds prerequisites
                continue
            mf.rules[t] = (list(prereqs), recipe)
            if mf.default_goal is None and not t.startswith("."):
                mf.default_goal = t
    return mf


def _looks_like_rule(line: str, m: re.Match[str]) -> bool:
    """``name: a=b`` is a target-specific assignment, not ``name:`` ``=``; ``x := y`` is an assignment."""
    return m.group("op") == "=" and ":" in line[: m.start("op")] and not line[: m.start("op")].rstrip().endswith(":")


def _logical_lines(text: str) -> list[str]:
    """Lines with backslash-newline joined: a space in assignments, kept for the shell in recipes."""
    out: list[str] = []
    buf = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.endswith("\\") and not line.endswith("\\\\"):
            buf += line[:-1] + " "
            continue
        out.append(buf + line)
        buf = ""
    if buf:
        out.append(buf)
    return out


def _strip_comment(line: str) -> str:
    i = line.find("#")
    while i > 0 and line[i - 1] == "\\":
        i = line.find("#", i + 1)
    return line if i < 0 else line[:i]


class _Expander:
    def __init__(self, mf: Makefile, env: dict[str, str | None], overrides: dict[str, str]) -> None:
        self.mf = mf
        self.env = env
        self.overrides = overrides

    def value(self, name: str, depth: int = 0) -> str:
        if name in self.overrides and not (name in self.mf.variables and self.mf.variables[name][2]):
            return self.overrides[name]
        if name in self.mf.uncertain:
            return UNKNOWN
        if name in self.mf.variables:
            op, raw, _override = self.mf.variables[name]
            if op == "?=" and name in self.env:
                got = self.env[name]
                return UNKNOWN if got is None else got
            parts = [raw, *self.mf.appended.get(name, [])]
            return " ".join(self.expand(p, depth + 1) for p in parts if p)
        if name in self.env:
            got = self.env[name]
            return UNKNOWN if got is None else got
        if name in _BUILTIN:
            return _BUILTIN[name]
        if name in ("CURDIR", "MAKEFILE_LIST", "MAKECMDGOALS", "MAKEFLAGS"):
            return UNKNOWN  # set by make as it runs
        return UNKNOWN if self.mf.includes else ""

    def expand(self, text: str, depth: int = 0, auto: dict[str, str] | None = None) -> str:
        if depth > _MAX_DEPTH or "$" not in text:
            return text if depth <= _MAX_DEPTH else UNKNOWN

        def sub(m: re.Match[str]) -> str:
            c = m.group("c")
            if c is not None:
                if c == "$":
                    return "$"
                if auto is not None and c in auto:
                    return auto[c]
                return self.value(c, depth) if re.fullmatch(r"\w", c) else UNKNOWN
            inner = m.group("p") if m.group("p") is not None else m.group("b")
            if auto is not None and inner in ("@", "<", "^"):
                return auto[inner]
            if re.fullmatch(r"[A-Za-z_][\w.-]*", inner):
                return self.value(inner, depth)
            if inner.startswith("strip "):
                return " ".join(self.expand(inner[6:], depth + 1, auto).split())
            return UNKNOWN  # a function ($(shell ...), $(wildcard ...), $(VAR:a=b)): not evaluated

        return _REF.sub(sub, text)

    def exported_env(self) -> dict[str, str | None]:
        """The environment make gives a recipe: its own, the exported variables, the command line's."""
        env = dict(self.env)
        names = set(self.mf.exported) | set(self.overrides)
        names |= {n for n in self.mf.variables if n in self.env}  # from the environment: stays exported
        if self.mf.export_all:
            names |= set(self.mf.variables)
        # An ``override`` beats the command line: kept in the environment so that a caller sees the
        # Makefile decides the variable (splitStages does not then set CGO_ENABLED on make's command line).
        names |= {n for n, (_op, _v, override) in self.mf.variables.items() if override}
        for n in names:
            v = self.value(n)
            env[n] = None if "${MAKE_UNKNOWN}" in v else v
        return env


def recipe(
    mf: Makefile,
    goals: list[str],
    env: dict[str, str | None],
    overrides: dict[str, str] | None = None,
) -> list[RecipeLine] | None:
    """The recipe lines ``make goals`` runs, in order, prerequisites first; None when a goal is not a
    rule of the Makefile (a pattern rule or an included file would make it)."""
    ex = _Expander(mf, env, dict(overrides or {}))
    run_env = ex.exported_env()
    rules = {ex.expand(t): rule for t, rule in mf.rules.items()}
    default_goal = ex.expand(mf.default_goal) if mf.default_goal else None
    out: list[RecipeLine] = []
    done: set[str] = set()

    def build(target: str, depth: int) -> bool:
        if target in done:
            return True
        rule = rules.get(target)
        if rule is None:
            return depth > 0  # a prerequisite that is a file, not a rule
        done.add(target)
        if depth > _MAX_DEPTH:
            return False
        prereqs, lines = rule
        for p in prereqs:
            if not build(ex.expand(p), depth + 1):
                return False
        auto = {"@": target, "<": prereqs[0] if prereqs else "", "^": " ".join(prereqs)}
        for line in lines:
            text = ex.expand(line.lstrip("@-+ \t"), 0, auto).strip()
            if not text:
                continue
            sub = _sub_make(text, ex)
            if sub is not None:
                if not all(build(g, depth + 1) for g in sub or [default_goal or ""]):
                    return False
                continue
            out.append(RecipeLine(text, run_env, target))
        return True

    goals = goals or ([default_goal] if default_goal else [])
    if not goals or not all(build(g, 0) for g in goals):
        return None
    return out


def _sub_make(text: str, ex: _Expander) -> list[str] | None:
    """The goals of ``make goal`` / ``$(MAKE) goal`` run on the same Makefile (no ``-C``/``-f``);
    None when the line is something else."""
    words = text.split()
    if not words or words[0] not in ("make", "gmake", ex.value("MAKE")):
        return None
    if any(w.startswith(("-C", "-f", "--directory", "--file")) or w in ("&&", ";", "|", "||") for w in words[1:]):
        return None
    return [w for w in words[1:] if not w.startswith("-") and "=" not in w]


def command_line(values: list[str]) -> tuple[list[str], dict[str, str], str | None, str | None] | None:
    """``make``'s arguments as (goals, ``VAR=value`` overrides, ``-C`` directory, ``-f`` file); None
    for options this reader cannot follow (``-e``, ``-I``)."""
    goals: list[str] = []
    overrides: dict[str, str] = {}
    directory: str | None = None
    file: str | None = None
    i = 0
    while i < len(values):
        v = values[i]
        if v in ("-C", "--directory", "-f", "--file", "--makefile") and i + 1 < len(values):
            if v in ("-C", "--directory"):
                directory = values[i + 1]
            else:
                file = values[i + 1]
            i += 2
            continue
        if v.startswith("--directory=") or (v.startswith("-C") and len(v) > 2):
            directory = v.split("=", 1)[1] if v.startswith("--") else v[2:]
        elif v.startswith(("--file=", "--makefile=")) or (v.startswith("-f") and len(v) > 2):
            file = v.split("=", 1)[1] if v.startswith("--") else v[2:]
        elif v in ("-e", "--environment-overrides") or v.startswith(("-I", "--include-dir")):
            return None
        elif v.startswith("-"):
            pass  # -j4, -s, --no-print-directory, -k: no effect on what runs
        elif "=" in v and re.match(r"^[A-Za-z_][\w.-]*\s*:?=", v):
            name, _, value = v.partition("=")
            overrides[name.rstrip(":").strip()] = value
        else:
            goals.append(v)
        i += 1
    return goals, overrides, directory, file
