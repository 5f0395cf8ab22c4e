"""crossPlatformBuilder: goldens (with the build-context files that rule cgo out), the guarantees
(BuildKit parses the result, the stage that ships keeps its platform, only insertions and the values
of GOOS/GOARCH change, not offered twice, no new diagnostics) and where it is not offered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.refactors import cross_platform_builder as cp
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import plan_or_reason, refactoring_named, resolving
from dockerfile_refactor_ls.rules.analysis import diagnose

from ._golden import GOLDEN_ROOT, read

GOLDEN = GOLDEN_ROOT / "cross_platform_builder"
CASES = sorted(p.name.removesuffix(".in.Dockerfile") for p in GOLDEN.glob("*.in.Dockerfile"))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "refactorings" / "cross-platform-builder.md"
GO_MOD = {"go.mod": "module example.com/app\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"}


def in_context(root: Path, text: str, files: dict[str, str] | None) -> Dockerfile:
    doc = Dockerfile(text)
    if files is not None:
        for rel, content in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(content)
        (root / "Dockerfile").write_bytes(text.encode())
        doc.context_dir, doc.file_name = str(root), "Dockerfile"
    return doc


def case_doc(root: Path, case: str, text: str | None = None) -> Dockerfile:
    ctx = GOLDEN / f"{case}.context.json"
    files = json.loads(ctx.read_text()) if ctx.exists() else None
    return in_context(root, read(GOLDEN / f"{case}.in.Dockerfile") if text is None else text, files)


def outcome(doc: Dockerfile) -> RefactorResult | NotApplicable:
    return plan_or_reason(cp.REFACTORING, doc, None)


def test_registered() -> None:
    ref = refactoring_named("crossPlatformBuilder")
    assert ref is cp.REFACTORING and ref.kind == "refactor.rewrite.crossPlatformBuilder"


def _codes(text: str) -> set[str]:
    return {f.code for f in diagnose(Dockerfile(text), Settings())}


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path) -> None:
    doc = case_doc(tmp_path, case)
    result = outcome(doc)
    assert isinstance(result, RefactorResult), result
    out = apply_edits(doc.text, result.edits)
    assert out == read(GOLDEN / f"{case}.out.Dockerfile")
    dockerfile.parse_string(out)  # BuildKit's parser accepts it
    new = Dockerfile(out)
    # The builder's chain starts on the build platform; the stage that ships keeps the target's.
    assert new.final_stage is not None and new.final_stage.platform is None
    moved = [s for s in new.stages if s.platform is not None]
    assert moved and all(s.platform.value == "$BUILDPLATFORM" for s in moved if s.platform)
    # Every go build cross-compiles, and the stage that runs it declares the variables.
    for stage in new.stages:
        builds = cp.go_builds(new, stage)
        assert not isinstance(builds, str)
        for b in builds:
            assert {k: v for k, (v, _) in b.values.items() if k != "CGO_ENABLED"} == {
                "GOOS": "$TARGETOS",
                "GOARCH": "$TARGETARCH",
            }
            assert {"TARGETOS", "TARGETARCH"} <= {a.name for a in stage.args}
        # Every cargo build/install builds for the target the setup RUN before it wrote, and a build's
        # artifacts are copied back to where the stages that copy them look.
        cargo = cp.rust_builds(new, stage)
        assert not isinstance(cargo, str)
        for c in cargo:
            assert c.targeted
            text = new.text[c.ins.args_span.start : c.ins.span.end]
            assert text.startswith(f". {cp.RUST_ENV_FILE} && ")
            if c.profile is not None:
                assert f'find "target/$RUST_TARGET/{c.profile}" -maxdepth 1 -type f -exec cp -p -t target/{c.profile}/' in text
        if cargo:
            # Exactly one set-up RUN, writing the file, in this stage (before its cargo) or in one it is
            # built FROM; the stage that runs it declares the variables it reads.
            chain = [stage, *cp._bases(new, stage)]
            setups = [(s, i) for s in chain for i in s.instructions
                      if i.cmd == "run" and f">{cp.RUST_ENV_FILE}" in new.text[i.span.start : i.span.end]]
            assert len(setups) == 1
            owner, setup = setups[0]
            assert owner is not stage or setup.span.start < cargo[0].ins.span.start
            assert {"TARGETARCH", "TARGETVARIANT"} <= {a.name for a in owner.args if a.instruction.span.start < setup.span.start}
    # Only insertions, and GOOS/GOARCH values replaced; line endings kept.
    assert all(len(e.span) == 0 or e.new_text in ("$TARGETOS", "$TARGETARCH", "$BUILDPLATFORM") for e in result.edits)
    if "\r\n" in doc.text:
        assert out.count("\n") == out.count("\r\n")
    else:
        assert "\r" not in out
    assert _codes(out) <= _codes(doc.text)  # no new diagnostic
    # Not offered again on its own result.
    again = outcome(case_doc(tmp_path, case, out))
    assert isinstance(again, NotApplicable) and again.reason in {cp.PLATFORM_SET.format(stage=s.label) for s in moved}


RUST = "FROM rust:1.80 AS b\nRUN cargo build --release\nFROM debian:12-slim\nCOPY --from=b /t /t\n"
STATIC_GO = "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n"
FRONTEND = ("FROM node:20 AS fe\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
            "FROM nginx:1.30\nCOPY --from=fe /app/dist /usr/share/nginx/html\n")


@pytest.mark.parametrize(
    ("text", "files", "reason"),
    [
        ("", None, cp.NO_STAGE),
        ("FROM alpine:3.20\nRUN echo hi\n", None, cp.NO_BUILD),
        ("FROM golang:1.22\nRUN CGO_ENABLED=0 go build -o /app .\n", None, cp.FINAL.format(stage="stage 0")),
        (
            "FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM b AS runtime\n",
            None,
            cp.FINAL.format(stage="b"),
        ),
        (STATIC_GO.replace("FROM golang", "FROM --platform=$TARGETPLATFORM golang"), None, cp.PLATFORM_SET.format(stage="build")),
        (STATIC_GO.replace("golang:1.22", "alpine:3.20"), None, cp.NOT_GO_IMAGE.format(stage="build")),
        (
            STATIC_GO.replace("RUN CGO", "RUN apt-get update && apt-get install -y libsqlite3-dev\nRUN CGO"),
            None,
            cp.CGO.format(stage="build", why="installs libsqlite3-dev"),
        ),
        (STATIC_GO.replace("AS build\n", "AS build\nENV CGO_ENABLED=1\n"), None, cp.CGO.format(stage="build", why="ENV CGO_ENABLED=1")),
        (
            STATIC_GO.replace("go build", "go build -race"),
            None,
            cp.CGO.format(stage="build", why="a -race/-msan/-asan or external-linking build"),
        ),
        (STATIC_GO.replace("go build -o /app", "go install"), None, cp.GO_INSTALL.format(stage="build")),
        (STATIC_GO.replace("RUN CGO_ENABLED=0 go build -o /app .", 'RUN ["go", "build", "-o", "/app", "."]'), None,
         cp.UNREADABLE.format(stage="build")),
        (STATIC_GO.replace("GOOS", "x").replace("CGO_ENABLED=0", "GOOS=$MYOS"), None, cp.UNREADABLE.format(stage="build")),
        (STATIC_GO.replace("CGO_ENABLED=0 ", ""), None, cp.CGO_UNKNOWN),
        (
            STATIC_GO.replace("CGO_ENABLED=0 ", ""),
            {**GO_MOD, "c.go": 'package main\n\n// int one() { return 1; }\nimport "C"\n'},
            cp.CGO_SOURCES,
        ),
        (RUST.replace("rust:1.80", "rust:1.80-alpine"), None, cp.RUST_MUSL.format(stage="b")),
        (RUST.replace("rust:1.80", "debian:12"), None, cp.NOT_RUST_IMAGE.format(stage="b")),
        (
            RUST.replace("RUN cargo", "RUN apt-get update && apt-get install -y libssl-dev pkg-config\nRUN cargo"),
            None,
            cp.RUST_C_LIBS.format(stage="b", packages="libssl-dev"),
        ),
        (RUST.replace("--release", "--release --target-dir /out"), None,
         cp.RUST_UNREADABLE.format(stage="b", why="--target-dir/--manifest-path put the artifacts elsewhere than ./target/")),
        (RUST.replace("--release", "--release --target x86_64-unknown-linux-musl"), None,
         cp.RUST_UNREADABLE.format(stage="b", why="it builds for --target x86_64-unknown-linux-musl already")),
        (RUST.replace("cargo build", "CARGO_TARGET_DIR=/out cargo build"), None,
         cp.RUST_UNREADABLE.format(stage="b", why="CARGO_TARGET_DIR/CARGO_BUILD_TARGET set on the command")),
        (RUST.replace("RUN cargo", "ENV CARGO_TARGET_DIR=/out\nRUN cargo"), None,
         cp.RUST_UNREADABLE.format(stage="b", why="ENV CARGO_TARGET_DIR")),
        (RUST.replace("cargo build --release", "cargo zigbuild --release"), None,
         cp.RUST_UNREADABLE.format(stage="b", why="cargo zigbuild picks its own targets")),
        (RUST.replace("--release", "--release 2>&1 | tee build.log"), None,
         cp.RUST_UNREADABLE.format(stage="b", why="cargo in a pipeline or with a redirection")),
        (RUST.replace("RUN cargo build --release", 'RUN ["cargo", "build", "--release"]'), None,
         cp.RUST_UNREADABLE.format(stage="b", why="exec form, heredoc or shell syntax it does not read")),
        # A trailing escape the tokenizer reads past the end of the shell text (found by fuzzing).
        ("# escape=`\nFROM rust:1.80 AS b\nRUN cargo build --release\\\nFROM debian:12-slim\nCOPY --from=b /t /t\n", None,
         cp.RUST_UNREADABLE.format(stage="b", why="exec form, heredoc or shell syntax it does not read")),
        ("FROM rust:1.80\nRUN cargo build --release\n", None, cp.FINAL.format(stage="stage 0")),
        (RUST + "COPY --from=b /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/\n", None,
         cp.NATIVE_FILES.format(stage="stage 1", path="/usr/lib/x86_64-linux-gnu/libssl.so.3", source="b")),
        (STATIC_GO.replace("AS build", "AS 1build"), None, cp.SYNTAX),
        (
            STATIC_GO + "COPY --from=build /usr/lib/x86_64-linux-gnu/libz.so.1 /usr/lib/\n",
            None,
            cp.NATIVE_FILES.format(stage="stage 1", path="/usr/lib/x86_64-linux-gnu/libz.so.1", source="build"),
        ),
        # A Node stage moves only when what leaves it is a bundle, and only when something copies it.
        (FRONTEND.replace("/app/dist", "/app/node_modules"), None,
         cp.FRONTEND_OUTPUT.format(stage="stage 1", path="/app/node_modules", source="fe")),
        (FRONTEND.replace("/app/dist", "/app"), None, cp.FRONTEND_OUTPUT.format(stage="stage 1", path="/app", source="fe")),
        (FRONTEND.replace("/app/dist", "/app/.next/standalone"), None,
         cp.FRONTEND_OUTPUT.format(stage="stage 1", path="/app/.next/standalone", source="fe")),
        (FRONTEND.replace("/app/dist", "/app/build/Release/addon.node"), None,
         cp.FRONTEND_OUTPUT.format(stage="stage 1", path="/app/build/Release/addon.node", source="fe")),
        (FRONTEND.split("FROM nginx")[0], None, cp.NO_BUILD),  # the Node stage is the image that ships
        (FRONTEND.replace("COPY --from=fe /app/dist /usr/share/nginx/html\n", "RUN true\n"), None, cp.NO_BUILD),
        (FRONTEND.replace("npm ci && npm run build", "npm ci"), None, cp.NO_BUILD),  # no bundler runs
        (FRONTEND.replace("node:20", "debian:12"), None, cp.NO_BUILD),
    ],
)
def test_not_offered(text: str, files: dict[str, str] | None, reason: str, tmp_path: Path) -> None:
    result = outcome(in_context(tmp_path, text, files))
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_cgo_free_sources_get_cgo_disabled(tmp_path: Path) -> None:
    text = STATIC_GO.replace("CGO_ENABLED=0 ", "")
    result = outcome(in_context(tmp_path, text, GO_MOD))
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    assert "RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\n" in out
    dockerfile.parse_string(out)


def test_every_reason_is_documented() -> None:
    page = " ".join(DOCS.read_text().replace("`", "").split())
    for reason in cp.REASONS:
        for part in reason.split("{"):
            words = part.split("}")[-1].strip(" :()")
            assert words in page, (reason, words)


def test_the_pages_example_is_real_output() -> None:
    blocks = re.findall(r"```dockerfile\n(.*?)```", DOCS.read_text(), re.S)
    assert len(blocks) == 6  # Go, Rust, then a Node front end with Go: before and after each
    for before, after in zip(blocks[::2], blocks[1::2], strict=True):
        result = outcome(Dockerfile(before))
        assert isinstance(result, RefactorResult)
        assert apply_edits(before, result.edits) == after


@pytest.mark.parametrize("case", ["constant_platform", "rust_constant_platform_lowercase_crlf_escape"])
def test_quick_fix_of_a_constant_platform_on_a_go_or_rust_builder_only(case: str) -> None:
    text = read(GOLDEN / f"{case}.in.Dockerfile")
    findings = [f for f in diagnose(Dockerfile(text), Settings()) if f.code in ("DL3029", "FromPlatformFlagConstDisallowed")]
    assert sorted(f.code for f in findings) == ["DL3029", "FromPlatformFlagConstDisallowed"]
    assert all(f.refactorable for f in findings)
    assert {r.name for r in resolving("DL3029")} == {r.name for r in resolving("FromPlatformFlagConstDisallowed")} == {
        "crossPlatformBuilder"
    }
    other = "FROM --platform=linux/amd64 alpine:3.20\nRUN echo hi\n"
    assert not any(f.refactorable for f in diagnose(Dockerfile(other), Settings()) if f.code == "DL3029")


def test_a_chain_it_cannot_read_beside_a_builder_is_left_as_it_is() -> None:
    text = (
        "FROM rust:1.80 AS tool\nRUN cargo zigbuild --release\n"
        "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n"
        "FROM alpine:3.20\nCOPY --from=tool /t /t\nCOPY --from=build /app /app\n"
    )
    result = outcome(Dockerfile(text))
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    assert out.startswith("FROM rust:1.80 AS tool\nRUN cargo zigbuild --release\n")
    assert "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n" in out
    # A go install in the same chain as the build refuses it.
    same_chain = text.replace("FROM alpine:3.20", "FROM build AS more\nRUN go install ./cmd/x\nFROM alpine:3.20")
    refused = outcome(Dockerfile(same_chain))
    assert isinstance(refused, NotApplicable) and refused.reason == cp.GO_INSTALL.format(stage="more")


def test_go_and_rust_builders_move_together() -> None:
    text = (
        "FROM rust:1.80 AS tool\nRUN cargo build --release\n"
        "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n"
        "FROM alpine:3.20\nCOPY --from=tool /target/release/t /t\nCOPY --from=build /app /app\n"
    )
    result = outcome(Dockerfile(text))
    assert isinstance(result, RefactorResult)
    out = apply_edits(text, result.edits)
    dockerfile.parse_string(out)
    assert "FROM --platform=$BUILDPLATFORM rust:1.80 AS tool\n" in out
    assert "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n" in out
    assert "RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build" in out
    assert 'cargo build --target "$RUST_TARGET" --release && mkdir -p target/release' in out
    assert result.title == "Cross-compile build, tool on $BUILDPLATFORM for $TARGETOS/$TARGETARCH"


def test_every_target_arch_maps_to_a_triple_and_debian_cross_packages() -> None:
    """The table the setup RUN is made from: Docker's TARGETARCH names, Rust's tier-1/2 Linux GNU
    triples, and Debian's architecture names (libc6-dev-<deb>-cross, gcc-<gnu>)."""
    arches = {pattern.split("|")[0].rstrip("*") for pattern, *_ in cp.RUST_TARGETS}
    assert arches == {"amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"}
    for _, rust, gnu, deb in cp.RUST_TARGETS:
        assert rust.endswith("-unknown-linux-gnu") or rust.endswith("-unknown-linux-gnueabihf")
        assert rust.split("-")[0].rstrip("gc").replace("armv7", "arm").replace("i686", "i686") == gnu.split("-")[0]
        assert deb in ("amd64", "arm64", "armhf", "i386", "ppc64el", "s390x", "riscv64")


def test_braced_target_variables_are_kept() -> None:
    text = STATIC_GO.replace("CGO_ENABLED=0 go build", "CGO_ENABLED=0 GOOS=${TARGETOS} go build")
    result = outcome(Dockerfile(text))
    assert isinstance(result, RefactorResult)
    assert "RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=$TARGETARCH go build -o /app .\n" in apply_edits(text, result.edits)


@pytest.mark.parametrize("run", ["npm run build", "yarn build", "pnpm run build", "npx vite build", "yarn run generate",
                                 "npm ci && ng build --configuration production"])
def test_a_front_end_bundle_moves_to_the_build_platform(run: str, tmp_path: Path) -> None:
    text = FRONTEND.replace("npm ci && npm run build", run)
    result = outcome(in_context(tmp_path, text, None))
    assert isinstance(result, RefactorResult), result
    out = apply_edits(text, result.edits)
    assert out == text.replace("FROM node:20", "FROM --platform=$BUILDPLATFORM node:20")
    assert "front-end stage fe" in result.title
    dockerfile.parse_string(out)


def test_a_front_end_that_cannot_move_stays_while_the_go_builder_moves(tmp_path: Path) -> None:
    # The Go runtime copies node_modules out of the Node stage: that chain keeps the target platform.
    text = ("FROM node:20 AS fe\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n" + STATIC_GO
            + "COPY --from=fe /app/node_modules /node_modules\n")
    result = outcome(in_context(tmp_path, text, None))
    assert isinstance(result, RefactorResult), result
    out = apply_edits(text, result.edits)
    assert "FROM node:20 AS fe\n" in out and "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n" in out
    assert "front-end" not in result.title


@pytest.mark.parametrize(
    ("path", "bundle"),
    [("/app/dist", True), ("dist/", True), ("/app/build", True), ("/app/out/", True), ("/app/public/index.html", True),
     ("/app/frontend/dist/assets", True), ("/app/main.js", True), ("/app", False), (".", False),
     ("/app/node_modules", False), ("/app/dist/node_modules/x", False), ("/app/.next/standalone", False),
     ("/app/build/Release/addon.node", False), ("/app/server", False)],
)
def test_bundle_paths(path: str, bundle: bool) -> None:
    assert cp.is_bundle_path(path) is bundle
