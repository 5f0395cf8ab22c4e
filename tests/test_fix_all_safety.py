"""source.fixAll / fix --all / check --fix apply only safe fixes, and safe fixes keep the build's meaning.

A safe fix may change spelling, casing, metadata forms, flags that only quiet output or skip a cache
nothing reads, and make an instruction BuildKit would reject valid. It must not change what a later
stage, a ``COPY --from`` or a ``--mount from=`` reads, which commands run, which files are copied,
or which process the container starts. Checked here on hand-written cases and on the corpus, whose
results must also parse with the BuildKit oracle and keep their stages and instructions.
"""

from __future__ import annotations

import json
from collections import Counter

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import Finding, apply_edits, fix_all_edits
from dockerfile_refactor_ls.engine.images import remove_quotes
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.engine.shell import run_script
from dockerfile_refactor_ls.rules.analysis import diagnose
from dockerfile_refactor_ls.rules.base import RuleContext
from dockerfile_refactor_ls.rules.registry import all_rules

from .conftest import corpus_files, read_corpus, requires_corpus


def _fix_all(text: str) -> str:
    doc = Dockerfile(text)
    edits = fix_all_edits(diagnose(doc, Settings()), doc)
    return apply_edits(text, edits) if edits else text


def _findings(text: str, code: str) -> list[Finding]:
    return [f for f in diagnose(Dockerfile(text), Settings()) if f.code == code]


# --- the fix that broke a build, and its relatives ----------------------------------------------

PIP_CACHE_COPIED = (
    "FROM python:3.12-slim AS wheels\n"
    "RUN pip install --upgrade pip\n"
    "RUN pip download -d /wheels flask && pip install flask\n"
    "FROM python:3.12-slim\n"
    "COPY --from=wheels /root/.cache/pip /root/.cache/pip\n"
    "RUN pip install --no-index flask\n"
)


def test_no_cache_dir_is_not_applied_where_a_later_stage_copies_the_pip_cache() -> None:
    # The fix is offered, but not applied unattended: the later COPY --from would find nothing.
    assert any(f.fixes for f in _findings(PIP_CACHE_COPIED, "DL3042"))
    out = _fix_all(PIP_CACHE_COPIED)
    first_stage = out.split("FROM python:3.12-slim\n")[0]
    assert "--no-cache-dir" not in first_stage
    # Without the reader, the same fix is safe.
    alone = PIP_CACHE_COPIED.split("FROM python:3.12-slim\nCOPY")[0]
    assert "pip install --no-cache-dir --upgrade pip" in _fix_all(alone)


@pytest.mark.parametrize(
    "reader",
    [
        "COPY --from=base / /snapshot\n",
        "COPY --from=0 /root /root\n",
        "RUN --mount=type=bind,from=base,source=/root/.cache,target=/cache ls /cache\n",
    ],
)
def test_any_read_of_the_cache_makes_it_unsafe(reader: str) -> None:
    text = f"FROM python:3.12 AS base\nRUN pip install flask\nFROM python:3.12\n{reader}"
    assert "--no-cache-dir" not in _fix_all(text)


def test_a_numbered_mount_reads_an_image_not_the_stage() -> None:
    # BuildKit resolves --mount from= by stage name only: from=0 is an image called "0", so the pip
    # cache of stage 0 is read by nobody and --no-cache-dir stays safe.
    text = "FROM python:3.12\nRUN pip install flask\nFROM python:3.12\nRUN --mount=from=0,source=/root,target=/r ls /r\n"
    assert "pip install --no-cache-dir flask" in _fix_all(text)


def test_a_stage_built_on_it_that_uses_the_cache_makes_it_unsafe() -> None:
    text = (
        "FROM python:3.12 AS base\nRUN pip install flask\n"
        "FROM base\nRUN pip install --no-index --find-links /root/.cache/pip flask\n"
    )
    assert "--no-cache-dir" not in _fix_all(text).split("FROM base")[0]


def test_yarn_cache_clean_is_not_applied_before_an_offline_install() -> None:
    text = "FROM node:20\nRUN yarn install\nRUN yarn install --offline --production\n"
    assert any(f.fixes for f in _findings(text, "DL3060"))
    first, second = _fix_all(text).splitlines()[1:3]
    assert first == "RUN yarn install"  # the offline install after it reads the cache
    assert second == "RUN yarn install --offline --production && yarn cache clean"  # nothing reads it after
    assert "yarn cache clean" in _fix_all("FROM node:20\nRUN yarn install\n")


def test_apk_no_cache_is_not_applied_where_the_cache_is_copied() -> None:
    text = "FROM alpine:3.20 AS a\nRUN apk add curl\nFROM alpine:3.20\nCOPY --from=a /var/cache/apk /var/cache/apk\n"
    assert "--no-cache" not in _fix_all(text)


def test_wget_progress_only_where_wget_is_gnu() -> None:
    debian = "FROM debian:12\nRUN apt-get update && apt-get install -y wget && wget https://example.com/x\n"
    assert "wget --progress=dot:giga" in _fix_all(debian)
    # An image we cannot tell may have BusyBox's wget, which has no --progress: -q works in both.
    unknown = "FROM myorg/base:1\nRUN wget https://example.com/x\n"
    out = _fix_all(unknown)
    assert "--progress" not in out and "wget -q" in out


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12\nCMD exec python app.py\n",  # exec is a shell builtin
        "FROM python:3.12\nCMD PORT=80 python app.py\n",  # an assignment, not a program
        "FROM python:3.12\nENTRYPOINT python app.py\nCMD --port 80\n",  # the exec form would append CMD
        "FROM python:3.12\nENTRYPOINT [\"python\"]\nCMD app.py\n",  # the shell form's sh -c reaches python
        "FROM postgres:16\nCMD postgres -c max_connections=50\n",  # an entrypoint that reads its arguments
    ],
)
def test_exec_form_is_not_applied_where_it_starts_another_process(text: str) -> None:
    offered = [f for f in diagnose(Dockerfile(text), Settings()) if f.code in ("JSONArgsRecommended", "DL3025")]
    assert any(f.fixes for f in offered)
    out = _fix_all(text)
    assert [i.json for i in Dockerfile(out).instructions if i.cmd in ("cmd", "entrypoint")] == [
        i.json for i in Dockerfile(text).instructions if i.cmd in ("cmd", "entrypoint")
    ]


def test_exec_form_is_applied_where_it_starts_the_same_process() -> None:
    assert _fix_all("FROM python:3.12\nCMD python app.py\n").endswith('CMD ["python", "app.py"]\n')


@pytest.mark.parametrize(
    "text",
    [
        "ARG VERSION=1\nFROM alpine:3.20\nENV APP_VERSION=$VERSION\n",  # UndefinedVar: declaring the ARG gives it a value
        "ARG BASE_IMAGE=alpine:3.20\nFROM $BASE_IMAG\n",  # UndefinedArgInFrom: another variable
        "FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app\n",
    ],
)
def test_fixes_that_change_values_or_sources_are_not_applied(text: str) -> None:
    # Every rule, also those off by default (UndefinedVar is experimental).
    ctx = RuleContext(Dockerfile(text))
    findings = [f for rule in all_rules() for f in rule.check(ctx)]
    assert any(f.fixes and not any(x.safe for x in f.fixes) for f in findings)
    edits = fix_all_edits(findings, ctx.doc)
    out = apply_edits(text, edits) if edits else text
    assert "ARG VERSION\n" not in out and "$BASE_IMAGE" not in out and "--from=builder" not in out


# --- on the corpus: what a safe fix may and may not change ------------------------------------------


def _buildkit(text: str) -> list[dockerfile.Command] | None:
    try:
        return list(dockerfile.parse_string(text))
    except Exception:
        return None


def _commands(doc: Dockerfile) -> list[list[str]]:
    out: list[list[str]] = []
    for ins in doc.instructions:
        if ins.cmd != "run":
            continue
        script = run_script(doc, ins)
        names = sorted({"apt-get" if c.name == "apt" else c.name for c in script.commands}) if script else []
        out.append(names)
    return out


def _shape(doc: Dockerfile) -> dict[str, object]:
    """What a safe fix must keep."""
    stages = [(s.key, (s.image.text.lower() if s.image else None)) for s in doc.stages]
    # MAINTAINER becomes a LABEL, ADD of a local file a COPY: the same effect.
    kinds = Counter({"maintainer": "label", "add": "copy"}.get(i.cmd, i.cmd) for i in doc.instructions)
    copies = [
        (t.flag("from").value.lower() if t.flag("from") is not None and t.flag("from").value else None,  # type: ignore[union-attr]
         [a.value for a in t.args[:-1]])
        for i in doc.instructions
        for t in [i.sub if i.sub is not None else i]
        if t.cmd in ("copy", "add")
    ]
    starts = [
        [a.value for a in i.args] if i.json else i.args_text.split()
        for i in doc.instructions
        if i.cmd in ("cmd", "entrypoint")
    ]
    # Values as BuildKit's lexer reads them (ENV k "v" and ENV k="v" are the same).
    env = [(kv.key.value, remove_quotes(kv.value.value, doc.escape) if kv.value else None)
           for i in doc.instructions if i.cmd in ("env", "arg") for kv in i.pairs]
    return {"stages": stages, "kinds": kinds, "copies": copies, "starts": starts, "env": env}


@requires_corpus
def test_safe_fixes_keep_the_build_on_the_corpus() -> None:
    changed = fixes_applied = 0
    problems: list[str] = []
    by_code: Counter[str] = Counter()
    for path in corpus_files():
        text = read_corpus(path)
        if _buildkit(text) is None:
            continue
        doc = Dockerfile(text)
        findings = diagnose(doc, Settings())
        edits = fix_all_edits(findings, doc)
        if not edits:
            continue
        applied = {id(e) for e in edits}
        for f in findings:
            if any(id(e) in applied for x in f.fixes for e in x.edits):
                by_code[f.code] += 1
        fixes_applied += sum(1 for f in findings if any(id(e) in applied for x in f.fixes for e in x.edits))
        new_text = apply_edits(text, edits)
        changed += 1
        if _buildkit(new_text) is None:
            problems.append(f"{path.name}: BuildKit rejects the result")
            continue
        new = Dockerfile(new_text)
        before, after = _shape(doc), _shape(new)
        removed = sum(1 for f in findings if f.code == "MultipleInstructionsDisallowed"
                      and any(id(e) in applied for x in f.fixes for e in x.edits))
        if removed:  # an overridden CMD/ENTRYPOINT/HEALTHCHECK removed: the last one stays
            before["kinds"] = Counter({k: v for k, v in before["kinds"].items()  # type: ignore[attr-defined]
                                       if k not in ("cmd", "entrypoint", "healthcheck")})
            after["kinds"] = Counter({k: v for k, v in after["kinds"].items()  # type: ignore[attr-defined]
                                      if k not in ("cmd", "entrypoint", "healthcheck")})
            before["starts"] = before["starts"][-1:] if before["starts"] else []  # type: ignore[index]
            after["starts"] = after["starts"][-1:] if after["starts"] else []  # type: ignore[index]
        for key in before:
            if before[key] != after[key]:
                problems.append(f"{path.name}: {key} changed: {json.dumps(before[key], default=str)[:200]} -> "
                                f"{json.dumps(after[key], default=str)[:200]}")
        for old, now in zip(_commands(doc), _commands(new), strict=False):
            if not set(old) <= set(now):
                problems.append(f"{path.name}: a RUN lost commands {sorted(set(old) - set(now))}")
    print(f"fix --all on the corpus: {changed} files changed, {fixes_applied} safe fixes applied: "
          f"{dict(by_code.most_common())}")
    assert not problems, "\n".join(problems[:30])
    assert changed >= 100


def test_every_rule_with_an_unsafe_or_conditional_fix_is_documented() -> None:
    import inspect
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "fixes.md").read_text(encoding="utf-8")
    marks = re.compile(r"safe=(?!True)|drops=|missing_cache_cleanup\(")
    missing = [
        rule.code for rule in all_rules()
        if marks.search(inspect.getsource(inspect.getmodule(rule.check)))  # type: ignore[arg-type]
        and f"[{rule.code}](rules/{rule.code}.md)" not in doc
    ]
    assert not missing


def test_the_sample_app_that_copies_the_pip_cache() -> None:
    """tests/realbuild/apps/python-pip-cache: built for real by make verify-builds (fixAll variant)."""
    from pathlib import Path

    app = Path(__file__).resolve().parent / "realbuild" / "apps" / "python-pip-cache" / "Dockerfile"
    text = app.read_text(encoding="utf-8")
    out = _fix_all(text)
    assert out != text  # something safe applies (FROM ... AS casing)
    # Neither the cache's producer nor the install that uses it gets --no-cache-dir.
    assert [line for line in out.splitlines() if line.startswith("RUN pip")] == ["RUN pip install -r requirements.txt"] * 2
