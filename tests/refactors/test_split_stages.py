"""splitStages: goldens per toolchain and base image, where it is (not) offered, properties, corpus.

Goldens live in ``golden/split_stages/<case>.in.Dockerfile`` / ``<case>.out.Dockerfile`` (bytes,
CRLF kept). ``UPDATE_GOLDEN=1`` rewrites the ``.out`` files from the current implementation;
review the diff before committing.
"""

from __future__ import annotations

import itertools
import os
import posixpath
import re
from collections import Counter
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.images import parse_tag
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.refactors import split_stages
from dockerfile_refactor_ls.refactors.base import RefactorResult
from dockerfile_refactor_ls.refactors.registry import plan as registry_plan
from dockerfile_refactor_ls.refactors.registry import refactoring_named
from dockerfile_refactor_ls.refactors.split_stages import REFACTORING, NotOffered, explain
from dockerfile_refactor_ls.refactors.split_stages import runtimes as rti

from ..conftest import CORPUS_DIR, corpus_files, read_corpus, requires_corpus

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "split_stages"
CASES = sorted(p.name.removesuffix(".in.Dockerfile") for p in GOLDEN.glob("*.in.Dockerfile"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def offered(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    """The action as the editor and the CLI see it: its result, or None when it does not apply."""
    return registry_plan(REFACTORING, doc, span)


def run(text: str, span: Span | None = None, context: Path | None = None) -> str | None:
    doc = Dockerfile(text)
    if context is not None:
        doc.context_dir = str(context)
    result = offered(doc, span)
    return None if result is None else apply_edits(text, result.edits)


def context_of(case: str) -> Path | None:
    """A golden's build context: ``<case>.context/`` beside it, the sources the action reads."""
    path = GOLDEN / f"{case}.context"
    return path if path.is_dir() else None


def golden_doc(case: str) -> Dockerfile:
    doc = Dockerfile(read(GOLDEN / f"{case}.in.Dockerfile"))
    context = context_of(case)
    if context is not None:
        doc.context_dir = str(context)
    return doc


def buildkit_error(text: str) -> str | None:
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return str(exc)
    return None


def keywords(text: str) -> list[str]:
    return [i.keyword for i in Dockerfile(text).instructions]


# --- goldens -------------------------------------------------------------------------------------


def test_there_is_a_golden_per_toolchain() -> None:
    names = " ".join(CASES)
    for needed in (
        "go_static",
        "go_cgo_alpine",
        "go_cgo_debian",
        "node_static",
        "node_server_npm",
        "node_server_yarn",
        "python_pip",
        "python_poetry",
        "java_maven",
        "java_gradle_wrapper",
        "rust_release",
        "go_crlf",
        "go_backtick_escape",
        "conda_env_create",
        "conda_install_base",
        "conda_micromamba",
        "php_cli",
    ):
        assert needed in names


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    source = read(GOLDEN / f"{case}.in.Dockerfile")
    out = run(source, context=context_of(case))
    assert out is not None, explain(golden_doc(case))
    expected_path = GOLDEN / f"{case}.out.Dockerfile"
    if UPDATE:
        expected_path.write_bytes(out.encode("utf-8"))
    assert out == read(expected_path)


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    source = read(GOLDEN / f"{case}.in.Dockerfile")
    doc = golden_doc(case)
    plan = split_stages.analyse(doc)
    edits = plan.edits()
    out = apply_edits(source, edits)
    # BuildKit accepts the result, and it has one stage more.
    assert buildkit_error(out) is None
    after = Dockerfile(out)
    # One stage more, two for a full-stack file (its front end gets a node stage of its own).
    frontend = plan.frontend is not None
    assert len(after.stages) == len(doc.stages) + 1 + frontend
    # The final stage copies from the builder, which is the old last stage (and from the front end).
    final = after.stages[-1]
    sources = {after.stages[-2].index} | ({after.stages[0].index} if frontend else set())
    assert final.copies_from and all(c.stage.index in sources for c in final.copies_from if c.stage)
    # Idempotent: asking again offers nothing.
    assert offered(after, None) is None
    # Minimal, non-overlapping edits; none rewrites the document wholesale.
    spans = sorted((e.span for e in edits), key=lambda s: (s.start, s.end))
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
    assert len(edits) <= 8
    for e in edits:
        assert len(e.span) < len(source) // 2
    # No instruction lost: every original instruction's text is still there (moved ones verbatim),
    # except those the plan says it changed (the FROM that gained AS, rewritten CMDs, dropped ones).
    changed = {id(i) for i in plan.changed}
    for ins in doc.instructions:
        if id(ins) not in changed:
            assert source[ins.span.start : ins.span.end] in out, source[ins.span.start : ins.span.end]
    # Every builder step is still in the builder stage.
    builder_text = out[after.stages[-2].span.start : after.stages[-2].span.end]
    for ins in doc.stages[-1].instructions[: plan.split + 1]:
        if ins.cmd in ("run", "copy", "add") and id(ins) not in changed:
            assert source[ins.span.start : ins.span.end] in builder_text
    # Line endings: a CRLF document stays CRLF, an LF document gets no CR.
    if "\r\n" in source:
        assert out.count("\n") == out.count("\r\n")
    else:
        assert "\r" not in out
    # Keyword casing follows the document.
    if all(k.islower() for k in keywords(source)):
        assert all(k.islower() for k in keywords(out))
    # The runtime image is pinned (a tag, or a distroless Debian release).
    ref = final.image.text if final.image else ""
    assert re.search(r":[\w.-]+$", ref) or re.search(r"-debian1\d$", ref), ref


def test_crlf_output_is_crlf() -> None:
    source = read(GOLDEN / "go_crlf.in.Dockerfile")
    assert "\r\n" in source and "\n" not in source.replace("\r\n", "")
    out = run(source)
    assert out is not None
    assert "\n" not in out.replace("\r\n", "")


def test_backtick_escape_file_keeps_working() -> None:
    source = read(GOLDEN / "go_backtick_escape.in.Dockerfile")
    out = run(source)
    assert out is not None and buildkit_error(out) is None
    assert Dockerfile(out).escape == "`"
    run_ins = next(i for i in Dockerfile(out).instructions if i.cmd == "run")
    assert run_ins.args_text.split() == ["go", "build", "-o", "/out/app", "./cmd/app"]


def test_backtick_escape_in_generated_continuations() -> None:
    # A package install the runtime needs is written over several lines with the file's escape.
    source = (
        "# escape=`\n"
        "FROM golang:1.22-bookworm\n"
        "RUN apt-get update && apt-get install -y tini\n"
        "WORKDIR /src\n"
        "COPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /bin/app .\n"
        'ENTRYPOINT ["tini", "--", "/bin/app"]\n'
    )
    out = run(source)
    assert out is not None and buildkit_error(out) is None
    assert "apt-get update `\n" in out and "\\\n" not in out
    final = Dockerfile(out).stages[-1]
    runs = [i for i in final.instructions if i.cmd == "run"]
    assert (
        len(runs) == 1 and "tini" in runs[0].args_text and "rm -rf /var/lib/apt/lists/*" in runs[0].args_text
    )


# --- what is offered where -------------------------------------------------------------------------

NOT_OFFERED = {
    "unknown toolchain": 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y golang\nRUN go build -o /app .\nCMD ["/app"]\n',
    "already multi-stage runtime": (
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\n"
        'FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD ["/app"]\n'
    ),
    "slim runtime that copies from a builder": (
        "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\n"
        "FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nCOPY package*.json ./\n"
        'RUN npm ci --omit=dev\nCMD ["node", "dist/main.js"]\n'
    ),
    "scratch": 'FROM scratch\nCOPY app /app\nCMD ["/app"]\n',
    "toolchain image without a build": 'FROM openjdk:17\nCOPY target/app.jar app.jar\nENTRYPOINT ["java", "-jar", "app.jar"]\n',
    "go build output unknown": "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build .\n",
    "unpinned cgo builder": 'FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n',
    "production-only node on a slim image": (
        'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "index.js"]\n'
    ),
    "python slim with no cache and no build packages": (
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
        'CMD ["python", "app.py"]\n'
    ),
    "pipenv with its virtualenv in the user's home": 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install pipenv && pipenv install\nCMD ["pipenv", "run", "python", "app.py"]\n',
    "conda env create whose environment file is not in a known context": 'FROM continuumio/miniconda3:24.1.2-0\nWORKDIR /app\nCOPY . .\nRUN conda env create -f environment.yml\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\n',
    "uv sync choosing its own Python": 'FROM python:3.12-slim\nRUN pip install uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --python 3.13\nCMD ["/app/.venv/bin/python", "app.py"]\n',
    "native libraries with unknown runtime packages": (
        "FROM python:3.12\nRUN apt-get update && apt-get install -y libgdal-dev\nWORKDIR /app\nCOPY . .\n"
        'RUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'
    ),
    "jdk version unknown": (
        'FROM maven:latest\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD ["java", "-jar", "target/app.jar"]\n'
    ),
    "java CMD does not run the jar": (
        'FROM maven:3-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD ["./start.sh"]\n'
    ),
    "rust binary name unknown": 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD ["sh"]\n',
    "image from a build argument without a default": (
        'ARG GO\nFROM golang:${GO}\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCMD ["/app"]\n'
    ),
    "windows image": (
        "# escape=`\nFROM golang:1.22-windowsservercore-ltsc2022\nWORKDIR C:\\src\nCOPY . .\n"
        'RUN go build -o C:\\app.exe .\nCMD ["C:\\\\app.exe"]\n'
    ),
    "no CMD to run": "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n",
    "tool missing from the runtime": (
        'FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["supervisord"]\n'
    ),
    "syntax error": "FROM golang:1.22\nWORKDIR /src\nRUN <<EOF\ngo build -o /app .\n",
    "stage built on another stage": (
        'FROM golang:1.22 AS base\nWORKDIR /src\n\nFROM base\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCMD ["/app"]\n'
    ),
    "empty document": "",
    "C++ on the gcc image (its own libstdc++)": 'FROM gcc:13\nWORKDIR /src\nCOPY . .\nRUN g++ -O2 -o app main.cpp\nCMD ["./app"]\n',
    "C linking a library whose package is unknown": 'FROM gcc:12\nWORKDIR /src\nCOPY . .\nRUN gcc -o app main.c -lfrobnicate\nCMD ["./app"]\n',
    "PHP whose composer.json runs scripts at install": "php-scripts",
    "a distribution image without a compiler": 'FROM debian:12\nWORKDIR /src\nCOPY . .\nRUN make\nCMD ["./app"]\n',
}


@pytest.mark.parametrize("name", sorted(NOT_OFFERED))
def test_not_offered(name: str) -> None:
    text = NOT_OFFERED[name]
    if text == "php-scripts":
        text = read(GOLDEN / "php_composer_apache.in.Dockerfile")
    doc = Dockerfile(text)
    if name.startswith("PHP"):
        doc.context_dir = str(GOLDEN / "php_laravel_scripts.context")
    assert offered(doc, None) is None
    assert explain(doc)  # and it can say why


CONDA_REFUSALS = {
    # conda run needs conda, which is the base environment itself: copying it over the image's own
    # /opt/conda would store it twice.
    "conda run of the base environment": (
        'FROM continuumio/miniconda3:24.5.0-0\nWORKDIR /app\nCOPY . .\nRUN conda install -y flask\n'
        'CMD ["conda", "run", "python", "app.py"]\n',
        "stored twice",
    ),
    # A named environment the CMD never reaches: `python` is the base one, which the runtime lacks.
    "named environment not on PATH": (
        'FROM continuumio/miniconda3:24.5.0-0\nWORKDIR /app\nCOPY . .\nRUN conda create -y -n app flask\n'
        'CMD ["python", "app.py"]\n',
        "does not reach /opt/conda/envs/app",
    ),
    "two environments": (
        'FROM continuumio/miniconda3:24.5.0-0\nWORKDIR /app\nRUN conda create -y -n a flask && conda create -y -n b numpy\n'
        'ENV PATH=/opt/conda/envs/a/bin:$PATH\nCMD ["python", "app.py"]\n',
        "more than one conda environment",
    ),
    # micromamba's runtime is its own image: with the cache cleaned and no build packages, nothing is gained.
    "micromamba already cleaned": (
        'FROM mambaorg/micromamba:2.0.5\nCOPY env.yaml /tmp/env.yaml\n'
        'RUN micromamba install -y -n base -f /tmp/env.yaml && micromamba clean --all --yes\nCMD ["python", "-m", "http.server"]\n',
        "nothing to leave behind",
    ),
    "conda-pack already": (
        'FROM continuumio/miniconda3:24.5.0-0\nRUN conda create -y -n app flask conda-pack && conda-pack -n app -o /tmp/env.tar\n'
        'ENV PATH=/opt/conda/envs/app/bin:$PATH\nCMD ["python", "-m", "flask", "run"]\n',
        "conda-pack",
    ),
}


@pytest.mark.parametrize("name", sorted(CONDA_REFUSALS))
def test_conda_refusals_say_why(name: str) -> None:
    text, reason = CONDA_REFUSALS[name]
    doc = Dockerfile(text)
    assert offered(doc, None) is None
    assert reason in (explain(doc) or "")


PDM_HATCH_REFUSALS = {
    # The CMD needs the project manager, which the builder installed into its own Python.
    "pdm run in the CMD": (
        'FROM python:3.12\nRUN pip install pdm\nWORKDIR /app\nCOPY . .\nRUN pdm install --prod\n'
        'CMD ["pdm", "run", "python", "app.py"]\n',
        "the CMD runs pdm",
    ),
    "hatch run keeps its environments in Hatch's data directory": (
        'FROM python:3.12\nRUN pip install hatch\nWORKDIR /app\nCOPY . .\nRUN hatch env create\n'
        'CMD ["python", "app.py"]\n',
        "hatch env uses Hatch's own environments",
    ),
    "pdm into the system interpreter": (
        'FROM python:3.12\nRUN pip install pdm\nWORKDIR /app\nCOPY . .\nRUN pdm install --global -p .\n'
        'CMD ["python", "app.py"]\n',
        "--global/--venv",
    ),
    "pdm configured out of the project": (
        'FROM python:3.12\nRUN pip install pdm\nWORKDIR /app\nCOPY . .\n'
        'RUN pdm config venv.in_project false && pdm install\nCMD ["python", "app.py"]\n',
        "out of <project>/.venv",
    ),
    "pdm use picks another Python": (
        'FROM python:3.12\nRUN pip install pdm\nWORKDIR /app\nCOPY . .\n'
        'RUN pdm use -f /usr/bin/python3 && pdm install\nCMD ["python", "app.py"]\n',
        "pdm use picks the interpreter",
    ),
}


@pytest.mark.parametrize("name", sorted(PDM_HATCH_REFUSALS))
def test_pdm_and_hatch_refusals_say_why(name: str) -> None:
    text, reason = PDM_HATCH_REFUSALS[name]
    doc = Dockerfile(text)
    assert offered(doc, None) is None
    assert reason in (explain(doc) or "")


def test_pdm_uses_the_active_virtualenv() -> None:
    # VIRTUAL_ENV set before `pdm install`: PDM installs there, so the runtime copies that environment.
    text = (
        "FROM python:3.12\nRUN pip install pdm\nRUN python -m venv /opt/venv\n"
        'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"\nWORKDIR /app\nCOPY . .\n'
        'RUN pdm sync --prod\nCMD ["python", "app.py"]\n'
    )
    out = run(text)
    assert out is not None
    runtime = out[out.index("FROM python:3.12-slim") :]
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime and "COPY --from=builder /app /app" in runtime


def test_a_wheel_install_keeps_the_source_tree_when_the_app_reads_files_from_it(tmp_path: Path) -> None:
    # Installed from a wheel, but .env and config.yaml beside the Dockerfile are read from the WORKDIR.
    for name in (".env", ".flaskenv", "config.yaml"):
        ctx = tmp_path / name.strip(".")
        (ctx / "src" / "svc").mkdir(parents=True)
        (ctx / "pyproject.toml").write_text('[project]\nname = "svc"\n')
        (ctx / "src" / "svc" / "__init__.py").write_text("")
        (ctx / name).write_text("DEBUG=0\n")
        text = (
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install build && python -m build --wheel "
            '&& pip install dist/*.whl\nCMD ["python", "-m", "svc"]\n'
        )
        out = run(text, context=ctx)
        assert out is not None
        assert "COPY --from=builder /app /app" in out, name
        # Without the file, only the environment goes over.
        (ctx / name).unlink()
        out = run(text, context=ctx)
        assert out is not None and "COPY --from=builder /app " not in out and "/opt/venv /opt/venv" in out


def test_offered_only_with_the_cursor_in_the_last_stage() -> None:
    source = read(GOLDEN / "multistage_last_stage.in.Dockerfile")
    doc = Dockerfile(source)
    first, last = doc.stages
    inside_first = first.instructions[1].span.start
    assert offered(doc, Span(inside_first, inside_first)) is None
    for offset in (last.from_instruction.span.start, last.instructions[-1].span.end, len(source)):
        assert offered(doc, Span(offset, offset)) is not None
    assert offered(doc, None) is not None  # the CLI: whole file
    assert offered(doc, Span(0, len(source))) is not None  # select all
    # In a single-stage file the cursor may be anywhere, the parser directive line included.
    single = "# syntax=docker/dockerfile:1\n" + read(GOLDEN / "go_crlf.in.Dockerfile").replace("\r\n", "\n")
    assert offered(Dockerfile(single), Span(3, 3)) is not None


def test_builder_name_avoids_taken_names() -> None:
    source = read(GOLDEN / "go_stage_name_taken.in.Dockerfile")
    out = run(source)
    assert out is not None
    names = [s.name for s in Dockerfile(out).stages]
    assert names == ["builder", "build", None]


def test_named_last_stage_keeps_its_name_on_the_runtime() -> None:
    out = run(read(GOLDEN / "multistage_last_stage.in.Dockerfile"))
    assert out is not None
    assert [s.name for s in Dockerfile(out).stages] == ["assets", "builder", "app"]


def test_lowercase_as_follows_lowercase_from() -> None:
    out = run(read(GOLDEN / "python_lowercase.in.Dockerfile"))
    assert out is not None
    assert out.startswith("from python:3.10 as builder\n")


def test_registered_under_its_kind() -> None:
    ref = refactoring_named("splitStages")
    assert ref is not None and ref.kind == "refactor.rewrite.splitStages"
    assert refactoring_named("refactor.rewrite.splitStages") is ref
    assert "builder" in ref.doc


def test_title_names_toolchain_and_runtime() -> None:
    result = offered(Dockerfile(read(GOLDEN / "rust_release.in.Dockerfile")), None)
    assert result is not None
    assert result.title == (
        "Split into builder/runtime stages (Rust: rust:1.79-bookworm ≈ 550 MB → gcr.io/distroless/cc-debian12 ≈ 23 MB)"
    )


def test_explain_raises_nothing_on_odd_input() -> None:
    for text in (
        "FROM",
        "FROM golang:1.22\nRUN",
        "FROM golang:1.22 AS\n",
        "\ufeffFROM golang:1.22\nRUN go build\n",
    ):
        doc = Dockerfile(text)
        assert offered(doc, None) is None
        with pytest.raises(NotOffered):
            split_stages.analyse(doc)


# --- the runtime image table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "version", "alpine", "codename", "slim"),
    [
        ("1.21.5-alpine3.18", (1, 21, 5), "3.18", None, False),
        ("alpine", None, "", None, False),
        ("3.12-slim-bookworm", (3, 12), None, "bookworm", True),
        ("lts-buster-slim", None, None, "buster", True),
        ("", None, None, None, False),
        ("bookworm", None, None, "bookworm", False),
    ],
)
def test_parse_tag(
    tag: str, version: tuple[int, ...] | None, alpine: str | None, codename: str | None, slim: bool
) -> None:
    t = parse_tag(tag)
    assert (t.version, t.alpine, t.codename, t.slim) == (version, alpine, codename, slim)


@pytest.mark.parametrize(
    ("builder", "node", "python"),
    [
        ("18", "node:18-slim", "python:18-slim"),
        ("20-bookworm", "node:20-bookworm-slim", "python:20-slim-bookworm"),
        ("lts", "node:lts-slim", "python:lts-slim"),
        ("", "node:slim", "python:slim"),
        ("latest", "node:slim", "python:slim"),
        ("18-alpine3.18", "node:18-alpine3.18", "python:18-alpine3.18"),
        ("3.11-slim", "node:3.11-slim", "python:3.11-slim"),
    ],
)
def test_interpreter_runtimes_follow_the_builder_tag(builder: str, node: str, python: str) -> None:
    tag = parse_tag(builder)
    n, p = rti.node_runtime(tag), rti.python_runtime(tag)
    assert n is not None and p is not None
    assert (n.ref, p.ref) == (node, python)


@pytest.mark.parametrize(
    ("repository", "tag", "major"),
    [
        ("maven", "3.9.6-eclipse-temurin-17", 17),
        ("maven", "3-openjdk-11-slim", 11),
        ("maven", "3.6.3-jdk-8", 8),
        ("maven", "3-amazoncorretto-21", 21),
        ("maven", "latest", None),
        ("gradle", "8.5-jdk17", 17),
        ("gradle", "jdk21-alpine", 21),
        ("eclipse-temurin", "21-jdk", 21),
        ("openjdk", "8u312-jdk", 8),
        ("openjdk", "17-jdk-slim", 17),
        ("amazoncorretto", "17", 17),
    ],
)
def test_java_major(repository: str, tag: str, major: int | None) -> None:
    assert rti.java_major(repository, tag) == major


@pytest.mark.parametrize(
    ("major", "image"), [(8, "8"), (11, "11"), (16, "17"), (17, "17"), (19, "21"), (25, "25")]
)
def test_java_runtime_is_the_next_lts_jre(major: int, image: str) -> None:
    rt = rti.java_runtime(major, alpine=False)
    assert rt is not None and rt.ref == f"eclipse-temurin:{image}-jre"
    rt = rti.java_runtime(major, alpine=True)
    assert rt is not None and rt.ref == f"eclipse-temurin:{image}-jre-alpine"
    assert rti.java_runtime(26, alpine=False) is None


@pytest.mark.parametrize(
    ("linkage", "tag", "shell", "family", "expected"),
    [
        ("static", "1.22", False, None, "gcr.io/distroless/static-debian12"),
        ("static", "", False, None, "gcr.io/distroless/static-debian13"),
        ("static", "1.22", True, None, "debian:bookworm-slim"),
        ("static", "1.22", True, "apt", "debian:bookworm-slim"),
        ("glibc", "1.20", False, None, "gcr.io/distroless/base-debian12"),
        ("glibc", "1.25", False, None, "gcr.io/distroless/base-debian13"),
        ("glibc", "1.17", False, None, "debian:bullseye-slim"),
        ("glibc", "1.13.15", False, None, "debian:buster-slim"),
        ("glibc", "1.22-bullseye", False, None, "debian:bullseye-slim"),
        ("glibc", "", False, None, None),
        ("glibc", "1.22", True, "apk", None),
        ("musl", "1.21-alpine3.19", False, None, "alpine:3.19"),
        ("static", "alpine", False, None, f"alpine:{rti.DEFAULT_ALPINE}"),
    ],
)
def test_go_runtime(linkage: str, tag: str, shell: bool, family: str | None, expected: str | None) -> None:
    rt = rti.native_runtime(linkage, parse_tag(tag), rti.GO_DEBIAN, shell=shell, family=family)
    assert (rt.ref if rt else None) == expected


def test_rust_glibc_runtime_is_distroless_cc() -> None:
    rt = rti.native_runtime(
        "glibc", parse_tag("1.79"), rti.RUST_DEBIAN, shell=False, family=None, cc=True
    )
    assert rt is not None and rt.ref == "gcr.io/distroless/cc-debian12"
    rt = rti.native_runtime(
        "glibc", parse_tag("1.56.1-slim-bullseye"), rti.RUST_DEBIAN, shell=False, family=None, cc=True
    )
    assert rt is not None and rt.ref == "debian:bullseye-slim"


def test_docs_carry_the_runtime_image_table() -> None:
    doc = (ROOT / "docs" / "refactorings" / "split-stages.md").read_text(encoding="utf-8")
    module_doc = rti.__doc__ or ""
    table = module_doc[
        module_doc.index("| Toolchain (builder)") : module_doc.index("Distroless images carry")
    ]
    for line in table.strip().splitlines():
        assert line.strip() in doc, line


# --- the corpus -----------------------------------------------------------------------------------

# The tagged single-stage files the action is offered on (see docs/refactorings/split-stages.md for
# why the others are not: no build step in the file, an nginx image, nothing to leave behind ...).
EXPECTED_TAGGED_OFFERS = {
    "0001.Dockerfile",
    "0010.Dockerfile",
    "0014.Dockerfile",
    "0015.Dockerfile",
    "0030.Dockerfile",
    "0031.Dockerfile",
    "0211.Dockerfile",
    "0233.Dockerfile",
    "0234.Dockerfile",
    "0776.Dockerfile",
    "0798.Dockerfile",
}


def _tagged() -> dict[str, str]:
    manifest = CORPUS_DIR.parent / "MANIFEST.tsv"
    out: dict[str, str] = {}
    if not manifest.is_file():
        return out
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        m = re.search(r"single-stage-([a-z-]+)", cols[-1])
        if m:
            out[cols[0]] = m.group(1)
    return out


@requires_corpus
def test_corpus() -> None:
    offered_on: list[str] = []
    problems: list[str] = []
    for path in corpus_files():
        text = read_corpus(path)
        result = offered(Dockerfile(text), None)
        if result is None:
            continue
        offered_on.append(path.name)
        out = apply_edits(text, result.edits)
        err = buildkit_error(out)
        if err is not None:
            problems.append(f"{path.name}: BuildKit rejects the output: {err}")
        if offered(Dockerfile(out), None) is not None:
            problems.append(f"{path.name}: offered again on its own output")
    assert not problems, problems
    tagged = _tagged()
    got = {name for name in offered_on if name in tagged}
    per_tag = Counter(tagged[n] for n in got)
    print(
        f"\nsplitStages offered on {len(offered_on)} corpus files; {len(got)}/{len(tagged)} tagged: {dict(per_tag)}"
    )
    if tagged:
        assert got == EXPECTED_TAGGED_OFFERS


def test_docs_examples_match_the_goldens() -> None:
    doc = (ROOT / "docs" / "refactorings" / "split-stages.md").read_text(encoding="utf-8")
    goldens = {read(p).replace("\r\n", "\n").rstrip("\n") for p in GOLDEN.glob("*.Dockerfile")}
    blocks = re.findall(r"```dockerfile\n(.*?)\n```", doc, re.S)
    assert len(blocks) >= 20
    for block in blocks:
        assert block in goldens, block[:200]


@pytest.mark.parametrize("case", CASES)
def test_mutations_never_crash(case: str) -> None:
    """Each golden truncated at every line, with each line deleted or doubled: the action either says
    why it is not offered or produces a Dockerfile BuildKit accepts, on which it is not offered again."""
    lines = read(GOLDEN / f"{case}.in.Dockerfile").splitlines(keepends=True)
    variants = ["".join(lines[:k]) for k in range(len(lines))]
    variants += ["".join(lines[:k] + lines[k + 1 :]) for k in range(len(lines))]
    variants += ["".join(lines[: k + 1] + lines[k:]) for k in range(1, len(lines))]
    for text in variants:
        doc = Dockerfile(text)
        try:
            edits = split_stages.analyse(doc).edits()
        except NotOffered:
            continue
        out = apply_edits(text, edits)
        assert buildkit_error(out) is None, text
        assert offered(Dockerfile(out), None) is None, text


@pytest.mark.parametrize("case", ["go_crlf", "java_gradle_alpine"])
def test_cli_fix_write(case: str, tmp_path: Path) -> None:
    from dockerfile_refactor_ls import cli

    path = tmp_path / "Dockerfile"
    path.write_bytes((GOLDEN / f"{case}.in.Dockerfile").read_bytes())
    assert cli.main(["fix", "--action", "splitStages", "--write", str(path)]) == 0
    assert path.read_bytes() == (GOLDEN / f"{case}.out.Dockerfile").read_bytes()
    # Not offered a second time: the CLI says so and leaves the file alone.
    assert cli.main(["fix", "--action", "splitStages", "--write", str(path)]) == 1
    assert path.read_bytes() == (GOLDEN / f"{case}.out.Dockerfile").read_bytes()


def test_a_node_dev_image_is_not_offered_and_says_why() -> None:
    # package.json's start script runs nodemon: a development image, with nothing to ship.
    text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["npm", "start"]\n'
    doc = Dockerfile(text)
    doc.context_dir = str(GOLDEN / "node_dev_server.context")
    reason = explain(doc)
    assert reason is not None and "dev server (nodemon)" in reason
    for cmd in ('["npm", "run", "dev"]', '["npx", "vite"]', '["npx", "next", "dev"]'):
        assert "development image" in (explain(Dockerfile(text.replace('["npm", "start"]', cmd))) or "")
    dev_env = text.replace("WORKDIR /app\n", "WORKDIR /app\nENV NODE_ENV=development\n")
    assert "NODE_ENV=development" in (explain(Dockerfile(dev_env)) or "")


def test_node_server_runtime_gets_the_build_output_not_the_sources() -> None:
    out = read(GOLDEN / "node_server_dist.out.Dockerfile")
    runtime = out[out.index("FROM node:20-bookworm-slim") :]
    copied = re.findall(r"COPY --from=builder (\S+)", runtime)
    assert copied == [
        "/usr/src/app/package.json",
        "/usr/src/app/node_modules",
        "/usr/src/app/dist",
        "/usr/src/app/views",
    ]


def test_titles_say_what_the_user_gains() -> None:
    cases = {
        "go_cgo_free": "(Go, CGO_ENABLED=0, static: golang:1.22-bookworm ≈ 290 MB → gcr.io/distroless/static-debian12 ≈ 2 MB)",
        "node_static_nginx": f"(Node static site: node:20.11-bookworm ≈ 390 MB → nginx:{rti.NGINX_VERSION} ≈ 70 MB)",
        "python_uv_sync": "(Python: python:3.11-slim → python:3.11-slim without the build tools and caches)",
        "c_cmake_curl": "(C: debian:bookworm ≈ 50 MB + build packages → debian:bookworm-slim ≈ 28 MB)",
    }
    for case, expected in cases.items():
        result = offered(golden_doc(case), None)
        assert result is not None and result.title == f"Split into builder/runtime stages {expected}", case


# --- full stack: a Node front end in a back end's image -----------------------------------------


def _fullstack(text: str) -> str | None:
    return run(text, context=GOLDEN / "fullstack_flask_vite.context")


def test_fullstack_front_end_gets_a_node_stage_of_the_distributions_node() -> None:
    out = _fullstack(read(GOLDEN / "fullstack_flask_vite.in.Dockerfile"))
    assert out is not None
    stages = Dockerfile(out).stages
    assert [s.name for s in stages] == ["frontend", "builder", None]
    assert stages[0].image is not None and stages[0].image.text == "node:18-bookworm"  # bookworm's nodejs
    runtime = out[stages[2].span.start :]
    assert "nodejs" not in out[stages[1].span.start :] and "npm" not in runtime


@pytest.mark.parametrize(
    ("change", "why"),
    [
        # python:3.11 names no Debian release, so the Node version it installs is unknown.
        (("python:3.11-bookworm", "python:3.11"), "untagged release"),
        # The front-end build shares its RUN with other work.
        (("npm run build", "npm run build && python -m compileall ."), "mixed RUN"),
        # Node comes with other packages the back end may need.
        (("nodejs npm", "nodejs npm libpq5"), "Node installed with other packages"),
    ],
)
def test_fullstack_falls_back_to_the_back_ends_own_split(change: tuple[str, str], why: str) -> None:
    text = read(GOLDEN / "fullstack_flask_vite.in.Dockerfile").replace(*change)
    doc = Dockerfile(text)
    doc.context_dir = str(GOLDEN / "fullstack_flask_vite.context")
    plan = split_stages.analyse(doc)
    assert plan.frontend is None, why
    out = _fullstack(text)
    assert out is not None and len(Dockerfile(out).stages) == 2
    # The front end's output is in the WORKDIR the runtime copies whole.
    assert "COPY --from=builder /app /app" in out


# --- Yarn Berry Plug'n'Play ------------------------------------------------------------------------

_PNP = (
    'FROM node:20-bookworm\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\nRUN yarn build\n'
    'CMD ["node", "-r", "./.pnp.cjs", "dist/server.js"]\n'
)


def _pnp_context(tmp_path: Path, yarnrc: str) -> Path:
    (tmp_path / "package.json").write_text('{"packageManager": "yarn@4.5.1", "scripts": {"build": "tsc"}}\n')
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {"outDir": "dist"}}\n')
    (tmp_path / ".yarnrc.yml").write_text(yarnrc)
    return tmp_path


@pytest.mark.parametrize(
    ("yarnrc", "cmd", "reason"),
    [
        ("nodeLinker: pnpm\n", None, "pnpm linker"),
        ("cacheFolder: /cache\n", None, "moves Plug'n'Play's files"),
        ("enableGlobalCache: false\n", '["yarn", "start"]', "set yarnPath"),
    ],
)
def test_pnp_refusals_say_why(tmp_path: Path, yarnrc: str, cmd: str | None, reason: str) -> None:
    text = _PNP if cmd is None else _PNP.replace('["node", "-r", "./.pnp.cjs", "dist/server.js"]', cmd)
    doc = Dockerfile(text)
    doc.context_dir = str(_pnp_context(tmp_path, yarnrc))
    assert offered(doc, None) is None
    assert reason in (explain(doc) or "")


def test_pnp_runtime_never_copies_node_modules(tmp_path: Path) -> None:
    out = run(_PNP, context=_pnp_context(tmp_path, "enableGlobalCache: false\n"))
    assert out is not None
    runtime = out[out.index("FROM node:20-bookworm-slim") :]
    assert "node_modules" not in runtime
    assert "COPY --from=builder /app/.pnp.* /app/" in runtime and "/app/.yarn /app/.yarn" in runtime
    assert "berry/cache" not in runtime  # the cache is in the project


def test_fullstack_go_reading_assets_from_disk_gets_them_in_the_runtime(tmp_path: Path) -> None:
    # Without //go:embed the program serves web/build from disk: the runtime copies it, the builder not.
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package.json").write_text('{"scripts": {"build": "react-scripts build"}}\n')
    (tmp_path / "go.mod").write_text("module example.com/shop\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(
        'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", '
        'http.FileServer(http.Dir("/src/web/build"))) }\n'
    )
    out = run(read(GOLDEN / "fullstack_go_embed.in.Dockerfile"), context=tmp_path)
    assert out is not None
    stages = Dockerfile(out).stages
    builder, runtime = (out[s.span.start : s.span.end] for s in stages[1:])
    assert "--from=frontend" not in builder
    assert "COPY --from=frontend /src/web/build /src/web/build" in runtime


@pytest.mark.parametrize(
    "cmd",
    ["CMD cargo run --release && echo done", "CMD cargo run --release > /tmp/log", 'CMD ["cargo", "run", "--", "$HOME"]'],
)
def test_a_cargo_run_cmd_with_shell_syntax_is_not_rewritten(cmd: str) -> None:
    # The shell form's first command is `cargo run --release`: the operator after it is in the
    # instruction's text, not in its words, and must still refuse the rewrite.
    doc = Dockerfile(f"FROM rust:1.79\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n{cmd}\n")
    assert offered(doc, None) is None
    assert "shell syntax" in (explain(doc) or "")


# --- what the runtime keeps of the packages the build installs -------------------------------------

_PY_NATIVE = 'FROM {image}\nRUN {install} gcc {dev}\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'


@pytest.mark.parametrize(
    ("image", "dev", "runtime_line"),
    [
        # psycopg2 built from source loads libpq at run time; mysqlclient loads MariaDB's client library.
        ("python:3.12", "libpq-dev", "apt-get install -y --no-install-recommends libpq5"),
        ("python:3.12-bookworm", "default-libmysqlclient-dev", "apt-get install -y --no-install-recommends libmariadb3"),
        ("python:3.12-alpine", "postgresql-dev", "RUN apk add --no-cache libpq\n"),
        # Headers of what every Python image has (OpenSSL, libffi, zlib) need nothing in the runtime.
        ("python:3.12", "libssl-dev libffi-dev zlib1g-dev", None),
    ],
)
def test_python_native_extensions_get_the_runtime_libraries_they_link(
    image: str, dev: str, runtime_line: str | None
) -> None:
    install = "apk add --no-cache" if "alpine" in image else "apt-get update && apt-get install -y"
    out = run(_PY_NATIVE.format(image=image, install=install, dev=dev))
    assert out is not None
    runtime = out[out.rindex("\nFROM ") :]
    if runtime_line is None:
        assert "RUN " not in runtime
    else:
        assert runtime_line in runtime
    assert "gcc" not in runtime and "-dev" not in runtime


def test_python_refuses_headers_whose_runtime_library_is_unknown() -> None:
    doc = Dockerfile(_PY_NATIVE.format(image="python:3.12", install="apt-get install -y", dev="libgdal-dev"))
    assert offered(doc, None) is None
    assert "libgdal-dev: the runtime package of its library is not known" in (explain(doc) or "")


def test_python_runtime_libraries_need_a_known_debian_release() -> None:
    doc = Dockerfile(_PY_NATIVE.format(image="python:3.9-buster", install="apt-get install -y", dev="libpq-dev"))
    assert "only known for Debian bullseye, bookworm and trixie" in (explain(doc) or "")


def test_bullseye_gets_its_own_openssl_package() -> None:
    text = _PY_NATIVE.format(
        image="python:3.10-slim-bullseye", install="apt-get install -y", dev="default-libmysqlclient-dev"
    )
    out = run(text)
    assert out is not None and "--no-install-recommends libmariadb3 \\\n" in out
    c = 'FROM gcc:10\nWORKDIR /src\nCOPY . .\nRUN gcc -o app main.c -lssl -lcrypto\nCMD ["./app"]\n'
    out = run(c)
    assert out is not None and "FROM debian:bullseye-slim" in out and "libssl1.1" in out and "libssl3" not in out


@pytest.mark.parametrize(
    ("setup", "kept"),
    [
        # Nothing in the build runs curl: it is there for a healthcheck compose or Kubernetes runs.
        ("RUN apt-get update && apt-get install -y curl", True),
        ("RUN apt-get update && apt-get install -y --no-install-recommends wget ca-certificates", True),
        # The build downloads with it: a fetcher, which stays in the builder.
        ("RUN apt-get update && apt-get install -y curl && curl -fsSLo /tmp/x.tgz https://example.com/x.tgz", False),
        ("RUN apt-get update && apt-get install -y curl\nRUN curl -fsSL https://example.com/setup.sh | sh", False),
    ],
)
def test_a_fetcher_no_run_uses_stays_for_the_container(setup: str, kept: bool) -> None:
    text = f'FROM python:3.12\n{setup}\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'
    out = run(text)
    assert out is not None
    runtime = out[out.rindex("\nFROM ") :]
    tool = "wget" if "wget" in setup else "curl"
    assert (f"--no-install-recommends {tool}" in runtime) is kept
    # What the runtime keeps is no build package: the title does not count it as one.
    result = offered(Dockerfile(text), None)
    assert result is not None and ("build packages" in result.title) is not kept


def test_rails_keeps_nodejs_unless_a_run_uses_it() -> None:
    base = (
        "FROM ruby:3.3-bookworm\nRUN apt-get update && apt-get install -y nodejs libpq-dev\nWORKDIR /app\nCOPY . .\n"
        'RUN bundle install\n{extra}CMD ["rails", "server"]\n'
    )
    # No RUN runs node: ExecJS looks for it when the app boots.
    out = run(base.format(extra=""))
    assert out is not None and "libpq5 nodejs" in out[out.rindex("\nFROM ") :]
    # The assets are precompiled in the build: node has done its work there.
    out = run(base.format(extra="RUN bundle exec rails assets:precompile\n"))
    assert out is not None and "nodejs" not in out[out.rindex("\nFROM ") :]


# --- refusals that say what the user can do --------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "jre"),
    [("openjdk:17", "eclipse-temurin:17-jre"), ("openjdk:17-jdk-alpine", "eclipse-temurin:17-jre-alpine"),
     ("eclipse-temurin:11-jdk", "eclipse-temurin:11-jre")],
)
def test_a_jar_built_outside_docker_is_pointed_at_a_jre(image: str, jre: str) -> None:
    doc = Dockerfile(f'FROM {image}\nCOPY build/libs/*.jar app.jar\nEXPOSE 8080\nENTRYPOINT ["java", "-jar", "app.jar"]\n')
    assert offered(doc, None) is None
    reason = explain(doc) or ""
    assert "built outside Docker" in reason and f"FROM {jre}" in reason


def test_a_jdk_image_that_runs_no_java_gets_no_jre_advice() -> None:
    doc = Dockerfile('FROM openjdk:17\nCOPY tools/ /tools/\nCMD ["/tools/run.sh"]\n')
    assert explain(doc) == "no build step of a known toolchain in the openjdk stage"


def test_a_production_install_on_a_slim_node_names_npms_cache() -> None:
    text = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install --omit=dev\nCMD ["node", "index.js"]\n'
    assert "npm cache clean --force" in (explain(Dockerfile(text)) or "")
    cleaned = text.replace("--omit=dev", "--omit=dev && npm cache clean --force")
    reason = explain(Dockerfile(cleaned)) or ""
    assert reason.startswith("nothing to leave behind") and "npm cache" not in reason


@pytest.mark.parametrize(
    ("builder", "runtime"),
    [("ubuntu:22.04", "ubuntu:22.04"), ("ubuntu:jammy", "ubuntu:jammy"), ("buildpack-deps:noble", "ubuntu:24.04")],
)
def test_c_on_ubuntu_runs_on_the_same_release(builder: str, runtime: str) -> None:
    install = "RUN apt-get update && apt-get install -y build-essential\n" if builder.startswith("ubuntu") else ""
    out = run(f'FROM {builder}\n{install}WORKDIR /src\nCOPY . .\nRUN gcc -O2 -o /usr/local/bin/app main.c\nCMD ["app"]\n')
    assert out is not None and out.endswith(f"FROM {runtime}\nWORKDIR /src\nCOPY --from=builder /usr/local/bin/app /usr/local/bin/app\nCMD [\"app\"]\n")


@pytest.mark.parametrize(
    ("builder", "packages"),
    [
        ("ubuntu:22.04", "libcurl4 libjpeg-turbo8"),
        # Noble has the 64-bit time_t names (libcurl4t64); Ubuntu's -ljpeg is libjpeg-turbo8 on both.
        ("ubuntu:24.04", "libcurl4t64 libjpeg-turbo8"),
        ("ubuntu:noble", "libcurl4t64 libjpeg-turbo8"),
        ("ubuntu:latest", None),  # the next LTS moves it: its names are not known
    ],
)
def test_c_on_ubuntu_gets_the_library_packages_of_its_release(builder: str, packages: str | None) -> None:
    text = (
        f"FROM {builder}\nRUN apt-get update && apt-get install -y build-essential libcurl4-openssl-dev libjpeg-dev\n"
        'WORKDIR /src\nCOPY . .\nRUN gcc -o app main.c -lcurl -ljpeg\nCMD ["./app"]\n'
    )
    doc = Dockerfile(text)
    if packages is None:
        assert offered(doc, None) is None and "Ubuntu 22.04 and 24.04" in (explain(doc) or "")
        return
    out = run(text)
    assert out is not None and buildkit_error(out) is None
    runtime = out[out.rindex("\nFROM ") :]
    assert runtime.startswith(f"\nFROM {builder}\n") and f"--no-install-recommends {packages}" in runtime


@pytest.mark.parametrize(
    ("text", "pin"),
    [
        ('FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n', "CGO_ENABLED=0"),
        ('FROM rust:latest\nWORKDIR /src\nCOPY . .\nRUN cargo build --release --bin web\nCMD ["./target/release/web"]\n', "rust:1.79-bookworm"),
    ],
)
def test_an_unpinned_glibc_builder_is_told_to_pin_its_release(text: str, pin: str) -> None:
    reason = explain(Dockerfile(text)) or ""
    assert "does not say which Debian release it is built on" in reason and pin in reason


def test_node_gyp_python_stays_in_the_builder_unless_the_cmd_runs_it() -> None:
    text = read(GOLDEN / "node_gyp_alpine.in.Dockerfile")
    out = run(text.replace('CMD ["node", "build/index.js"]', 'CMD ["python3", "tools/serve.py"]'))
    assert out is not None and "RUN apk add --no-cache python3\n" in out[out.rindex("\nFROM ") :]
    # Python beside no compiler is not node-gyp's: the runtime keeps it.
    out = run(text.replace("python3 make g++", "python3"))
    assert out is not None and "RUN apk add --no-cache python3\n" in out[out.rindex("\nFROM ") :]


_PHP_INSTALLER = (
    "FROM php:8.3-cli\n{install}\nWORKDIR /app\nCOPY composer.json ./\nRUN composer install --no-dev\nCOPY . .\n"
    'CMD ["php", "bin/worker.php"]\n'
)


@pytest.mark.parametrize(
    ("install", "image"),
    [
        ("RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer", "composer:2"),
        (
            "RUN php -r \"copy('https://getcomposer.org/installer', 'composer-setup.php');\" \\\n"
            "    && php composer-setup.php --version=2.7.7 && php -r \"unlink('composer-setup.php');\" \\\n"
            "    && mv composer.phar /usr/local/bin/composer",
            "composer:2.7.7",
        ),
    ],
)
def test_composer_from_its_installer_gets_a_vendor_stage(install: str, image: str) -> None:
    doc = Dockerfile(_PHP_INSTALLER.format(install=install))
    doc.context_dir = str(GOLDEN / "php_composer_installer.context")
    result = offered(doc, None)
    assert result is not None
    out = apply_edits(doc.text, result.edits)
    assert out.startswith(f"FROM {image} AS vendor\n") and "getcomposer.org" not in out


def test_composer_installer_sharing_its_run_is_refused() -> None:
    install = "RUN apt-get update && apt-get install -y unzip && curl -sS https://getcomposer.org/installer | php"
    doc = Dockerfile(_PHP_INSTALLER.format(install=install))
    doc.context_dir = str(GOLDEN / "php_composer_installer.context")
    assert "nor installed by a RUN of only getcomposer.org's installer" in (explain(doc) or "")


@pytest.mark.parametrize(
    ("code", "copied"),
    [
        ('viper.SetConfigName("settings")', "settings.toml"),
        ("godotenv.Load()", ".env"),
        # godotenv told which file to read names it: that file, not .env.
        ('godotenv.Load("prod.env")', "prod.env"),
    ],
)
def test_go_config_files_read_by_viper_and_godotenv_reach_the_runtime(tmp_path: Path, code: str, copied: str) -> None:
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(f"package main\n\nfunc main() {{ {code} }}\n")
    for name in ("settings.toml", ".env", "prod.env", "notes.txt"):
        (tmp_path / name).write_text("x\n")
    out = run(read(GOLDEN / "go_config_files.in.Dockerfile"), context=tmp_path)
    assert out is not None
    runtime = out[out.rindex("\nFROM ") :]
    copies = re.findall(r"COPY --from=builder \S+ (\S+)", runtime)
    assert copies == ["/app/api", f"/app/{copied}"]


def test_a_user_install_without_a_home_is_refused_with_what_to_do() -> None:
    doc = Dockerfile('FROM python:3.12\nRUN useradd app\nUSER app\nWORKDIR /srv\nRUN pip install flask\nCMD ["flask", "run"]\n')
    assert "create the user with a home (useradd -m) or install into a virtualenv" in (explain(doc) or "")


def test_a_user_install_goes_where_pythonuserbase_says() -> None:
    out = run(
        "FROM python:3.12\nENV PYTHONUSERBASE=/opt/deps PATH=/opt/deps/bin:$PATH\nWORKDIR /app\nCOPY . .\n"
        'RUN pip install --user -r requirements.txt\nCMD ["python", "app.py"]\n'
    )
    assert out is not None and "COPY --from=builder /opt/deps /opt/deps\n" in out and "/opt/venv" not in out


def test_rust_binary_name_from_the_file_a_run_takes_out_of_target() -> None:
    base = 'FROM rust:1.80-bookworm\nWORKDIR /src\nCOPY . .\nRUN cargo build --release && {take}\nCMD ["/usr/local/bin/svc"]\n'
    out = run(base.format(take="strip target/release/svc && cp target/release/svc /usr/local/bin/"))
    assert out is not None and "COPY --from=builder /src/target/release/svc /usr/local/bin/svc\n" in out
    # mv takes it out of target/: the runtime copies it from where it went.
    for take in ("mv target/release/svc /usr/local/bin/", "mv target/release/svc /usr/local/bin/svc"):
        out = run(base.format(take=take))
        assert out is not None and "COPY --from=builder /usr/local/bin/svc /usr/local/bin/svc\n" in out
    # A wildcard names no binary: without a Cargo.toml to read, the name stays unknown.
    doc = Dockerfile(base.format(take="cp target/release/s* /usr/local/bin/").replace('CMD ["/usr/local/bin/svc"]', 'CMD ["sh"]'))
    assert "cannot tell the name of the Rust binary" in (explain(doc) or "")


@pytest.mark.parametrize(
    ("take", "copied"),
    [
        # mv takes the binary away from where go build wrote it.
        ("mv app /usr/local/bin/", "/usr/local/bin/app"),
        ("mv app /usr/local/bin/server", "/usr/local/bin/server"),
        # cp leaves both; the runtime gets the one the CMD runs.
        ("cp app /usr/local/bin/", "/usr/local/bin/app"),
    ],
)
def test_a_binary_moved_or_copied_onto_path_is_taken_from_there(take: str, copied: str) -> None:
    name = posixpath.basename(copied)
    out = run(
        f'FROM golang:1.22-bookworm\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app . && {take}\nCMD ["{name}"]\n'
    )
    assert out is not None and f"COPY --from=builder {copied} {copied}\n" in out


def test_a_copy_the_cmd_does_not_run_leaves_the_artifact_where_it_was_built() -> None:
    out = run('FROM golang:1.22-bookworm\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app . && cp app /tmp/\nCMD ["./app"]\n')
    assert out is not None and "COPY --from=builder /src/app /src/app\n" in out


@pytest.mark.parametrize("run_line", ["RUN make build", "RUN ./scripts/build.sh", "RUN sh build.sh"])
def test_a_build_through_make_or_a_script_asks_for_the_build_command(run_line: str) -> None:
    reason = explain(Dockerfile(f'FROM golang:1.22\nWORKDIR /src\nCOPY . .\n{run_line}\nCMD ["./bin/server"]\n')) or ""
    # make's recipe and the script are read from the build context, which this document has not.
    says = "without the build context its Makefile cannot be read" if "make" in run_line else "without the build context the script cannot be read"
    assert says in reason and "go build -o" in reason


def test_a_variable_the_script_assigns_is_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / "build.sh").write_text('#!/bin/sh\nOUT=bin/server\ngo build -o "$OUT" .\n')
    doc = Dockerfile('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN ./build.sh\nCMD ["./bin/server"]\n')
    doc.context_dir = str(tmp_path)
    assert "cannot tell where `go build` writes the binary" in (explain(doc) or "")


def test_a_script_that_sets_cgo_itself_is_not_given_cgo_off(tmp_path: Path) -> None:
    (tmp_path / "main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe }\n')
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n")
    (tmp_path / "build.sh").write_text("#!/bin/sh\nset -e\nCGO_ENABLED=1\ngo build -o bin/server .\n")
    out = run('FROM golang:1.22-bookworm\nWORKDIR /src\nCOPY . .\nRUN ./build.sh\nCMD ["./bin/server"]\n', context=tmp_path)
    assert out is not None and "RUN ./build.sh\n" in out and "CGO_ENABLED=0" not in out and "distroless/base" in out


@pytest.mark.parametrize(
    ("files", "run_line", "says"),
    [
        ({"Makefile": "build:\n\tgo test ./...\n"}, "RUN make build", "`make build` runs no `go build`"),
        ({"Makefile": "build:\n\tgo build -o bin/server .\n"}, "RUN make release", "the Makefile rule that `make release` runs"),
        ({}, "RUN make build", "reads Makefile, which is not in the build context"),
        ({"Makefile": "build:\n\tgo build -o bin/server .\n"}, "RUN make -C /elsewhere", "runs in /elsewhere that no COPY"),
        ({"build.sh": "#!/bin/sh\nset -eu\nif [ -n \"$DEBUG\" ]; then go build -o bin/dbg .; fi\ngo build -o bin/server .\n"},
         "RUN ./build.sh", "whose commands depend on conditions or loops"),
        ({"build.sh": "#!/bin/sh\ngo vet ./...\n"}, "RUN sh build.sh", "`sh build.sh` runs no `go build`"),
        ({}, "RUN ./build.sh", "runs a script that no COPY from the build context brings"),
    ],
)
def test_a_make_or_script_build_it_cannot_follow_says_why(tmp_path: Path, files: dict[str, str], run_line: str, says: str) -> None:
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    doc = Dockerfile(f'FROM golang:1.22\nWORKDIR /src\nCOPY . .\n{run_line}\nCMD ["./bin/server"]\n')
    doc.context_dir = str(tmp_path)
    reason = explain(doc) or ""
    assert says in reason, reason


def test_a_make_build_gets_cgo_off_on_makes_command_line_unless_the_makefile_decides(tmp_path: Path) -> None:
    (tmp_path / "main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe }\n')
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n")
    text = 'FROM golang:1.22-bookworm\nWORKDIR /src\nCOPY . .\nRUN make build && echo done\nCMD ["./bin/server"]\n'
    (tmp_path / "Makefile").write_text("build:\n\tgo build -o bin/server .\n")
    out = run(text, context=tmp_path)
    assert out is not None and "RUN make build CGO_ENABLED=0 && echo done\n" in out
    assert "distroless/static" in out
    # The Makefile sets cgo itself (override beats the command line): the build is left alone and
    # the runtime has glibc.
    decided = tmp_path / "decided"  # another folder: a context is reused for a few seconds
    decided.mkdir()
    for name in ("main.go", "go.mod"):
        (decided / name).write_text((tmp_path / name).read_text())
    (decided / "Makefile").write_text("override CGO_ENABLED = 1\nexport CGO_ENABLED\nbuild:\n\tgo build -o bin/server .\n")
    out = run(text, context=decided)
    assert out is not None and "RUN make build && echo done\n" in out and "distroless/base" in out


def test_a_script_copied_onto_path_before_the_build_is_copied_alone() -> None:
    text = (
        "FROM golang:1.22-bookworm\nCOPY entrypoint.sh /usr/local/bin/\nWORKDIR /src\nCOPY . .\n"
        'RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc .\nENTRYPOINT ["entrypoint.sh"]\nCMD ["svc"]\n'
    )
    out = run(text)
    assert out is not None
    runtime = out[out.rindex("\nFROM ") :]
    assert "COPY --from=builder /usr/local/bin/entrypoint.sh /usr/local/bin/entrypoint.sh\n" in runtime
    assert "COPY --from=builder /usr/local/bin /usr/local/bin\n" not in runtime
    # The script needs a shell: a Debian slim runtime, not distroless.
    assert runtime.startswith("\nFROM debian:bookworm-slim\n")


@pytest.mark.parametrize(
    ("builder", "install", "runtime_has"),
    [
        # Without the sources, make may build C++: a runtime with libstdc++ (distroless cc, not base).
        ("debian:bookworm", "RUN apt-get update && apt-get install -y build-essential\n", "FROM gcr.io/distroless/cc-debian12\n"),
        ("alpine:3.20", "RUN apk add --no-cache build-base\n", "RUN apk add --no-cache libstdc++\n"),
    ],
)
def test_make_without_a_context_keeps_libstdcxx(builder: str, install: str, runtime_has: str) -> None:
    out = run(f'FROM {builder}\n{install}WORKDIR /src\nCOPY . .\nRUN make\nCMD ["./app"]\n')
    assert out is not None and runtime_has in out


def test_make_on_the_gcc_image_without_a_context_is_refused() -> None:
    doc = Dockerfile('FROM gcc:13\nWORKDIR /src\nCOPY . .\nRUN make\nCMD ["./app"]\n')
    assert "unknown whether make builds C or C++" in (explain(doc) or "")


# --- builders pulled through a Docker Hub mirror ---------------------------------------------------

_GO_MIRROR = 'FROM {image}\nWORKDIR /src\nCOPY . .\nRUN {env}go build -o /usr/local/bin/app .\nCMD ["app"]\n'


@pytest.mark.parametrize(
    ("image", "env", "runtime"),
    [
        # Docker Hub: distroless. Through a mirror, which serves Docker Hub's images and not gcr.io's:
        # the same release's Debian slim, through that mirror.
        ("golang:1.22", "CGO_ENABLED=0 ", "gcr.io/distroless/static-debian12"),
        ("public.ecr.aws/docker/library/golang:1.22", "CGO_ENABLED=0 ", "public.ecr.aws/docker/library/debian:bookworm-slim"),
        ("golang:1.22", "", "gcr.io/distroless/base-debian12"),
        ("public.ecr.aws/docker/library/golang:1.22", "", "public.ecr.aws/docker/library/debian:bookworm-slim"),
        ("harbor.example.com/hub/library/golang:1.24", "", "harbor.example.com/hub/library/debian:trixie-slim"),
        (
            "gitlab.example.com/grp/dependency_proxy/containers/golang:1.22-bookworm",
            "CGO_ENABLED=0 ",
            "gitlab.example.com/grp/dependency_proxy/containers/debian:bookworm-slim",
        ),
        # Alpine is an official image: the same choice as for golang:1.22-alpine, through the mirror.
        ("mirror.gcr.io/library/golang:1.22-alpine3.20", "", "mirror.gcr.io/library/alpine:3.20"),
    ],
)
def test_a_mirrored_go_builder_gets_its_runtime_through_the_same_mirror(image: str, env: str, runtime: str) -> None:
    out = run(_GO_MIRROR.format(image=image, env=env))
    assert out is not None and buildkit_error(out) is None
    stages = Dockerfile(out).stages
    assert [s.image.text if s.image else None for s in stages] == [image, runtime]
    assert out.endswith(f"FROM {runtime}\nWORKDIR /src\nCOPY --from=builder /usr/local/bin/app /usr/local/bin/app\nCMD [\"app\"]\n")
    result = offered(Dockerfile(_GO_MIRROR.format(image=image, env=env)), None)
    assert result is not None and f"→ {runtime} " in result.title  # the size comes from the Hub image's facts


@pytest.mark.parametrize(
    "mirror", ["public.ecr.aws/docker/library/", "mirror.gcr.io/library/", "harbor.example.com/dockerhub/library/"]
)
def test_a_mirrored_official_runtime_is_the_hub_split_through_the_mirror(mirror: str) -> None:
    # Python's runtime is an official image either way: the split is the Docker Hub one, with both
    # images named through the mirror.
    text = 'FROM python:3.12-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'
    hub = run(text)
    assert hub is not None and "\nFROM python:3.12-slim-bookworm\n" in hub
    out = run(text.replace("FROM python", f"FROM {mirror}python"))
    assert out == hub.replace("FROM python", f"FROM {mirror}python")
    # The front end's node stage comes through it too.
    full = read(GOLDEN / "fullstack_flask_vite.in.Dockerfile")
    out = _fullstack(full.replace("FROM python", f"FROM {mirror}python"))
    assert out is not None and buildkit_error(out) is None
    assert Dockerfile(out).stages[0].image.text == f"{mirror}node:18-bookworm"  # type: ignore[union-attr]


def test_a_jre_pointed_at_from_a_mirrored_jdk_is_on_the_mirror() -> None:
    doc = Dockerfile(
        'FROM public.ecr.aws/docker/library/openjdk:17\nCOPY build/libs/*.jar app.jar\nENTRYPOINT ["java", "-jar", "app.jar"]\n'
    )
    assert "FROM public.ecr.aws/docker/library/eclipse-temurin:17-jre," in (explain(doc) or "")


@pytest.mark.parametrize(
    ("builder", "runtime", "packages"),
    [
        # The 64-bit time_t transition renamed OpenSSL's and curl's runtime packages in trixie.
        ("gcc:13", "debian:bookworm-slim", "libcurl4 libssl3"),
        ("gcc:14", "debian:trixie-slim", "libcurl4t64 libssl3t64"),
        ("debian:trixie", "debian:trixie-slim", "libcurl4t64 libssl3t64"),
    ],
)
def test_c_runtime_library_packages_are_named_for_the_runtimes_release(builder: str, runtime: str, packages: str) -> None:
    install = "RUN apt-get update && apt-get install -y build-essential\n" if builder.startswith("debian") else ""
    out = run(f'FROM {builder}\n{install}WORKDIR /src\nCOPY . .\nRUN gcc -o app main.c -lssl -lcurl\nCMD ["./app"]\n')
    assert out is not None and buildkit_error(out) is None
    runtime_part = out[out.rindex("\nFROM ") :]
    assert runtime_part.startswith(f"\nFROM {runtime}\n") and f"--no-install-recommends {packages}" in runtime_part


def test_python_on_an_untagged_release_refuses_a_renamed_library() -> None:
    # python:3.12 is on bookworm or trixie, which name libcurl differently: not guessed.
    doc = Dockerfile(_PY_NATIVE.format(image="python:3.12", install="apt-get install -y", dev="libcurl4-openssl-dev"))
    assert offered(doc, None) is None
    out = run(_PY_NATIVE.format(image="python:3.12-trixie", install="apt-get install -y", dev="libcurl4-openssl-dev"))
    assert out is not None and "libcurl4t64" in out[out.rindex("\nFROM ") :]
