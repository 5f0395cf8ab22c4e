"""cacheDependencies: goldens per ecosystem, where it is (not) offered, properties, and the corpus."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.refactors import cache_dependencies as cd
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.cache_dependencies import REFACTORING, find_issues
from dockerfile_refactor_ls.refactors.registry import plan_or_reason, refactoring_named
from dockerfile_refactor_ls.rules.analysis import diagnose

from ..conftest import corpus_files, read_corpus, requires_corpus
from ._golden import assert_line_endings_kept

GOLDEN = Path(__file__).parent / "golden" / "cache_dependencies"
CASES = sorted(p.name.removesuffix(".in.Dockerfile") for p in GOLDEN.glob("*.in.Dockerfile"))


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def plan_result(doc: Dockerfile, span: Span | None = None) -> RefactorResult | None:
    result = plan_or_reason(REFACTORING, doc, span)
    return result if isinstance(result, RefactorResult) else None


def run(text: str, span: Span | None = None) -> str | None:
    result = plan_result(Dockerfile(text), span)
    return None if result is None else apply_edits(text, result.edits)


def buildkit_ok(text: str) -> bool:
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True


def test_registered() -> None:
    ref = refactoring_named("cacheDependencies")
    assert ref is REFACTORING
    assert ref.kind == "refactor.rewrite.cacheDependencies"
    assert ref.title == "Move COPY <manifests> before source"
    assert "## " not in ref.doc and ref.doc.startswith("Move COPY")


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    assert run(text) == read(GOLDEN / f"{case}.out.Dockerfile")


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    doc = Dockerfile(text)
    result = plan_result(doc, None)
    assert result is not None
    out = apply_edits(text, result.edits)
    assert buildkit_ok(out)
    # idempotent: nothing left to offer, and the diagnostic is gone
    assert plan_result(Dockerfile(out), None) is None
    assert find_issues(Dockerfile(out)) == []
    # minimal: no edit rewrites the document, and untouched lines stay untouched
    assert all(e.span != Span(0, len(text)) for e in result.edits)
    assert sum(len(e.span) for e in result.edits) < len(text) // 2
    # nothing lost: every instruction but the split RUN is still there, word for word
    before = Counter(i.original for i in doc.instructions if i.cmd != "run")
    after = Counter(i.original for i in Dockerfile(out).instructions)
    assert not before - after
    # same line endings
    assert_line_endings_kept(text, out)


@pytest.mark.parametrize("case", [c for c in CASES if c not in ("crlf", "backtick")])
def test_crlf_stays_crlf(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile").replace("\n", "\r\n")
    expected = read(GOLDEN / f"{case}.out.Dockerfile").replace("\n", "\r\n")
    assert run(text) == expected


@pytest.mark.parametrize("case", [c for c in CASES if c not in ("crlf", "backtick")])
def test_backtick_escape(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    expected = read(GOLDEN / f"{case}.out.Dockerfile")
    # the same file with ` as its escape character (continuations rewritten) gives the same result
    text = "# escape=`\n" + re.sub(r"\\\n", "`\n", text)
    expected = "# escape=`\n" + re.sub(r"\\\n", "`\n", expected)
    assert run(text) == expected


NODE = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \".\"]\n"


def test_offered_at_the_copy_and_the_install_only() -> None:
    doc = Dockerfile(NODE)
    at = {line: plan_result(doc, Span(doc.lines.line_start(line), doc.lines.line_start(line))) for line in range(5)}
    assert [line for line, r in at.items() if r is not None] == [2, 3]


def test_offered_in_the_stage_of_the_cursor_only() -> None:
    text = read(GOLDEN / "two_stages.in.Dockerfile")
    doc = Dockerfile(text)
    line = doc.lines.line_of(text.index("RUN pip"))
    result = plan_result(doc, Span(doc.lines.line_start(line), doc.lines.line_start(line)))
    assert result is not None
    out = apply_edits(text, result.edits)
    assert "COPY requirements*.txt ./" in out and "COPY package*.json" not in out


@pytest.mark.parametrize(
    "text",
    [
        # already cached properly
        "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n",
        # no install
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \".\"]\n",
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python setup.py build\n",
        # the install needs the source: local packages, editable installs, global tools
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -e .\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install -g .\n",
        # something between the copy and the install may use the source
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chmod +x scripts/postinstall.sh\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCOPY .env.production .env\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN rm -rf node_modules && npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN ./prepare.sh && npm ci\n",
        # `;` after the install: splitting would change what fails the build
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci; npm run build\n",
        # shell syntax we do not split
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN if [ -f yarn.lock ]; then yarn; else npm ci; fi\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nnpm ci\nEOF\n",
        # installs elsewhere than the copied directory
        "FROM node:20\nCOPY . /src\nWORKDIR /app\nRUN npm ci\n",
        "FROM golang:1.22\nCOPY . /src\nWORKDIR /src/cmd/app\nRUN go build .\n",
        # Yarn Berry needs .yarnrc.yml and .yarn/ we cannot see
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
        # GOPATH-era Go, vendored modules
        "FROM golang:1.12\nWORKDIR /go/src/app\nCOPY . .\nRUN go build .\n",
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -mod=vendor .\n",
        # Maven multi-module selections, Gradle sub-projects
        "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn -pl api -am package\n",
        "FROM gradle:8\nWORKDIR /app\nCOPY . .\nRUN gradle :app:build\n",
        # not a whole-source copy
        "FROM node:20\nWORKDIR /app\nCOPY . ./ \nCOPY --from=deps /deps . \n",
        "FROM node:20\nWORKDIR /app\nCOPY src/ .\nRUN npm ci\n",
        # Windows
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\nCOPY . .\nRUN npm ci\n",
        # a trailing continuation would swallow the moved COPY
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci \\",
    ],
)
def test_not_offered(text: str) -> None:
    assert run(text) is None


def test_install_subcommand_of_another_ecosystem_installed_before() -> None:
    text = "FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build .\n"
    assert run(text) is None


def test_run_flags_are_kept_on_both_halves() -> None:
    text = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm --network=default npm ci && npm test\n"
    out = run(text)
    assert out is not None
    assert out.count("RUN --mount=type=cache,target=/root/.npm --network=default ") == 2


def test_shell_state_is_repeated_after_the_split() -> None:
    text = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN export NODE_OPTIONS=--max-old-space-size=4096 && npm ci && npm run build\n"
    out = run(text)
    assert out is not None
    assert out.endswith("COPY . .\nRUN export NODE_OPTIONS=--max-old-space-size=4096 && npm run build\n")


def test_exec_form_install_is_moved_whole() -> None:
    text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN ["npm", "ci"]\nRUN ["npm", "run", "build"]\n'
    assert run(text) == (
        'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN ["npm", "ci"]\nCOPY . .\nRUN ["npm", "run", "build"]\n'
    )


def test_pip_requirements_given_by_absolute_path() -> None:
    text = "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"
    assert run(text) == "FROM python:3.12\nCOPY requirements*.txt /app/\nRUN pip install -r /app/requirements.txt\nCOPY . /app\n"


def test_indentation_is_kept() -> None:
    text = "FROM node:20\n  WORKDIR /app\n  COPY . .\n  RUN npm ci && npm run build\n"
    assert run(text) == "FROM node:20\n  WORKDIR /app\n  COPY package*.json ./\n  RUN npm ci\n  COPY . .\n  RUN npm run build\n"


def _runs_text(doc: Dockerfile) -> str:
    return "\n".join(i.args_text for i in doc.instructions if i.cmd == "run")


@requires_corpus
def test_corpus() -> None:
    offered = 0
    problems: list[str] = []
    start = time.perf_counter()
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        result = plan_result(doc, None)
        if result is None:
            continue
        offered += 1
        out = apply_edits(text, result.edits)
        new = Dockerfile(out)
        if not buildkit_ok(out) and buildkit_ok(text):
            problems.append(f"{path.name}: BuildKit rejects the result")
        if plan_result(new, None) is not None:
            problems.append(f"{path.name}: offered again on its own result")
        before = Counter(i.original for i in doc.instructions if i.cmd != "run")
        if before - Counter(i.original for i in new.instructions):
            problems.append(f"{path.name}: lost {sorted(before - Counter(i.original for i in new.instructions))}")
        runs = _runs_text(new)
        lost = [p.strip() for i in doc.instructions if i.cmd == "run" for p in i.args_text.split("&&")
                if p.strip() not in runs]
        if lost:
            problems.append(f"{path.name}: lost commands {lost}")
    elapsed = time.perf_counter() - start
    print(f"cacheDependencies offered on {offered} of {len(corpus_files())} corpus files in {elapsed:.1f}s")
    assert not problems, "\n".join(problems)
    assert offered >= 10


DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "cache-dependencies.md"
_EXAMPLE = re.compile(r"Before:\n\n```dockerfile\n(.*?)```\n\nAfter:\n\n```dockerfile\n(.*?)```", re.S)


def test_doc_examples_are_what_the_action_does() -> None:
    examples = _EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 5
    for before, after in examples:
        assert run(before) == after


def test_cleanup_after_the_install_stays_in_its_layer() -> None:
    text = (
        "FROM node:18-alpine\nWORKDIR /app\nCOPY . .\n"
        "RUN apk add --no-cache python3 make g++ \\\n && npm ci --omit=dev \\\n && npm cache clean --force\n"
        "CMD [\"node\", \"index.js\"]\n"
    )
    assert run(text) == (
        "FROM node:18-alpine\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN apk add --no-cache python3 make g++ \\\n && npm ci --omit=dev \\\n && npm cache clean --force\n"
        "COPY . .\nCMD [\"node\", \"index.js\"]\n"
    )
    text = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && rm -rf /root/.npm && npm run build\n"
    assert run(text) == (
        "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci && rm -rf /root/.npm\nCOPY . .\nRUN npm run build\n"
    )


# --- why it is not offered, and the diagnostic that agrees --------------------------------------


def reason(text: str, span: Span | None = None) -> str:
    result = plan_or_reason(REFACTORING, Dockerfile(text), span)
    assert isinstance(result, NotApplicable), result
    return result.reason


def _template_re(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+".join(re.escape(p) for p in parts) + r"\Z", re.S)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n", cd.NO_SOURCE_COPY),
        ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm run build\n",
         "no dependency install or build that downloads dependencies runs after COPY . ."),
        ("FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm ci\n",
         "`npm ci` already has its dependencies installed before `COPY . .`"),
        ("FROM node:20\nCOPY . /app\nRUN npm ci\n", "`npm ci` runs in /, outside the folder `COPY . /app` copies to"),
        ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chmod +x ./prepare.sh && ./prepare.sh\nRUN npm ci\n",
         "`npm ci` cannot move before `COPY . .`: a RUN between the source COPY and the install may use the source"),
        ("FROM node:20\nWORKDIR /app\nCOPY . .\nCOPY config.json ./config/\nRUN npm ci\n",
         "`npm ci` cannot move before `COPY . .`: COPY config.json ./config/ between the source COPY and the "
         "install writes into the source folder"),
        ("FROM golang:1.10\nWORKDIR /go/src/app\nCOPY . .\nRUN go build -o /app .\n", "Go 1.10 has no modules"),
        ("FROM golang:1.22\nENV GO111MODULE=off\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
         "GO111MODULE=off: Go modules are off"),
        ("FROM golang:1.12\nWORKDIR /go/src/app\nCOPY go.mod .\nCOPY . .\nRUN go build -o /app .\n",
         "Go 1.12 ignores go.mod under $GOPATH/src unless GO111MODULE=on"),
        ("FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet restore App.sln\n",
         "no dependency install or build that downloads dependencies runs after COPY . ."),
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY . C:/app\nRUN npm ci\n",
         "stage 0 is a Windows image"),
    ],
)
def test_reasons(text: str, expected: str) -> None:
    why = reason(text)
    assert why == expected
    assert any(_template_re(t).match(why) for t in cd.REASONS)


def test_reason_for_a_cursor_elsewhere() -> None:
    text = "FROM node:20 AS web\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM nginx:1.27\nCOPY --from=web /app/dist /srv\n"
    doc = Dockerfile(text)
    last = doc.lines.line_start(5)
    assert reason(text, Span(last, last)) == cd.CURSOR


DOC_TEXT = DOC.read_text(encoding="utf-8").replace("\n  ", " ")


def test_every_reason_is_documented() -> None:
    for template in cd.REASONS:
        assert re.sub(r"\{\w+\}", lambda m: "<" + m.group()[1:-1] + ">", template) in DOC_TEXT, template
    for why in ("a WORKDIR with a variable sits between the source COPY and the install",
                "a RUN between the source COPY and the install may use the source",
                "the install's RUN does something with the source before installing",
                "an exec-form RUN cannot be given extra flags", "the install is followed by `;`, not `&&`",
                "between the source COPY and the install writes into the source folder", "paths with spaces"):
        assert why in DOC_TEXT, why


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chmod +x ./prepare.sh && ./prepare.sh\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nRUN pip install -r requirements.txt\n",
    ],
)
def test_the_diagnostic_offers_the_action_only_where_it_applies(text: str) -> None:
    doc = Dockerfile(text)
    for f in diagnose(doc, Settings()):
        if f.code != "InstallAfterSourceCopy":
            continue
        if f.refactorable:
            assert plan_result(doc, f.span) is not None
        else:
            assert "not moved automatically: " in f.message
            assert plan_result(doc, f.span) is None or "build" in text


@requires_corpus
def test_corpus_diagnostics_and_action_agree() -> None:
    """Every InstallAfterSourceCopy that offers the action gets a result that fixes it; every one
    that does not says why; every reason the action gives is a documented one."""
    patterns = [_template_re(t) for t in cd.REASONS]
    offering = explained = 0
    problems: list[str] = []
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        outcome = plan_or_reason(REFACTORING, doc, None)
        if isinstance(outcome, NotApplicable) and not any(p.match(outcome.reason) for p in patterns):
            problems.append(f"{path.name}: undocumented reason {outcome.reason!r}")
        for f in diagnose(doc, Settings()):
            if f.code != "InstallAfterSourceCopy":
                continue
            if not f.refactorable:
                explained += 1
                if "not moved automatically: " not in f.message:
                    problems.append(f"{path.name}: no fix and no reason at {f.span}")
                continue
            offering += 1
            result = plan_result(doc, f.span)
            if result is None:
                problems.append(f"{path.name}: the diagnostic offers the action, which does not apply")
                continue
            after = Dockerfile(apply_edits(text, result.edits))
            line_text = text[f.span.start : f.span.end]
            still = [g for g in diagnose(after, Settings()) if g.code == "InstallAfterSourceCopy"
                     and after.text[g.span.start : g.span.end] == line_text]
            if len(still) >= sum(1 for g in diagnose(doc, Settings()) if g.code == "InstallAfterSourceCopy"
                                 and text[g.span.start : g.span.end] == line_text):
                problems.append(f"{path.name}: `{line_text}` is still flagged after the action")
    print(f"InstallAfterSourceCopy on the corpus: {offering} offer the action, {explained} say why not")
    assert not problems, "\n".join(problems[:20])
