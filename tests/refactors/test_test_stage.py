"""testStage: goldens (a Dockerfile and the context files that decide the command), the guarantees
(BuildKit parses the result, the default target builds the same image, not offered twice), and
where it is not offered."""

from __future__ import annotations

import json
from pathlib import Path

import dockerfile
import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.refactors import add_test_stage as ts
from dockerfile_refactor_ls.refactors.base import NotApplicable, RefactorResult
from dockerfile_refactor_ls.refactors.registry import plan_or_reason, refactoring_named

GOLDEN = Path(__file__).parent / "golden" / "test_stage"
CASES = sorted(p.name.removesuffix(".in.Dockerfile") for p in GOLDEN.glob("*.in.Dockerfile"))
DOCS = Path(__file__).parents[2] / "docs" / "refactorings" / "test-stage.md"


def in_context(root: Path, text: str, files: dict[str, str]) -> Dockerfile:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content)
    (root / "Dockerfile").write_bytes(text.encode())
    doc = Dockerfile(text)
    doc.context_dir = str(root)
    doc.file_name = "Dockerfile"
    return doc


def case_doc(root: Path, case: str) -> Dockerfile:
    text = (GOLDEN / f"{case}.in.Dockerfile").read_bytes().decode()
    return in_context(root, text, json.loads((GOLDEN / f"{case}.context.json").read_text()))


def run(doc: Dockerfile) -> RefactorResult | NotApplicable:
    return plan_or_reason(ts.REFACTORING, doc, None)


def test_registered() -> None:
    assert refactoring_named("testStage") is ts.REFACTORING
    assert ts.REFACTORING.kind == "refactor.extract.testStage"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path) -> None:
    doc = case_doc(tmp_path, case)
    result = run(doc)
    assert isinstance(result, RefactorResult), result
    out = apply_edits(doc.text, result.edits)
    assert out == (GOLDEN / f"{case}.out.Dockerfile").read_bytes().decode()
    dockerfile.parse_string(out)  # BuildKit's parser accepts it
    new = Dockerfile(out)
    # The test stage is never the default target, and it builds on the builder.
    test = next(s for s in new.stages if s.key == "test")
    assert test is not new.final_stage and test.base_stage is not None
    # The default target is the image it was: the old final stage word for word, or an empty
    # stage FROM it.
    old_final = doc.final_stage
    assert old_final is not None and new.final_stage is not None
    if new.final_stage.instructions:
        assert [i.original for i in new.final_stage.instructions] == [i.original for i in old_final.instructions]
    else:
        assert new.final_stage.base_stage is not None
        assert new.final_stage.base_stage.index == old_final.index
    # CRLF stays CRLF; only insertions.
    assert ("\r\n" in out) == ("\r\n" in doc.text)
    assert all(len(e.span) == 0 for e in result.edits)
    # Not offered again on its own result.
    (tmp_path / "Dockerfile").write_text(out)
    new.context_dir, new.file_name = str(tmp_path), "Dockerfile"
    again = run(new)
    assert isinstance(again, NotApplicable) and again.reason == ts.HAS_TEST.format(name="test")


@pytest.mark.parametrize(
    ("files", "command"),
    [
        ({"package.json": '{"scripts": {"test": "echo \\"Error: no test specified\\" && exit 1"}}'}, None),
        ({"package.json": '{"scripts": {"test": "node --test"}}', "yarn.lock": ""}, "yarn test"),
        ({"package.json": "{}"}, None),
        ({"pyproject.toml": '[project.optional-dependencies]\ndev = ["pytest>=8", "ruff"]\n'}, "python -m pytest"),
        ({"requirements-dev.txt": "pytest-cov\n"}, None),
        ({"build.gradle.kts": "", "gradlew": ""}, "./gradlew test"),
        ({"pom.xml": ""}, "mvn -B test"),
    ],
)
def test_command_comes_from_the_context(files: dict[str, str], command: str | None, tmp_path: Path) -> None:
    doc = in_context(tmp_path, "FROM debian:12\nCOPY . /src\nRUN make\n", files)
    result = run(doc)
    if command is None:
        assert isinstance(result, NotApplicable) and result.reason == ts.NO_COMMAND
    else:
        assert isinstance(result, RefactorResult)
        assert f"RUN {command}\n" in apply_edits(doc.text, result.edits)


def test_the_builders_tool_wins(tmp_path: Path) -> None:
    doc = case_doc(tmp_path, "maven_from_stage")  # a package.json with a test script is there too
    result = run(doc)
    assert isinstance(result, RefactorResult)
    assert "RUN ./mvnw -B test\n" in apply_edits(doc.text, result.edits)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", ts.NO_STAGE),
        ("FROM golang:1.22 AS test\nRUN go test ./...\nFROM golang:1.22\nRUN go build\n", ts.HAS_TEST.format(name="test")),
        ("FROM golang:1.22\nONBUILD COPY . .\nRUN go build\n", ts.ONBUILD),
        ("FROM scratch AS b\nCOPY x /x\nFROM alpine\nCOPY --from=b /x /x\n", ts.SCRATCH),
        ("FROM golang:1.22\nRUN go build \\\n", ts.CONTINUATION),
    ],
)
def test_not_offered(text: str, reason: str, tmp_path: Path) -> None:
    result = run(in_context(tmp_path, text, {"go.mod": "module x\n"}))
    assert isinstance(result, NotApplicable) and result.reason == reason


def test_not_offered_without_a_context() -> None:
    result = run(Dockerfile("FROM golang:1.22\nCOPY . .\nRUN go build\n"))
    assert isinstance(result, NotApplicable) and result.reason == ts.NO_CONTEXT


def test_every_reason_is_documented() -> None:
    page = " ".join(DOCS.read_text().replace("`", "").split())  # reasons wrap across lines there
    for reason in ts.REASONS:
        assert reason.split("{")[0].strip() in page, reason
