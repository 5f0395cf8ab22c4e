"""splitStages reads the build context beside the Dockerfile: through the CLI and the language
server's documents, bounded, and mapped through the source COPYs."""

from __future__ import annotations

from pathlib import Path

from dockerfile_refactor_ls.documents import DocumentState
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import PositionEncoding
from dockerfile_refactor_ls.refactors.split_stages import analyse, explain
from dockerfile_refactor_ls.refactors.split_stages.analysis import builder_path
from dockerfile_refactor_ls.refactors.split_stages.context import BuildContext, context_for

GO_APP = 'FROM golang:1.22-bookworm\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nCMD ["app"]\n'


def _go_app(root: Path, cgo: bool) -> Path:
    (root / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    imports = 'import "C"\n' if cgo else 'import "fmt"\n'
    (root / "main.go").write_text(f"package main\n\n{imports}\nfunc main() {{}}\n")
    (root / "templates").mkdir()
    (root / "templates" / "index.html").write_text("<p>hi</p>\n")
    path = root / "Dockerfile"
    path.write_text(GO_APP)
    return path


def test_cli_passes_the_dockerfile_folder_as_context(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from dockerfile_refactor_ls import cli

    path = _go_app(tmp_path, cgo=False)
    assert cli.main(["fix", "--action", "splitStages", "--write", str(path)]) == 0
    out = path.read_text()
    assert "RUN CGO_ENABLED=0 go build" in out
    assert "FROM gcr.io/distroless/static-debian12" in out


def test_cgo_in_the_sources_keeps_glibc(tmp_path: Path) -> None:
    _go_app(tmp_path, cgo=True)
    doc = Dockerfile(GO_APP)
    doc.context_dir = str(tmp_path)
    plan = analyse(doc)
    assert plan.runtime is not None and plan.runtime.ref == "gcr.io/distroless/base-debian12"
    assert "CGO_ENABLED" not in "".join(e.new_text for e in plan.edits())


def test_without_a_context_nothing_is_guessed() -> None:
    plan = analyse(Dockerfile(GO_APP))
    assert plan.runtime is not None and plan.runtime.ref == "gcr.io/distroless/base-debian12"


def test_language_server_documents_carry_their_folder(tmp_path: Path) -> None:
    path = _go_app(tmp_path, cgo=False)
    state = DocumentState(path.as_uri(), GO_APP, 1, PositionEncoding.UTF16)
    assert state.model.context_dir == str(tmp_path)
    assert explain(state.model) is None
    assert DocumentState("untitled:Dockerfile", GO_APP, 1, PositionEncoding.UTF16).model.context_dir is None


def test_builder_paths_follow_the_source_copies() -> None:
    doc = Dockerfile(
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY cmd /src/cmd\nCOPY web/ /srv/web/\nCOPY . .\n"
        "RUN go build -o /app ./cmd/app\nCMD [\"/app\"]\n"
    )
    plan = analyse(doc)
    a = plan.a
    assert builder_path(a, len(a.ins), "templates", True) == "/src/templates"
    assert builder_path(a, 3, "cmd/app/main.go", False) == "/src/cmd/app/main.go"
    assert builder_path(a, 4, "web/index.html", False) == "/srv/web/index.html"
    assert builder_path(a, 2, "templates", True) is None  # not copied yet


def test_listing_is_bounded_and_skips_dependency_folders(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "index.js").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.go").write_text("package a\n")
    (tmp_path / ".dockerignore").write_text("# comment\nsecrets/\n")
    ctx = BuildContext(str(tmp_path))
    assert ctx.files() == [".dockerignore", "src/a.go"]
    assert ctx.ignored("secrets/key.pem") and not ctx.ignored("src")
    doc = Dockerfile("FROM golang\n")
    doc.context_dir = str(tmp_path)
    assert context_for(doc) is context_for(doc)
    assert not context_for(Dockerfile("FROM golang\n")).known
