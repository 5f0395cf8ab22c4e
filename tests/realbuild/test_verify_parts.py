"""The parts of the real-build verification that need no Docker engine: they run in ``make test``.

The builds themselves run in ``make verify-builds``; these tests make sure what it reads (BuildKit's
parse, the images a Dockerfile needs, the build log, the samples' verify.toml) is read right, so a
case cannot pass because the driver misread it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.realbuild.docker import build_steps
from tests.realbuild.images import all_tags, load_specs
from tests.realbuild.verify import (
    ACTIONS,
    APPS,
    Case,
    apply_variant,
    load_app,
    load_apps,
    normalise_image,
    preflight,
    summary,
    table,
)


def test_normalise_image_matches_docker_image_ls() -> None:
    assert normalise_image("node") == "node:latest"
    assert normalise_image("docker.io/library/node:18-slim") == "node:18-slim"
    assert normalise_image("gcr.io/distroless/static-debian12:nonroot") == "gcr.io/distroless/static-debian12:nonroot"
    assert normalise_image("localhost:5000/app") == "localhost:5000/app:latest"
    assert normalise_image("golang:1.19@sha256:" + "a" * 64) == "golang:1.19"


def test_preflight_lists_external_images_not_stages() -> None:
    text = (
        "ARG GO=1.19\n"
        "FROM golang:${GO}-bookworm AS build\n"
        "RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=tools,target=/t true\n"
        "FROM build AS test\n"
        "COPY --from=build /x /x\n"
        "COPY --from=busybox:stable /bin/sh /sh\n"
        "FROM scratch\n"
        "COPY --from=0 /x /x\n"
    )
    pre = preflight(text)
    assert pre.parse_error is None
    assert pre.images == ["busybox:stable", "golang:1.19-bookworm", "tools:latest"]
    assert pre.unbuildable == []


def test_preflight_uses_default_when_arg_has_no_value() -> None:
    assert preflight("ARG TAG\nFROM python:${TAG:-3.11-slim}\n").images == ["python:3.11-slim"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("FROM debian\nCOPY <<EOF /x\nhi\nEOF\n", "heredoc"),
        ("FROM debian\nCOPY --link a /b\n", "COPY --link"),
        ("FROM debian\nCOPY --exclude=*.md . /b\n", "COPY --exclude"),
        ("FROM debian\nRUN --network=none true\n", "RUN --network"),
        ("FROM debian\nADD --checksum=sha256:abc https://x/y /y\n", "ADD --checksum"),
        ("# syntax=docker/dockerfile:1\nFROM debian\n", "syntax"),
    ],
)
def test_preflight_flags_what_the_20_10_frontend_cannot_build(text: str, needle: str) -> None:
    assert any(needle in reason for reason in preflight(text).unbuildable)


def test_preflight_reports_buildkit_parse_errors() -> None:
    bad = preflight("FROM debian\nRUN <<EOF\necho hi\n")
    assert bad.parse_error is not None and "heredoc" in bad.parse_error
    assert preflight("FROM debian\nRUN echo hi\n").parse_error is None


_PLAIN_LOG = """\
#5 [internal] load metadata for docker.io/library/node:18
#5 DONE 0.0s
#7 [1/5] FROM docker.io/library/node:18
#7 DONE 0.0s
#8 [2/5] WORKDIR /usr/src/app
#8 CACHED
#9 [builder 3/5] COPY package.json package-lock.json ./
#9 CACHED
#10 [builder 4/5] RUN npm ci
#10 CACHED
#11 [builder 5/5] COPY . .
#11 DONE 0.1s
#12 [stage-1 2/2] RUN npm run build
#12 0.512 > build
#12 DONE 1.2s
"""


def test_build_steps_reads_cached_and_rerun_steps_from_plain_progress() -> None:
    steps = build_steps(_PLAIN_LOG)
    assert steps["RUN npm ci"] is True
    assert steps["COPY . ."] is False
    assert steps["RUN npm run build"] is False
    assert steps["WORKDIR /usr/src/app"] is True
    assert not any("load metadata" in s for s in steps)


def test_every_sample_has_a_valid_verify_toml_and_a_buildable_dockerfile() -> None:
    apps = load_apps()
    assert len(apps) >= 9
    tags = {normalise_image(t) for t in all_tags(load_specs())}
    for app in apps:
        pre = preflight((app.path / "Dockerfile").read_text())
        assert pre.parse_error is None, app.name
        assert pre.unbuildable == [], (app.name, pre.unbuildable)
        missing = [i for i in pre.images if i not in tags]
        assert not missing, f"{app.name} needs images with no stand-in: {missing}"
        assert set(app.expect) == set(ACTIONS)
        if app.cache_install:
            assert app.cache_touch and (app.path / app.cache_touch).is_file(), app.name


def test_verify_toml_mistakes_are_refused(tmp_path: Path) -> None:
    (tmp_path / "verify.toml").write_text('[run]\noutput = "x"\n[expect]\nsplitStages = "always"\n')
    with pytest.raises(ValueError, match="splitStages"):
        load_app(tmp_path)
    (tmp_path / "verify.toml").write_text('[run]\n[expect]\n')
    with pytest.raises(ValueError, match="exactly one"):
        load_app(tmp_path)


def test_apply_variant_uses_the_cli_and_reports_not_offered(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY hello /\n")
    applied = apply_variant("splitStages", tmp_path)
    assert not applied.offered and applied.reasons
    assert (tmp_path / "Dockerfile").read_text() == "FROM scratch\nCOPY hello /\n"


def test_apply_variant_rewrites_a_sample_it_applies_to(tmp_path: Path) -> None:
    src = APPS / "go-cli"
    for f in src.iterdir():
        if f.is_file() and f.name != "verify.toml":
            (tmp_path / f.name).write_bytes(f.read_bytes())
    applied = apply_variant("splitStages", tmp_path)
    assert applied.offered and applied.actions == ["splitStages"]
    assert (tmp_path / "Dockerfile").read_text().count("FROM ") >= 2


def test_table_and_summary_report_ratios_and_verdicts() -> None:
    cases = [
        Case("go-cli", "original", "pass", size=1_000_000_000, build_seconds=3.0, uid="0"),
        Case("go-cli", "splitStages", "pass", ["splitStages"], size=5_000_000, ratio=0.005, uid="65532"),
        Case("go-cli", "nonRootUser", "fail", ["nonRootUser"], detail="app broken: a|b"),
        Case("go-cli", "fixAll", "not offered", detail="no safe fix applies"),
    ]
    text = table(cases)
    assert "| go-cli | splitStages | pass | splitStages | 5 MB | 0.005 |" in text
    assert "a\\|b" in text
    line = summary(cases)
    assert "1/1 samples build and run" in line and "1 fail" in line and "1 not offered" in line
    assert "0.005" in line


def test_a_build_that_needs_a_registry_is_told_from_one_that_fails() -> None:
    from tests.realbuild.verify import NEEDS_REGISTRY

    log = ('#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/node/manifests/20": '
           "dial tcp: lookup registry-1.docker.io: no such host")
    assert NEEDS_REGISTRY.search(log)
    assert not NEEDS_REGISTRY.search("#9 ERROR: process \"/bin/sh -c go build -o /app .\" did not complete successfully")


def test_docs_table_is_rewritten_from_an_earlier_runs_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from dataclasses import asdict

    from tests.realbuild.verify import TABLE_BEGIN, TABLE_END, main

    cases = [Case("go-cli", "original", "pass", size=9_000_000), Case("go-cli", "fixAll", "not offered", detail="x")]
    results = tmp_path / "results.json"
    results.write_text(json.dumps([asdict(c) for c in cases]))
    docs = tmp_path / "verification.md"
    docs.write_text(f"intro\n{TABLE_BEGIN}\nold table\n{TABLE_END}\nafter\n")
    monkeypatch.setattr("tests.realbuild.verify.DOCS", docs)
    assert main(["--docs-from-json", str(results)]) == 0
    text = docs.read_text()
    assert "old table" not in text and text.startswith("intro\n") and text.endswith(f"{TABLE_END}\nafter\n")
    assert "| go-cli | fixAll | not offered |" in text and "1/1 samples build and run; 1 not offered" in text
