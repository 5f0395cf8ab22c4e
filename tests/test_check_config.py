"""BuildKit's ``# check=`` configuration (engine/check_config.py), from linter.ParseLintOptions and
WithMergedConfigFromComments."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.check_config import (
    CheckConfig,
    CheckOptionError,
    comment_blocks,
    document_checks,
    parse_check_options,
)
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.rules.analysis import diagnose


def test_parse_options() -> None:
    cfg = parse_check_options(" skip = A, B ; error=true;experimental=all ")
    assert cfg == CheckConfig(skip=frozenset({"A", "B"}), experimental_all=True, error=True)
    assert parse_check_options("skip=all").skip_all
    assert parse_check_options("") == CheckConfig()
    assert parse_check_options("error=0").error is False


@pytest.mark.parametrize("value", ["skip", "foo=1", "error=yes", "skip=A;bogus=1"])
def test_invalid_options(value: str) -> None:
    with pytest.raises(CheckOptionError):
        parse_check_options(value)


def test_reports() -> None:
    cfg = CheckConfig(skip_all=True, experimental=frozenset({"X"}))
    assert not cfg.reports("A", experimental=False)
    assert cfg.reports("X", experimental=True)  # skip does not reach experimental checks
    assert not cfg.reports("Y", experimental=True)


def test_comment_blocks_follow_buildkit() -> None:
    text = (
        "# check=skip=A\n"  # the file's directive, not a comment of the first instruction
        "# about base\n"
        "FROM alpine AS base\n"
        "# dropped\n"
        "#\n"  # an empty comment restarts the block
        "# one\n"
        "\n"  # a blank line does not
        "# two\n"
        "RUN a\n"
        "RUN b\n"
    )
    doc = Dockerfile(text)
    blocks = comment_blocks(doc)
    starts = {ins.cmd + str(i): ins.span.start for i, ins in enumerate(doc.instructions)}
    assert blocks == {starts["from0"]: ["about base"], starts["run1"]: ["one", "two"]}


def test_first_check_comment_counts_and_value_ends_at_a_space() -> None:
    text = "FROM alpine\n# check=skip=JSONArgsRecommended // why\n# check=skip=all\nCMD run me\n"
    checks = document_checks(Dockerfile(text))
    (cfg,) = checks.per_instruction.values()
    assert cfg.skip == frozenset({"JSONArgsRecommended"}) and not cfg.skip_all


def test_invalid_file_directive_is_reported_and_skips_nothing() -> None:
    doc = Dockerfile("# check=skip=JSONArgsRecommended;oops=1\nFROM alpine\nCMD run me\n")
    assert document_checks(doc).error == 'failed to parse check options: invalid check option "oops"'
    codes = [f.code for f in diagnose(doc, Settings())]
    assert "JSONArgsRecommended" in codes


def test_comment_merges_with_the_file_directive() -> None:
    text = "# check=skip=MaintainerDeprecated\nFROM alpine\n# check=skip=JSONArgsRecommended\nCMD a b\nMAINTAINER me\nCMD c d\n"
    codes = [f.code for f in diagnose(Dockerfile(text), Settings()) if f.code in ("MaintainerDeprecated", "JSONArgsRecommended")]
    assert codes == ["JSONArgsRecommended"]  # the second CMD only


def test_error_true_is_not_merged_from_comments() -> None:
    text = "FROM alpine\n# check=error=true\nCMD a b\n"
    (f,) = [f for f in diagnose(Dockerfile(text), Settings()) if f.code == "JSONArgsRecommended"]
    assert f.severity.name == "WARNING"


def test_invalid_file_directive_is_a_syntax_error() -> None:
    text = "# check=skip=A;oops=1\nFROM alpine\n"
    (f,) = [f for f in diagnose(Dockerfile(text), Settings()) if f.code == "syntax-error"]
    assert text[f.span.start : f.span.end] == "skip=A;oops=1"
    assert f.message == 'failed to parse check options: invalid check option "oops"'
