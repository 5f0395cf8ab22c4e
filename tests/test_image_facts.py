"""engine/image_facts.py and its table engine/data/images.toml: what base images provide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockerfile_refactor_ls.engine import image_facts
from dockerfile_refactor_ls.engine.image_facts import facts_for, facts_for_stage
from dockerfile_refactor_ls.engine.model import Dockerfile

TABLE = Path(image_facts.__file__).parent / "data" / "images.toml"


def test_every_entry_names_its_source_in_a_comment_and_a_field() -> None:
    text = TABLE.read_text(encoding="utf-8").splitlines()
    for key in image_facts.known_keys():
        entry = image_facts.table()["images"][key]
        assert str(entry.get("source", "")).startswith("https://"), key
    # The comment lines right above each entry header say where its facts come from.
    headers = [i for i, line in enumerate(text) if re.match(r"^\[images\.[^\]]+\]$", line) and ".variant." not in line]
    assert len(headers) == len(image_facts.known_keys())
    for i in headers:
        j, block = i - 1, []
        while j >= 0 and text[j].startswith("#"):
            block.append(text[j])
            j -= 1
        assert any("https://" in line for line in block), text[i]


def test_fields_have_known_values() -> None:
    oses = {"debian", "ubuntu", "alpine", "distroless", "scratch", "wolfi", "ubi", "amazonlinux", "oraclelinux", "busybox", "windows", "centos", "rocky", "alma"}
    for key, entry in image_facts.table()["images"].items():
        for part in [entry, *entry.get("variant", {}).values()]:
            assert part.get("os", "debian") in oses, key
            assert part.get("libc", "glibc") in ("glibc", "musl", "none"), key
            assert part.get("package_manager", "apt") in ("apt", "apk", "dnf", "microdnf", "yum", ""), key
            for name, uid in part.get("users", {}).items():
                assert isinstance(uid, int) and re.fullmatch(r"[a-z_][a-z0-9_-]*", name), (key, name)
            if "size_mb" in part:
                assert 0 <= part["size_mb"] < 2000, key


@pytest.mark.parametrize(
    ("ref", "os", "workdir", "user", "pm"),
    [
        ("golang:1.22", "debian", "/go", "root", "apt"),
        ("golang", "debian", "/go", "root", "apt"),
        ("golang:1.22-alpine3.19", "alpine", "/go", "root", "apk"),
        ("gradle:8.7-jdk17", "ubuntu", "/home/gradle", "root", "apt"),
        ("docker.io/library/node:20-alpine", "alpine", "/", "root", "apk"),
        ("gcr.io/distroless/static-debian12", "distroless", "/", "root", ""),
        ("gcr.io/distroless/static-debian12:nonroot", "distroless", "/home/nonroot", "nonroot", ""),
        ("composer:2", "alpine", "/app", "root", "apk"),
        ("php:8.3-apache", "debian", "/var/www/html", "root", "apt"),
        ("mambaorg/micromamba:1.5", "debian", "/tmp", "mambauser", "apt"),
    ],
)
def test_facts_by_reference(ref: str, os: str, workdir: str, user: str, pm: str) -> None:
    f = facts_for(ref)
    assert f is not None
    assert (f.os, f.workdir, f.user, f.package_manager) == (os, workdir, user, pm)


def test_users_env_toolchains_and_sizes() -> None:
    node = facts_for("node:20")
    assert node is not None and node.users["node"] == 1000 and "NODE_VERSION" in node.env
    distroless = facts_for("gcr.io/distroless/base-debian12")
    assert distroless is not None and distroless.users["nonroot"] == 65532 and distroless.has_shell is False
    sdk = facts_for("mcr.microsoft.com/dotnet/sdk:8.0")
    assert sdk is not None and sdk.toolchain == "dotnet" and sdk.users["app"] == 1654
    jre = facts_for("eclipse-temurin:17-jre")
    assert jre is not None and jre.toolchain == "" and "java" in jre.tools
    golang, static = facts_for("golang:1.22"), facts_for("gcr.io/distroless/static-debian12")
    assert golang is not None and static is not None
    assert golang.size_mb is not None and static.size_mb is not None and golang.size_mb > 50 * static.size_mb
    assert golang.size_text() == "≈ 290 MB" and facts_for("alpine:3.20").size_text() == "≈ 3.5 MB"  # type: ignore[union-attr]
    assert facts_for("example.com/team/app:1") is None


def test_facts_for_stage_follows_chains_and_args() -> None:
    doc = Dockerfile("ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine AS base\nFROM base AS build\nRUN go build\n")
    f = facts_for_stage(doc, doc.stages[1])
    assert f is not None and f.key == "golang" and f.os == "alpine" and f.image.tag == "1.22-alpine"
    doc = Dockerfile("ARG BASE\nFROM $BASE\n")
    assert facts_for_stage(doc, doc.stages[0]) is None


def test_the_table_the_server_reads_is_images_toml_parsed() -> None:
    # images.json is a parsed copy for speed; whichever is read, the facts are images.toml's.
    from importlib import resources

    from dockerfile_refactor_ls.engine import image_facts

    files = resources.files(image_facts.__package__)
    source = files.joinpath(image_facts.TABLE_SOURCE).read_bytes()
    image_facts.table.cache_clear()
    try:
        assert image_facts.table() == image_facts.parse_source(source)
    finally:
        image_facts.table.cache_clear()


@pytest.mark.parametrize(
    "mirrored",
    [
        "public.ecr.aws/docker/library/{}",
        "mirror.gcr.io/library/{}",
        "mcr.microsoft.com/mirror/docker/library/{}",
        "harbor.example.com/dockerhub/library/{}",
        "gitlab.example.com/grp/dependency_proxy/containers/{}",
    ],
)
@pytest.mark.parametrize("hub", ["golang:1.22-alpine", "node:20", "python:3.12-slim", "debian:bookworm-slim"])
def test_a_docker_hub_mirror_has_the_hub_images_facts(mirrored: str, hub: str) -> None:
    want, got = facts_for(hub), facts_for(mirrored.format(hub))
    assert want is not None and got is not None
    assert got.key == want.key and got.variants == want.variants
    for name in ("os", "libc", "workdir", "user", "users", "env", "package_manager", "toolchain", "size_mb"):
        assert getattr(got, name) == getattr(want, name), name
    # The same name elsewhere is another image, which the table does not know.
    assert facts_for("ghcr.io/acme/" + hub) is None
