from pathlib import Path

from ...cli import main
from ...engine.model import Dockerfile
from ..base import RuleContext
from ..registry import rule_by_code


def _flagged(text: str, dockerignore: str) -> list[str]:
    rule = rule_by_code("CopyIgnoredFile")
    assert rule is not None
    return [f.message for f in rule.check(RuleContext(Dockerfile(text), dockerignore=dockerignore))]


def test_excluded_file() -> None:
    assert _flagged("FROM alpine\nCOPY production.env /etc/app/\n", "*.env\n") == [
        'Attempting to Copy file "production.env" that is excluded by .dockerignore'
    ]


def test_parent_directory_pattern_and_double_star() -> None:
    assert _flagged("FROM alpine\nCOPY node_modules/x/y.js /\n", "node_modules\n") != []
    assert _flagged("FROM alpine\nADD logs/a/b.log /\n", "**/*.log\n") == [
        'Attempting to Add file "logs/a/b.log" that is excluded by .dockerignore'
    ]


def test_re_include() -> None:
    ignore = "*.md\n!README.md\n"
    assert _flagged("FROM alpine\nCOPY README.md /\n", ignore) == []
    assert len(_flagged("FROM alpine\nCOPY CHANGES.md /\n", ignore)) == 1
    # A directory with a re-included file inside is not entirely excluded.
    assert _flagged("FROM alpine\nCOPY docs /docs\n", "docs\n!docs/keep.txt\n") == []


def test_later_patterns_override_earlier() -> None:
    assert _flagged("FROM alpine\nCOPY a.txt /\n", "!a.txt\n*.txt\n") != []


def test_not_checked() -> None:
    ignore = "*\n"
    for line in (
        "COPY --from=build /app /app",
        "COPY $SRC /app",
        "ADD https://example.com/x.tgz /",
        "ADD git@github.com:acme/app.git /src",
        "COPY <<EOF /x\nhi\nEOF",
    ):
        assert _flagged(f"FROM alpine\n{line}\n", ignore) == [], line


def test_comments_and_leading_slash_in_patterns() -> None:
    assert len(_flagged("FROM alpine\nCOPY ./secret.key /\n", "# keys\n/secret.key\n")) == 1


def test_cli_reads_the_dockerfile_specific_ignore_file(tmp_path: Path, capsys: object) -> None:
    (tmp_path / "api.Dockerfile").write_text("FROM alpine:3.20\nCOPY a.txt /a.txt\n")
    (tmp_path / ".dockerignore").write_text("b.txt\n")
    (tmp_path / "api.Dockerfile.dockerignore").write_text("a.txt\n")
    main(["check", "--exit-zero", str(tmp_path / "api.Dockerfile")])
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert 'CopyIgnoredFile Attempting to Copy file "a.txt" that is excluded by .dockerignore' in out
