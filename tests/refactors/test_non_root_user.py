"""nonRootUser: goldens per base image, where it is (not) offered, properties, and the corpus."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.images import parse_image
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.engine.users import family
from dockerfile_refactor_ls.refactors import non_root_user as nru
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.non_root_user import REFACTORING, final_stage
from dockerfile_refactor_ls.refactors.registry import plan_or_reason, refactoring_named

from ..conftest import corpus_files, read_corpus, requires_corpus
from ._golden import assert_line_endings_kept

GOLDEN = Path(__file__).parent / "golden" / "non_root_user"
CASES = sorted(p.name.removesuffix(".in.Dockerfile") for p in GOLDEN.glob("*.in.Dockerfile"))
_CHOWN = re.compile(r" --chown=\S+")
# What the action hands to the user: the find appended to root RUNs that write the app folder.
_HAND_OVER = re.compile(r" && find \S+ ! -user \S+ -exec chown \S+ \{\} \+")


def plan_result(doc: Dockerfile, span: Span | None = None) -> RefactorResult | None:
    result = plan_or_reason(REFACTORING, doc, span)
    return result if isinstance(result, RefactorResult) else None


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def run(text: str, span: Span | None = None) -> str | None:
    result = plan_result(Dockerfile(text), span)
    return None if result is None else apply_edits(text, result.edits)


def buildkit_ok(text: str) -> bool:
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True


def lost_instructions(before: Dockerfile, after: Dockerfile) -> Counter[str]:
    """Instructions of ``before`` missing from ``after`` (added --chown flags and hand-overs aside)."""
    return Counter(_CHOWN.sub("", i.original) for i in before.instructions) - Counter(
        _HAND_OVER.sub("", _CHOWN.sub("", i.original)) for i in after.instructions
    )


def test_registered() -> None:
    ref = refactoring_named("nonRootUser")
    assert ref is REFACTORING
    assert ref.kind == "refactor.rewrite.nonRootUser"
    assert ref.title == "Add non-root user"


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
    new = Dockerfile(out)
    assert buildkit_ok(out)
    assert plan_result(new, None) is None  # idempotent
    info = final_stage(new)
    assert info is not None and not info.runs_as_root
    # minimal: insertions only (a RUN, --chown flags, the USER line)
    assert all(len(e.span) == 0 for e in result.edits)
    assert not lost_instructions(doc, new)
    # USER, and at most the RUN that creates the user and its folders, and a hand-over RUN after
    # each exec-form RUN that writes the app folder.
    added = [i for i in new.instructions if i.original not in {j.original for j in doc.instructions}]
    added = [i for i in added if i.cmd != "run" or not i.original.startswith(("RUN find", "run find"))
             or not _HAND_OVER.sub("", " && " + i.original[4:]).strip()]
    assert 1 <= len(new.instructions) - len(doc.instructions) <= 2 + sum(1 for i in doc.instructions if i.json and i.cmd == "run")
    assert_line_endings_kept(text, out)


@pytest.mark.parametrize("case", [c for c in CASES if c not in ("crlf", "backtick")])
def test_crlf_stays_crlf(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile").replace("\n", "\r\n")
    assert run(text) == read(GOLDEN / f"{case}.out.Dockerfile").replace("\n", "\r\n")


@pytest.mark.parametrize("case", [c for c in CASES if c not in ("crlf", "backtick")])
def test_backtick_escape(case: str) -> None:
    text = "# escape=`\n" + re.sub(r"\\\n", "`\n", read(GOLDEN / f"{case}.in.Dockerfile"))
    expected = "# escape=`\n" + re.sub(r"\\\n", "`\n", read(GOLDEN / f"{case}.out.Dockerfile"))
    assert run(text) == expected


def test_offered_in_the_final_stage_only() -> None:
    text = read(GOLDEN / "distroless.in.Dockerfile")
    doc = Dockerfile(text)
    lines = [
        line for line in range(doc.lines.line_count)
        if plan_result(doc, Span(doc.lines.line_start(line), doc.lines.line_start(line))) is not None
    ]
    final_from = doc.lines.line_of(doc.stages[-1].from_instruction.span.start)
    assert lines == list(range(final_from, doc.lines.line_count - 1))


@pytest.mark.parametrize(
    "text",
    [
        # already ends as a non-root user (also through FROM <stage>)
        "FROM alpine:3.20\nRUN adduser -D app\nUSER app\nCMD [\"sh\"]\n",
        "FROM alpine:3.20 AS base\nUSER 1000:1000\nFROM base\nCOPY . /app\n",
        "FROM node:20\nUSER node\nCMD [\"node\"]\n",
        # base images that already run as non-root
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n",
        "FROM nginxinc/nginx-unprivileged:1.27\nCOPY dist /usr/share/nginx/html\n",
        # images that need root at start-up, or drop privileges themselves
        "FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n",
        "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
        "FROM php:8.3-apache\nCOPY . /var/www/html\n",
        "FROM debian:12\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT [\"gosu\", \"app\", \"run\"]\n",
        "FROM alpine:3.20\nRUN apk add su-exec\nENTRYPOINT [\"su-exec\", \"app\", \"run\"]\n",
        # a service that starts as root, in an image built from a plain distribution
        "FROM debian:12\nRUN apt-get update && apt-get install -y apache2\nCMD [\"apache2-foreground\"]\n",
        "FROM alpine:3.20\nRUN apk add nginx\nCMD nginx -g 'daemon off;'\n",
        "FROM ubuntu:24.04\nRUN apt-get install -y supervisor\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n",
        # Windows
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app C:/app\nCMD [\"C:/app/run.exe\"]\n",
        "FROM mcr.microsoft.com/dotnet/framework/runtime:4.8\nCMD [\"app.exe\"]\n",
        'FROM mcr.microsoft.com/powershell:lts\nSHELL ["pwsh", "-Command"]\nRUN Write-Host hi\n',
        # the base image cannot be known
        "FROM $IMAGE\nCOPY app /app\n",
        "ARG IMAGE\nFROM ${IMAGE}\nCOPY app /app\n",
        # a trailing continuation would swallow the USER line
        "FROM alpine:3.20\nRUN echo hi \\",
        # empty or broken
        "",
        "# just a comment\n",
    ],
)
def test_not_offered(text: str) -> None:
    assert run(text) is None


def test_explicit_root_in_base_stage_is_fixed_in_the_final_stage() -> None:
    text = "FROM python:3.12-alpine AS base\nUSER root\nFROM base\nCMD [\"python\"]\n"
    assert run(text) == (
        "FROM python:3.12-alpine AS base\nUSER root\nFROM base\nRUN addgroup -S app && adduser -S app -G app\n"
        "USER app\nCMD [\"python\"]\n"
    )


def test_user_created_with_useradd_and_variables() -> None:
    text = (
        "FROM debian:12\nARG USERNAME=dev\nRUN useradd -m -s /bin/bash $USERNAME\n"
        "COPY app /home/dev/app\nCMD [\"bash\"]\n"
    )
    assert run(text) == (
        "FROM debian:12\nARG USERNAME=dev\nRUN useradd -m -s /bin/bash $USERNAME\n"
        "COPY --chown=dev:dev app /home/dev/app\nUSER dev\nCMD [\"bash\"]\n"
    )


def test_copies_before_the_user_exists_keep_their_owner() -> None:
    text = "FROM alpine:3.20\nCOPY a /srv/a\nRUN adduser -D web\nCOPY b /srv/b\nCMD [\"sh\"]\n"
    assert run(text) == (
        "FROM alpine:3.20\nCOPY a /srv/a\nRUN adduser -D web\nCOPY --chown=web:web b /srv/b\nUSER web\nCMD [\"sh\"]\n"
    )


def test_json_copy_gets_chown_before_the_array() -> None:
    text = 'FROM node:20\nCOPY ["server.js", "/app/"]\nCMD ["node", "/app/server.js"]\n'
    assert run(text) == 'FROM node:20\nCOPY --chown=node:node ["server.js", "/app/"]\nUSER node\nCMD ["node", "/app/server.js"]\n'


@pytest.mark.parametrize(
    "image", ["public.ecr.aws/docker/library/node:20", "mirror.gcr.io/library/node:20", "harbor.example.com/hub/library/node:20"]
)
def test_a_docker_hub_mirror_of_node_uses_the_node_account(image: str) -> None:
    # The same image as node:20, pulled through a mirror: it ships the same account, and the action
    # does what it does for node:20.
    text = 'FROM node:20\nWORKDIR /app\nCOPY ["server.js", "./"]\nCMD ["node", "server.js"]\n'
    hub = run(text)
    assert hub is not None and "USER node\n" in hub and "--chown=node:node" in hub
    out = run(text.replace("node:20", image, 1))
    assert out == hub.replace("node:20", image, 1)
    assert family(parse_image(image)) == "debian" and buildkit_ok(out)


def test_stage_with_only_from() -> None:
    assert run("FROM alpine:3.20") == "FROM alpine:3.20\nRUN addgroup -S app && adduser -S app -G app\nUSER app"


def test_maven_image_gets_a_user_with_a_home_for_its_repository() -> None:
    # Found in make verify-builds: the numeric nobody (home /nonexistent) made `mvn` fail to create
    # ~/.m2/repository in maven:3-eclipse-temurin-17.
    text = 'FROM maven:3-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD ["java", "-jar", "target/app.jar"]\n'
    out = run(text)
    assert out is not None
    assert "useradd --system --gid app --create-home app" in out
    assert out.index("USER app") < out.index("RUN mvn -B package")


def test_maven_entrypoint_copies_into_the_users_home() -> None:
    # Found in make verify-builds: maven's mvn-entrypoint.sh copies its reference files into
    # $MAVEN_CONFIG (/root/.m2) at every start and, as the new user, printed a notice before the output.
    text = 'FROM maven:3-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD ["java", "-jar", "target/app.jar"]\n'
    out = run(text)
    assert out is not None and "ENV MAVEN_CONFIG=/home/app/.m2\nUSER app\nRUN mvn -B package\n" in out
    lower = run(text.replace("FROM", "from").replace("WORKDIR", "workdir").replace("COPY", "copy").replace("RUN", "run").replace("CMD", "cmd"))
    assert lower is not None and "env MAVEN_CONFIG=/home/app/.m2\nuser app\n" in lower
    # Not where the file sets it itself, nor on images without that entrypoint.
    own = run(text.replace("WORKDIR /app", "ENV MAVEN_CONFIG=/cfg\nWORKDIR /app"))
    assert own is not None and "/home/app/.m2" not in own
    plain = run(text.replace("maven:3-eclipse-temurin-17", "eclipse-temurin:17-jdk"))
    assert plain is not None and "MAVEN_CONFIG" not in plain


@pytest.mark.parametrize("build", ["mvn -B package", "gradle build --no-daemon", "npm ci"])
def test_numeric_nobody_runs_no_build_tool(build: str) -> None:
    """Nobody has no home to keep a tool's cache in: the build stays root, its files are handed over."""
    text = f'FROM myorg/base:1\nWORKDIR /app\nCOPY . .\nRUN {build}\nCMD ["./start"]\n'
    out = run(text)
    assert out is not None
    assert f"RUN {build} && find /app ! -user 65534 -exec chown 65534:65534 {{}} +\nUSER 65534:65534\nCMD" in out


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("alpine:3.20", "alpine"),
        ("python:3.12-alpine3.20", "alpine"),
        ("python:3.12-slim", "debian"),
        ("python", "debian"),
        ("docker.io/library/golang:1.22-bookworm", "debian"),
        ("ubuntu:24.04", "debian"),
        ("eclipse-temurin:21-jre", "debian"),
        ("eclipse-temurin:21-jre-ubi9-minimal", "unknown"),
        ("amazoncorretto:21", "unknown"),
        # docker-maven and docker-gradle: eclipse-temurin (Ubuntu) unless the tag names another base
        ("maven:3-eclipse-temurin-17", "debian"),
        ("maven:3.9", "debian"),
        ("maven:3-eclipse-temurin-17-alpine", "alpine"),
        ("maven:3.9-amazoncorretto-17", "unknown"),
        ("maven:3.8-openjdk-17", "unknown"),
        ("gradle:jdk17", "debian"),
        ("gradle:jdk17-graal", "unknown"),
        ("registry.access.redhat.com/ubi9/ubi", "unknown"),
        ("myorg/app:1.0", "unknown"),
        ("gcr.io/distroless/base-debian12", "distroless"),
        ("scratch", "scratch"),
        ("mcr.microsoft.com/windows/nanoserver:ltsc2022", "windows"),
    ],
)
def test_family(image: str, expected: str) -> None:
    assert family(parse_image(image)) == expected


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
        lost = lost_instructions(doc, new)
        if lost:
            problems.append(f"{path.name}: lost {sorted(lost)}")
    elapsed = time.perf_counter() - start
    print(f"nonRootUser offered on {offered} of {len(corpus_files())} corpus files in {elapsed:.1f}s")
    assert not problems, "\n".join(problems)
    assert offered >= 100


DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "non-root-user.md"
_EXAMPLE = re.compile(r"Before:\n\n```dockerfile\n(.*?)```\n\nAfter:\n\n```dockerfile\n(.*?)```", re.S)


def test_doc_examples_are_what_the_action_does() -> None:
    examples = _EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 5
    for before, after in examples:
        assert run(before) == after


# --- why it is not offered ----------------------------------------------------------------------


def reason(text: str, span: Span | None = None) -> str:
    result = plan_or_reason(REFACTORING, Dockerfile(text), span)
    assert isinstance(result, NotApplicable), result
    return result.reason


def _template_re(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+".join(re.escape(p) for p in parts) + r"\Z", re.S)


@pytest.mark.parametrize(
    ("text", "template", "words"),
    [
        ("# nothing\n", nru.NO_STAGE, ()),
        ("FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n", nru.MANAGES_PRIVILEGES, ("nginx",)),
        ("FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"gosu\", \"app\", \"run\"]\n", nru.NEEDS_ROOT,
         ("gosu",)),
        ("FROM ubuntu:24.04\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n", nru.NEEDS_ROOT, ("sshd",)),
        ("FROM node:20\nUSER node\nCMD [\"node\"]\n", nru.ALREADY_USER, ("node",)),
        ("FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n", nru.DEFAULT_NON_ROOT, ("nonroot",)),
        ("ARG IMAGE\nFROM ${IMAGE}\nCOPY app /app\n", nru.UNRESOLVED, ("${IMAGE}",)),
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD [\"app.exe\"]\n", nru.WINDOWS, ()),
        ("FROM python:3.12\nONBUILD COPY . /app\nONBUILD RUN pip install -r /app/requirements.txt\n", nru.ONBUILD, ()),
        ("FROM alpine:3.20\nRUN echo hi \\", nru.CONTINUATION, ()),
        ("FROM python:3.12\nWORKDIR /root/app\nCOPY . .\nCMD [\"python\", \"main.py\"]\n", nru.ROOT_HOME, ("/root",)),
        # pip install --user in a build stage, copied to /root/.local: unreachable for another user
        ("FROM python:3.12 AS build\nRUN pip install --user flask\nFROM python:3.12-slim\n"
         "COPY --from=build /root/.local /root/.local\nCMD [\"python\", \"-m\", \"flask\", \"run\"]\n",
         nru.ROOT_HOME, ("/root/.local",)),
        ("FROM python:3.12-slim\nENV PATH=/root/.local/bin:$PATH\nCMD [\"app\"]\n", nru.ROOT_HOME, ("/root/.local/bin",)),
        ("FROM gcr.io/distroless/python3-debian12\nCOPY . /app\nVOLUME /data\nCMD [\"/app/main.py\"]\n",
         nru.NO_SHELL_VOLUME, ("/data", "distroless")),
    ],
)
def test_reasons(text: str, template: str, words: tuple[str, ...]) -> None:
    why = reason(text)
    assert _template_re(template).match(why), why
    for w in words:
        assert w in why


def test_reason_for_a_cursor_outside_the_final_stage() -> None:
    text = "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=build /app /app\n"
    assert reason(text, Span(5, 5)) == nru.CURSOR


def test_every_reason_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for template in nru.REASONS:
        assert re.sub(r"\{\w+\}", lambda m: "<" + m.group()[1:-1] + ">", template) in doc.replace("\n  ", " "), template


@requires_corpus
def test_corpus_reasons_are_the_documented_ones() -> None:
    patterns = [_template_re(t) for t in nru.REASONS]
    seen: Counter[str] = Counter()
    for path in corpus_files():
        result = plan_or_reason(REFACTORING, Dockerfile(read_corpus(path)), None)
        if isinstance(result, NotApplicable):
            match = next((t for t, p in zip(nru.REASONS, patterns, strict=True) if p.match(result.reason)), None)
            assert match is not None, f"{path.name}: undocumented reason {result.reason!r}"
            seen[match] += 1
    print("nonRootUser reasons on the corpus:", dict(seen))
    assert len(seen) >= 4


def test_low_ports_are_named_in_the_title_and_the_diagnostic() -> None:
    from dockerfile_refactor_ls.engine.settings import Settings
    from dockerfile_refactor_ls.rules.analysis import diagnose

    text = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 443 8080 80/tcp\nCMD [\"python\", \"app.py\"]\n"
    result = plan_result(Dockerfile(text))
    assert result is not None
    assert result.title.endswith("CAP_NET_BIND_SERVICE to bind ports 80, 443 (below 1024)")
    (finding,) = [f for f in diagnose(Dockerfile(text), Settings()) if f.code == "NoUserInFinalStage"]
    assert "CAP_NET_BIND_SERVICE" in finding.message and "80, 443" in finding.message
    high = text.replace("EXPOSE 443 8080 80/tcp", "EXPOSE 8080")
    result = plan_result(Dockerfile(high))
    assert result is not None and "CAP_NET_BIND_SERVICE" not in result.title


def test_steps_that_need_root_keep_running_as_root() -> None:
    # A package install after the build: the build stays root (its files are handed over), USER
    # goes after the install.
    out = run("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm install -g pm2\nCMD [\"pm2-runtime\", \"app.js\"]\n")
    assert out == (
        "FROM node:20\nRUN mkdir -p /app && chown node:node /app\nWORKDIR /app\nCOPY --chown=node:node . .\n"
        "RUN npm ci && find /app ! -user node -exec chown node:node {} +\nRUN npm install -g pm2\nUSER node\n"
        "CMD [\"pm2-runtime\", \"app.js\"]\n"
    )


def test_a_folder_filled_by_the_parent_stage_is_handed_over_whole() -> None:
    text = (
        "FROM node:20 AS deps\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
        "FROM deps\nCMD [\"npm\", \"run\", \"dev\"]\n"
    )
    out = run(text)
    assert out is not None
    assert "RUN mkdir -p /app && chown -R node:node /app\n" in out and out.endswith("USER node\nCMD [\"npm\", \"run\", \"dev\"]\n")
