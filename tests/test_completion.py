"""Completion (engine.completion): continuation lines, flags without ``--``, directives, rule ids,
predefined ARGs, WORKDIR destinations and documents without FROM."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.completion import CompletionItem, complete
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.rules.registry import all_rules


def items_at(text_with_cursor: str, snippets: bool = False) -> list[CompletionItem]:
    offset = text_with_cursor.index("|")
    text = text_with_cursor.replace("|", "", 1)
    return complete(Dockerfile(text), offset, snippets=snippets, rules=all_rules())


def labels(text_with_cursor: str) -> list[str]:
    return [i.label for i in items_at(text_with_cursor)]


COPY_FLAGS = ["--from", "--chown", "--chmod", "--link", "--parents", "--exclude"]


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY \\\n|",
        "FROM a\nCOPY \\\n  |",
        "FROM a\nCOPY \\\n  --|",
        "FROM a\nCOPY \\\n# a comment line inside the continuation\n  |",
        "FROM a\nCOPY --link \\\n\n  |",  # a blank continuation line: BuildKit warns and goes on
    ],
)
def test_a_continuation_line_continues_the_instruction(text: str) -> None:
    got = labels(text)
    assert "RUN" not in got and "FROM" not in got  # not a new instruction
    assert set(got) <= set(COPY_FLAGS) and "--from" in got


def test_a_line_after_a_finished_instruction_starts_a_new_one() -> None:
    assert "RUN" in labels("FROM a\nCOPY a b\n|")
    # An escaped escape is no continuation.
    assert "RUN" in labels("FROM a\nRUN echo \\\\\n|")


def test_continuation_with_backtick_escape() -> None:
    assert labels("# escape=`\nFROM a\nCOPY `\n  |")[:1] == ["--from"]
    assert "RUN" in labels("# escape=`\nFROM a\nCOPY a b \\\n|")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM a\nCOPY |", COPY_FLAGS),
        ("FROM a\nADD |", ["--chown", "--chmod", "--link", "--keep-git-dir", "--checksum", "--exclude", "--unpack"]),
        ("FROM a\nCOPY --link |", ["--from", "--chown", "--chmod", "--parents", "--exclude"]),
        (
            "FROM a\nHEALTHCHECK |",
            ["--interval", "--timeout", "--start-period", "--start-interval", "--retries", "CMD", "NONE"],
        ),
        ("FROM a\nhealthcheck --retries=3 |", ["--interval", "--timeout", "--start-period", "--start-interval", "cmd", "none"]),
    ],
)
def test_flags_are_offered_without_typing_dashes(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


def test_from_offers_stages_scratch_images_and_platform() -> None:
    got = items_at("FROM golang AS build\nFROM |")
    names = [i.label for i in got]
    assert names[:2] == ["build", "scratch"] and names[-1] == "--platform"
    assert {"alpine", "debian", "golang", "node", "python", "gcr.io/distroless/static-debian12"} <= set(names)
    # Sorted: stages, then scratch, then images (most common first), then the flag.
    ordered = sorted(got, key=lambda i: i.sort_text or "")
    assert [i.label for i in ordered] == names


def test_image_names_filter_by_prefix_and_tags_follow_the_colon() -> None:
    assert [i.label for i in items_at("FROM gcr.io/distroless/st|") if i.kind == "image"] == [
        "gcr.io/distroless/static-debian12",
        "gcr.io/distroless/static-debian13",
    ]
    tags = items_at("FROM golang:1.25-|")
    assert [i.label for i in tags] == ["1.25-alpine", "1.25-trixie", "1.25-bookworm"]
    text = "FROM golang:1.25-"
    assert text[tags[0].replace.start : tags[0].replace.end] == "1.25-"
    assert labels("FROM unknown-image:|") == []
    assert labels("FROM ${BASE}:|") == []


def test_healthcheck_cmd_snippet() -> None:
    cmd = next(i for i in items_at("FROM a\nHEALTHCHECK |", snippets=True) if i.label == "CMD")
    assert cmd.snippet and cmd.insert_text == "CMD ${1:command}"


def test_after_the_first_argument_flags_are_not_offered() -> None:
    assert not any(lbl.startswith("--") for lbl in labels("FROM a\nCOPY src |"))
    assert labels("FROM a\nHEALTHCHECK CMD |") == []


def test_predefined_proxy_args_after_dollar() -> None:
    got = items_at("FROM a\nRUN curl $|")
    names = {i.label: i.detail for i in got}
    for proxy in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ftp_proxy", "NO_PROXY", "ALL_PROXY"):
        assert proxy in names
        assert "proxy" in (names[proxy] or "")
    assert "TARGETARCH" in names


def test_proxy_args_are_not_offered_in_from() -> None:
    # In FROM only global ARGs and the automatic platform ARGs expand.
    got = labels("ARG V=1\nFROM alpine:$|")
    assert "V" in got and "HTTP_PROXY" not in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# |\nFROM a", ["syntax", "escape", "check"]),
        ("#|", ["syntax", "escape", "check"]),
        ("# sy|\nFROM a", ["syntax", "escape", "check"]),
        ("# syntax=docker/dockerfile:1\n# |\nFROM a", ["escape", "check"]),
    ],
)
def test_parser_directives_at_the_top(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


def test_directives_only_where_buildkit_reads_them() -> None:
    assert labels("FROM a\n# |") == []
    assert labels("# a comment\n# |\nFROM a") == []


def test_directive_snippets() -> None:
    got = {i.label: i for i in items_at("# |\nFROM a", snippets=True)}
    assert got["syntax"].insert_text == "syntax=${1:docker/dockerfile:1}"
    assert got["syntax"].replace.start == 2


def test_check_skip_offers_buildkit_check_names() -> None:
    got = labels("# check=skip=|\nFROM a")
    assert got[0] == "all"
    assert {"JSONArgsRecommended", "StageNameCasing", "UndefinedVar"} <= set(got)
    assert not any(lbl.startswith("DL") for lbl in got)
    after_comma = items_at("# check=skip=JSONArgsRecommended,Sta|\nFROM a")
    stage = next(i for i in after_comma if i.label == "StageNameCasing")
    text = "# check=skip=JSONArgsRecommended,Sta\nFROM a"
    assert text[stage.replace.start : stage.replace.end] == "Sta"


def test_hadolint_ignore_offers_rule_ids() -> None:
    got = labels("FROM a\n# hadolint ignore=|\nRUN x")
    assert "DL3008" in got and "syntax-error" not in got and "JSONArgsRecommended" not in got
    text = "FROM a\n# hadolint ignore=DL3008, DL30|\nRUN x"
    item = next(i for i in items_at(text) if i.label == "DL3015")
    clean = text.replace("|", "")
    assert clean[item.replace.start : item.replace.end] == "DL30"


def test_workdir_paths_as_copy_destination() -> None:
    text = "FROM a AS base\nWORKDIR /srv\nFROM base\nWORKDIR /app\nCOPY package.json |\n"
    assert labels(text) == ["/app/", "/srv/"]
    # Only for the last argument, and only those starting with what is typed.
    assert labels("FROM a\nWORKDIR /tmp\nCOPY a b| c\n") == []
    assert labels("FROM a\nWORKDIR /tmp\nWORKDIR /build\nCOPY a /b|") == ["/build/"]
    # A WORKDIR after the COPY does not count.
    assert labels("FROM a\nCOPY a |\nWORKDIR /late\n") == []
    # On a continuation line too.
    assert labels("FROM a\nWORKDIR /app\nCOPY a \\\n    |") == ["/app/"]


def test_fragment_without_from_gets_every_keyword_and_its_variables() -> None:
    got = items_at("ENV APP=/app\nRUN echo $|")
    assert "APP" in [i.label for i in got]
    kws = items_at("ENV APP=/app\n|")
    names = [i.label for i in kws]
    assert {"RUN", "COPY", "FROM", "ARG"} <= set(names)
    ordered = sorted(kws, key=lambda i: i.sort_text or "")
    assert [i.label for i in ordered[:2]] == ["FROM", "ARG"]


def test_before_the_first_from_only_from_and_arg() -> None:
    assert labels("|\nFROM a\n") == ["FROM", "ARG"]


def _context(tree: dict[str, list[tuple[str, bool]]]):  # type: ignore[no-untyped-def]
    def lister(directory: str) -> list[tuple[str, bool]]:
        return tree.get(directory, [])

    return lister


CONTEXT = _context(
    {
        "": [(".env", False), ("go.mod", False), ("go.sum", False), ("cmd", True), ("README.md", False)],
        "cmd": [("server", True), ("main.go", False)],
    }
)


def _complete_with_context(text_with_cursor: str) -> list[CompletionItem]:
    offset = text_with_cursor.index("|")
    text = text_with_cursor.replace("|", "", 1)
    return complete(Dockerfile(text), offset, snippets=False, context=CONTEXT)


def test_copy_sources_from_the_build_context() -> None:
    got = _complete_with_context("FROM golang\nCOPY go|")
    assert [i.label for i in got] == ["go.mod", "go.sum"]
    assert [i.kind for i in got] == ["file", "file"]
    sub = _complete_with_context("FROM golang\nCOPY ./cmd/|")
    assert [i.label for i in sub] == ["server/", "main.go"]
    text = "FROM golang\nCOPY ./cmd/ma"
    item = _complete_with_context(text + "|")[0]
    assert text[item.replace.start : item.replace.end] == "ma"
    # Hidden files only when a dot is typed.
    assert ".env" not in [i.label for i in _complete_with_context("FROM golang\nCOPY |") if i.kind == "file"]
    assert [i.label for i in _complete_with_context("FROM golang\nCOPY .e|")] == [".env"]


def test_first_word_offers_flags_then_sources() -> None:
    got = _complete_with_context("FROM golang\nCOPY |")
    assert [i.label for i in got] == [*COPY_FLAGS, "go.mod", "go.sum", "cmd/", "README.md"]


def test_destination_position_offers_workdir_then_sources() -> None:
    got = _complete_with_context("FROM golang\nWORKDIR /src\nCOPY go.mod |")
    labels_ = [i.label for i in got]
    assert labels_[0] == "/src/"
    assert "go.sum" in labels_


def test_no_context_paths_where_they_cannot_be() -> None:
    # Another stage's files are not in the context: flags only.
    assert {i.kind for i in _complete_with_context("FROM golang\nCOPY --from=build |")} == {"flag"}
    assert {i.kind for i in _complete_with_context("FROM golang\nCOPY --from=build src |")} == set()
    assert _complete_with_context("FROM golang\nCOPY ../|") == []  # outside the context
    assert _complete_with_context("FROM golang\nCOPY /abs|") == []
    assert _complete_with_context('FROM golang\nCOPY ["|') == []


def test_mount_from_offers_stage_names_but_no_indexes() -> None:
    # A number in --mount from= is an image name to BuildKit; COPY --from=<n> is a stage index.
    assert labels("FROM golang AS build\nFROM alpine\nFROM alpine\nRUN --mount=from=|") == ["build"]
    assert labels("FROM golang AS build\nFROM alpine\nFROM alpine\nCOPY --from=|") == ["build", "1"]
    assert labels("FROM golang AS build\nFROM alpine\nRUN --mount=type=bind,from=|") == ["build"]
    assert "cache" in labels("FROM alpine\nRUN --mount=type=|")
