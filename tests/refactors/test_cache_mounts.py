"""cacheMounts: goldens, our own diagnostics on the result, where it is (not) offered and why."""

from __future__ import annotations

from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.refactors import cache_mounts as cm
from dockerfile_refactor_ls.refactors.base import NotApplicable
from dockerfile_refactor_ls.refactors.registry import plan_or_reason, refactoring_named
from dockerfile_refactor_ls.rules.analysis import diagnose

from ._golden import Goldens, assert_line_endings_kept, read

GOLDENS = Goldens("cache_mounts", cm.REFACTORING)
GOLDEN, CASES = GOLDENS.folder, GOLDENS.cases
outcome, run = GOLDENS.outcome, GOLDENS.run
DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "cache-mounts.md"



def codes(text: str) -> set[str]:
    return {f.code for f in diagnose(Dockerfile(text), Settings())}


def test_registered() -> None:
    ref = refactoring_named("cacheMounts")
    assert ref is cm.REFACTORING and ref.kind == "refactor.rewrite.cacheMounts"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    assert run(read(GOLDEN / f"{case}.in.Dockerfile")) == read(GOLDEN / f"{case}.out.Dockerfile")


@pytest.mark.parametrize("case", CASES)
def test_golden_properties(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    out = run(text)
    dockerfile.parse_string(out)
    # our own rules: nothing new fires on the result, and the clean-up rules stay quiet
    assert codes(out) <= codes(text), codes(out) - codes(text)
    assert not {"DL3009", "DL3042", "DL3019", "DL3060"} & codes(out)
    assert isinstance(outcome(out), NotApplicable)  # not offered again on its own result
    assert len(Dockerfile(out).instructions) == len(Dockerfile(text).instructions)
    assert_line_endings_kept(text, out)


def test_without_the_removal_our_rules_would_fire() -> None:
    # the removed clean-ups are what DL3009/DL3042 ask for when there is no cache mount
    assert {"DL3009"} <= codes("FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n")
    assert "DL3042" in codes("FROM python:3.12\nRUN pip install -r requirements.txt\n")


def test_docker_clean_once_per_stage() -> None:
    out = run(read(GOLDEN / "apt.in.Dockerfile"))
    assert out.count("docker-clean") == 1
    two = "FROM debian:bookworm AS a\nRUN apt-get update\nFROM debian:bookworm\nRUN apt-get update\n"
    assert run(two).count("rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update") == 2


def test_cursor_on_one_run() -> None:
    text = "FROM python:3.12\nRUN pip install flask\nRUN pip install gunicorn\n"
    at = text.index("gunicorn")
    assert run(text, Span(at, at)) == (
        "FROM python:3.12\nRUN pip install flask\nRUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn\n"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("# syntax=docker/dockerfile:1.1\nFROM debian\nRUN apt-get update\n",
         "the # syntax= directive pins Dockerfile frontend 1.1: RUN --mount needs 1.2 or later"),
        ("FROM node:22\nUSER node\nRUN npm ci\n", "stage 0 runs the install as node: its cache directory is not known here"),
        ("FROM debian\nRUN echo hi\n", cm.NO_INSTALL),
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN pip install x\n",
         "stage 0 is a Windows image"),
    ],
)
def test_not_offered(text: str, reason: str) -> None:
    result = outcome(text)
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_doc_lists_every_reason() -> None:
    doc = DOC.read_text()
    for reason in cm.REASONS:
        assert reason.split("{")[0].strip() in doc or reason.split("}")[-1].strip() in doc, reason


def test_cache_the_image_needs_is_not_mounted() -> None:
    # `go run` at run time reads the module cache: it must stay in the image
    ran = run('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nCMD ["go", "run", "."]\n')
    assert "target=/go/pkg/mod" not in ran and "target=/root/.cache/go-build" in ran
    # a later stage copies the module cache out
    copied = run("FROM golang:1.22 AS b\nRUN go mod download\nFROM alpine:3.22\nCOPY --from=b /go/pkg/mod /m\n")
    assert "target=/go/pkg/mod" not in copied


def test_cargo_target_is_never_mounted() -> None:
    out = run(read(GOLDEN / "cargo_registry_only.in.Dockerfile"))
    assert "target=/usr/local/cargo/registry" in out and "/app/target" not in out.split("COPY --from")[0]


def test_image_gopath_is_used() -> None:
    out = run("FROM golang:1.22\nENV GOPATH=/work\nRUN go build ./...\n")
    assert "target=/work/pkg/mod" in out


# --- apk, yarn, pnpm ---------------------------------------------------------------------------


def test_apk_no_cache_becomes_update_cache_and_the_link_is_made_once() -> None:
    out = run(read(GOLDEN / "apk.in.Dockerfile"))
    # one link per stage (two stages here), before the first apk command of each
    assert out.count(cm._APK_LINK + " && apk") == 2
    # --no-cache bypasses the mount: replaced where nothing refreshes the index, dropped after apk update
    assert "--no-cache" not in out and out.count("--update-cache") == 1
    assert "rm -rf /var/cache/apk" not in out
    # a later apk RUN of the same stage needs no second link, nor does a stage FROM a stage that has it
    two = run("FROM alpine:3.22 AS a\nRUN apk add --no-cache git\nRUN apk add --no-cache curl\nFROM a\nRUN apk add make\n")
    assert two.count("ln -sf") == 1 and two.count("--mount=type=cache,target=/var/cache/apk,sharing=locked") == 3


def test_apk_keeps_what_refreshes_the_index() -> None:
    assert run("FROM alpine:3.22\nRUN apk add -U --no-cache git\n").endswith(" apk add -U git\n")
    # only the downloading commands lose --no-cache
    deps = run("FROM alpine:3.22\nRUN apk add --no-cache --virtual .b gcc && make && apk del --no-cache .b\n")
    assert "apk add --update-cache --virtual .b gcc" in deps and "apk del --no-cache .b" in deps
    # apk fetch writes into the current folder, not the cache: nothing to mount
    assert isinstance(outcome("FROM alpine:3.22\nRUN apk fetch git\n"), NotApplicable)
    # a link the file makes itself is not made twice
    own = run("FROM alpine:3.22\nRUN ln -s /var/cache/apk /etc/apk/cache\nRUN apk add curl\n")
    assert own.count("/etc/apk/cache") == 1


def test_yarn_v1_cache_and_clean_removed() -> None:
    out = run(read(GOLDEN / "yarn_v1.in.Dockerfile"))
    assert "--mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked yarn install" in out
    assert "yarn cache clean" not in out
    custom = run("FROM node:22\nENV YARN_CACHE_FOLDER=/cache/yarn\nRUN yarn\n")
    assert "target=/cache/yarn," in custom


def _in_context(root: Path, text: str, files: dict[str, str]) -> Dockerfile:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content)
    (root / "Dockerfile").write_text(text)
    doc = Dockerfile(text)
    doc.context_dir, doc.file_name = str(root), "Dockerfile"
    return doc


BERRY = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # Yarn 4 with node_modules: the global cache (Yarn 4's default enableGlobalCache)
        ({"package.json": '{"packageManager": "yarn@4.5.0"}', ".yarnrc.yml": "nodeLinker: node-modules\n"},
         "--mount=type=cache,target=/root/.yarn/berry/cache yarn install"),
        # Yarn 3 keeps its cache in the project (enableGlobalCache false): under WORKDIR
        ({".yarnrc.yml": "nodeLinker: \"node-modules\"\nyarnPath: .yarn/releases/yarn-3.6.4.cjs\n"},
         "--mount=type=cache,target=/app/.yarn/cache yarn install"),
        ({"package.json": '{"packageManager": "yarn@4.5.0"}', ".yarnrc.yml": "nodeLinker: pnpm\nenableGlobalCache: false\n"},
         "--mount=type=cache,target=/app/.yarn/cache yarn install"),
        # Plug'n'Play (said, or the default) reads the cache at run time
        ({"package.json": '{"packageManager": "yarn@4.5.0"}'}, cm.YARN_PNP),
        ({".yarnrc.yml": "nodeLinker: pnp\n"}, cm.YARN_PNP),
        # zero-installs: the cache is committed source
        ({".yarnrc.yml": "nodeLinker: node-modules\n", ".yarn/cache/lodash.zip": ""}, cm.YARN_ZERO_INSTALL),
    ],
)
def test_yarn_berry(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    doc = _in_context(tmp_path, BERRY, files)
    result = plan_or_reason(cm.REFACTORING, doc, None)
    if isinstance(result, NotApplicable):
        assert result.reason == expected
        return
    out = apply_edits(BERRY, result.edits)
    assert expected in out and "sharing=locked" not in out
    dockerfile.parse_string(out)


def test_yarn_berry_without_context_is_left_alone() -> None:
    assert outcome(BERRY).reason == cm.YARN_BERRY_UNKNOWN  # type: ignore[union-attr]
    # Yarn 1's mount is harmless whichever Yarn runs: a bare yarn install without context gets it
    assert "target=/usr/local/share/.cache/yarn" in run("FROM node:22\nRUN yarn install\n")


def test_pnpm_store() -> None:
    out = run(read(GOLDEN / "pnpm.in.Dockerfile"))
    # ENV PNPM_HOME="/pnpm" from the parent stage, quotes removed
    assert "--mount=type=cache,target=/pnpm/store pnpm install" in out and "store prune" not in out
    assert "target=/root/.local/share/pnpm/store" in run("FROM node:22\nRUN pnpm i --frozen-lockfile\n")
    assert isinstance(outcome("FROM node:22\nRUN pnpm run build\n"), NotApplicable)
