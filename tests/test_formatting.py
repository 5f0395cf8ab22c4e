"""Formatting (engine.formatting, features/formatting).

The corpus test is the contract: every file, formatted, must parse with BuildKit (PyPI
``dockerfile``) to the same instructions (same keywords, flags, values, heredocs and line numbers).
The only allowed difference is blank between words of a shell-form command (continuation-line
indentation, which the shell ignores), checked with ``shlex``: the words must stay the same.
"""

from __future__ import annotations

import shlex
import sys
from itertools import pairwise
from typing import Any

import dockerfile
import pytest
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.formatting import FormatOptions, format_document, format_range
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span

from .conftest import corpus_files, read_corpus, requires_corpus


def fmt(text: str, **options: Any) -> str:
    return apply_edits(text, format_document(Dockerfile(text), FormatOptions(**options)))


# -- what changes ---------------------------------------------------------------------------------


def test_keywords_upper_case_including_onbuild_payload_and_as() -> None:
    text = "from alpine as base\nrun echo hi\nonbuild copy . /app\nFrom base\n"
    assert fmt(text) == "FROM alpine AS base\nRUN echo hi\nONBUILD COPY . /app\nFROM base\n"


def test_blank_between_keyword_flags_and_arguments() -> None:
    text = "FROM\talpine   AS   base\n  RUN   --mount=type=cache,target=/c \t --network=none   make  all\n"
    assert fmt(text) == "FROM alpine AS base\nRUN --mount=type=cache,target=/c --network=none make  all\n"


def test_blank_before_a_continuation_after_the_keyword_or_a_flag() -> None:
    text = "FROM a\nRUN   \\\n    --mount=type=cache,target=/c    \\\n    make\n"
    assert fmt(text) == "FROM a\nRUN \\\n    --mount=type=cache,target=/c \\\n    make\n"


def test_copy_words_are_spaced_once_unless_quoted() -> None:
    assert fmt("FROM a\nCOPY   a    b   /dst/\n") == "FROM a\nCOPY a b /dst/\n"
    assert fmt('FROM a\nCOPY "a  b"   /dst/\n') == 'FROM a\nCOPY "a  b"   /dst/\n'


def test_continuation_lines_keep_their_relative_indentation() -> None:
    text = (
        "FROM a\n"
        "RUN set -eux; \\\n"
        "  if [ -f x ]; then \\\n"
        "      echo yes; \\\n"
        "  fi\n"
    )
    assert fmt(text) == (
        "FROM a\n"
        "RUN set -eux; \\\n"
        "    if [ -f x ]; then \\\n"
        "        echo yes; \\\n"
        "    fi\n"
    )
    assert fmt(text, tab_size=2) == (
        "FROM a\n"
        "RUN set -eux; \\\n"
        "  if [ -f x ]; then \\\n"
        "      echo yes; \\\n"
        "  fi\n"
    )
    assert fmt(text, tab_size=4, insert_spaces=False) == (
        "FROM a\n"
        "RUN set -eux; \\\n"
        "\tif [ -f x ]; then \\\n"
        "\t\techo yes; \\\n"
        "\tfi\n"
    )


def test_comment_lines_inside_continuations_follow_the_indentation() -> None:
    text = "FROM a\nRUN a \\\n# why b\n\t\tb\n"
    assert fmt(text) == "FROM a\nRUN a \\\n    # why b\n    b\n"


def test_key_value_continuations() -> None:
    text = "FROM a\nENV A=1 \\\n B=\"two  words\" \\\n\t\tC=3\nARG X=1 \\\n        Y=2\n"
    assert fmt(text) == "FROM a\nENV A=1 \\\n    B=\"two  words\" \\\n           C=3\nARG X=1 \\\n    Y=2\n"


def test_trailing_whitespace() -> None:
    text = "FROM a   \nRUN echo hi \\  \n    there\t\n\n   \n# note  \n"
    assert fmt(text) == "FROM a\nRUN echo hi \\\n    there\n\n\n# note\n"
    assert fmt(text, trim_trailing_whitespace=False) == text


def test_final_newlines() -> None:
    assert fmt("FROM a", insert_final_newline=True) == "FROM a\n"
    assert fmt("FROM a\r\nRUN x", insert_final_newline=True) == "FROM a\r\nRUN x\r\n"
    assert fmt("FROM a\n\n\n  \n", trim_final_newlines=True) == "FROM a\n"
    assert fmt("FROM a\n\n\n", trim_final_newlines=False) == "FROM a\n\n\n"
    assert fmt("FROM a\n  ", insert_final_newline=True) == "FROM a\n"


def test_crlf_is_kept() -> None:
    assert fmt("from a  \r\nrun x \\\r\n  y\r\n") == "FROM a\r\nRUN x \\\r\n    y\r\n"


# -- what never changes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Heredoc bodies and terminators, indentation and trailing blanks included.
        "FROM a\nRUN <<EOF\n  echo hi   \n\tEOF  \nEOF\n",
        "FROM a\nCOPY <<-EOT /x\n\t  keep   \n\tEOT\n",
        # JSON arrays, even spread over lines.
        'FROM a\nCMD ["python", \\\n     "app.py"]\n',
        # Quotes spanning a line break: the indentation is part of the string.
        'FROM a\nRUN echo "a \\\n      b"\n',
        "FROM a\nRUN echo 'it \\\n      is'\n",
        # A line glued to the previous one (no blank on either side): indenting would split a word.
        "FROM a\nRUN echo abc\\\ndef\n",
        # The value is the rest of the line: old ENV form, WORKDIR, USER...
        "FROM a\nENV MSG hello \\\n      world\n",
        "FROM a\nWORKDIR /a \\\n  b\n",
        # Instructions BuildKit rejects are left alone.
        "FROM a\nrun   <<EOF\nunterminated\n",
        "FROM a\nCOPY   [1]   /x\n",
        "FROM a\nfoo   bar\n",
        # A comment's text and a directive-like comment's trailing blank.
        "#escape= \nFROM a\n",
        "# keep    inner   spacing\nFROM a\n",
        # Already formatted.
        "# syntax=docker/dockerfile:1\nFROM a AS b\nRUN x \\\n    && y\n",
        "",
    ],
)
def test_left_alone(text: str) -> None:
    assert format_document(Dockerfile(text)) == []


def test_edits_are_minimal_and_disjoint() -> None:
    text = "from  a\nrun x \\\n  y   \n"
    edits = format_document(Dockerfile(text))
    assert [(text[e.span.start : e.span.end], e.new_text) for e in edits] == [
        ("from", "FROM"),
        ("  ", " "),
        ("run", "RUN"),
        ("  ", "    "),
        ("   ", ""),
    ]
    for a, b in pairwise(edits):
        assert a.span.end <= b.span.start


def test_range_formatting_touches_only_the_instructions_in_range() -> None:
    text = "from a\nrun x \\\n  y\nrun  z  \n"
    doc = Dockerfile(text)
    line2 = text.index("  y")
    edits = format_range(doc, Span(line2, line2 + 1))  # inside the continued RUN
    assert apply_edits(text, edits) == "from a\nRUN x \\\n    y\nrun  z  \n"
    assert format_range(doc, Span(0, 0)) == [e for e in format_document(doc) if e.span.end <= 6]


# -- the contract, on the corpus ---------------------------------------------------------------

_SHELL_FORM = {"run", "cmd", "entrypoint", "shell", "healthcheck"}


def _values(cmd: str, is_json: bool, values: tuple[str, ...]) -> tuple[Any, ...]:
    if cmd == "from" and len(values) == 3 and values[1].lower() == "as":
        return (values[0], "as", values[2])  # AS is read case-insensitively
    if cmd in _SHELL_FORM and not is_json:
        out: list[Any] = []
        for v in values:
            # A backslash that ends the script escapes nothing: sh keeps it as a backslash, where
            # shlex refuses it ("No escaped character"); read it as an escaped backslash.
            trailing = len(v) - len(v.rstrip("\\"))
            words = v + "\\" if trailing % 2 else v
            try:
                out.append(tuple(shlex.split(words)))
            except ValueError:
                out.append(v)  # shlex cannot read it (an open quote): it must not have changed at all
        return tuple(out)
    return values


def buildkit_reading(text: str) -> list[tuple[Any, ...]] | str:
    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return f"error: {exc}"
    return [
        (
            (c.cmd or "").lower(),
            (c.sub_cmd or "").lower(),
            c.json,
            c.start_line,
            c.end_line,
            tuple(c.flags),
            _values((c.sub_cmd or c.cmd or "").lower(), c.json, tuple(c.value)),
            tuple((h.name, h.file_descriptor, h.content) for h in c.heredocs),
        )
        for c in cmds
    ]


@requires_corpus
@pytest.mark.parametrize(
    "options",
    [
        FormatOptions(),
        FormatOptions(tab_size=2, insert_spaces=False, insert_final_newline=True, trim_final_newlines=True),
    ],
    ids=["defaults", "tabs-and-final-newlines"],
)
def test_corpus_formatting_keeps_buildkit_reading_and_is_idempotent(options: FormatOptions) -> None:
    files = corpus_files()
    changed = 0
    problems: list[str] = []
    for path in files:
        text = read_corpus(path)
        edits = format_document(Dockerfile(text), options)
        out = apply_edits(text, edits)
        if out != text:
            changed += 1
        before, after = buildkit_reading(text), buildkit_reading(out)
        if isinstance(before, str):
            if not isinstance(after, str):
                problems.append(f"{path.name}: BuildKit rejected the original but accepts the formatted file")
        elif before != after:
            first = next((f"{b} != {a}" for b, a in zip(before, after, strict=False) if b != a), "length")
            problems.append(f"{path.name}: {first}")
        if apply_edits(out, format_document(Dockerfile(out), options)) != out:
            problems.append(f"{path.name}: not idempotent")
    print(f"formatting: {len(files)} files, {changed} changed, {len(problems)} problems")
    assert not problems, "\n".join(problems[:20])
    assert changed > 300


# Dockerfile-shaped pieces for property tests (keywords, blanks, escapes, heredocs, quotes, JSON).
FRAGMENTS = [
    "FROM", "from", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK", "CMD",
    "WORKDIR", "USER", "EXPOSE", "VOLUME", "SHELL", "FOO", " ", "  ", "\t", "\\", "`", "\n", "\r\n",
    "\\\n", "`\n", "#", "# escape=`\n", "<<EOF", "<<-EOF", '<<"EOF"', "EOF\n", "\tEOF\n", "--from=a",
    '--chown="a b"', "=", "a=b", 'a="b c"', "'q'", '"', "'", "[", "]", '["a", "b"]', "$A", "${A:-b}",
    "AS", "x", "y z", "\x0b", ",",
]

_MORE = [
    "from a as b\n", "run a \\\n", "  b \\\n", "\tc\n", "ARG X=1 \\\n  Y=2\n", 'CMD ["a", \\\n',
    '  "b"]\n', 'RUN echo "a \\\n', "run  ", "COPY  a   b\n", "é", "\xa0", "# x  \n", "\r", "#escape=",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(FRAGMENTS + _MORE), st.sampled_from(["", " ", "  ", "\n"])), max_size=25),
    st.booleans(),
)
def test_random_text_formatting_keeps_buildkit_reading(parts: list[tuple[str, str]], extras: bool) -> None:
    text = "".join(a + b for a, b in parts)
    options = FormatOptions(tab_size=2, insert_spaces=False, insert_final_newline=True, trim_final_newlines=True) if extras else FormatOptions()
    out = apply_edits(text, format_document(Dockerfile(text), options))
    before, after = buildkit_reading(text), buildkit_reading(out)
    assert before == after or (isinstance(before, str) and isinstance(after, str))
    assert apply_edits(out, format_document(Dockerfile(out), options)) == out


# -- end to end ----------------------------------------------------------------------------------


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def test_lsp_formatting(client: LanguageClient) -> None:
    uri = "file:///tmp/drls-formatting/Dockerfile"
    text = "from a\nrun x \\\n  y\nrun  z  \n"
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)
        )
    )
    doc = lsp.TextDocumentIdentifier(uri=uri)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=doc, options=lsp.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert edits is not None
    assert [(e.range.start.line, e.range.start.character, e.range.end.character, e.new_text) for e in edits] == [
        (0, 0, 4, "FROM"),
        (1, 0, 3, "RUN"),
        (3, 0, 3, "RUN"),
        (3, 3, 5, " "),
        (3, 6, 8, ""),
    ]
    ranged = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(
            text_document=doc,
            range=lsp.Range(start=lsp.Position(line=3, character=0), end=lsp.Position(line=3, character=1)),
            options=lsp.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert ranged is not None and {e.range.start.line for e in ranged} == {3}
    other = lsp.TextDocumentIdentifier(uri="file:///tmp/drls-formatting/unknown")
    assert await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=other, options=lsp.FormattingOptions(tab_size=4, insert_spaces=True))
    ) is None
