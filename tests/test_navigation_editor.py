"""Navigation (engine.navigation) for what the editor tests of the Node server expect: words split
by an escaped newline, heredoc delimiters, and documents without FROM."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine import navigation as nav
from dockerfile_refactor_ls.engine.hover import hover
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span


def spans_text(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


SPLIT = "FROM alpine\nARG port=8080\nEXPOSE $po\\\nrt\nENV ab\\\nc=1\nRUN echo ${ab\\\nc}\n"


@pytest.mark.parametrize("needle", ["$po", "rt\n"])
def test_a_name_split_by_an_escaped_newline_is_one_use(needle: str) -> None:
    doc = Dockerfile(SPLIT)
    offset = SPLIT.index(needle) + 1
    assert spans_text(SPLIT, nav.definition(doc, offset)) == ["port"]
    assert spans_text(SPLIT, [s for s, _ in nav.highlights(doc, offset)]) == ["port", "po\\\nrt"]
    result = hover(doc, offset)
    assert result is not None and "`port`" in result.markdown


def test_split_declaration_and_braced_use() -> None:
    doc = Dockerfile(SPLIT)
    on_use = SPLIT.index("${ab") + 3
    assert spans_text(SPLIT, nav.definition(doc, on_use)) == ["ab\\\nc"]
    assert spans_text(SPLIT, nav.references(doc, on_use)) == ["ab\\\nc", "ab\\\nc"]


def test_rename_of_a_split_name_joins_it() -> None:
    doc = Dockerfile(SPLIT)
    offset = SPLIT.index("rt\n")
    prepared = nav.prepare_rename(doc, offset)
    assert prepared is not None and prepared[1] == "port"
    edits = nav.rename(doc, offset, "listen")
    out = SPLIT
    for e in sorted(edits, key=lambda e: -e.span.start):
        out = out[: e.span.start] + e.new_text + out[e.span.end :]
    assert "ARG listen=8080\nEXPOSE $listen\n" in out
    assert Dockerfile(out).var_refs[0].name == "listen"


def test_backtick_escape_splits_names_too() -> None:
    text = "# escape=`\nFROM alpine\nARG port=1\nEXPOSE $po`\nrt\n"
    doc = Dockerfile(text)
    assert spans_text(text, nav.definition(doc, text.index("rt\n"))) == ["port"]


HEREDOCS = 'FROM alpine\nRUN <<EOF cat <<-"END"\nls\nEOF\n\t\tEND\nCOPY <<conf /etc/app.conf\nkey=1\nconf\n'


@pytest.mark.parametrize(
    ("needle", "k", "name", "other"),
    [
        ("<<EOF", 2, "EOF", "EOF"),
        ("EOF\n\t", 0, "EOF", "EOF"),
        ('END"', 0, "END", "END"),
        ("\t\tEND", 2, "END", "END"),
        ("<<conf", 3, "conf", "conf"),
        ("\nconf\n", 1, "conf", "conf"),
    ],
)
def test_heredoc_marker_and_terminator_go_to_each_other(needle: str, k: int, name: str, other: str) -> None:
    doc = Dockerfile(HEREDOCS)
    offset = HEREDOCS.index(needle) + k
    target = nav.definition(doc, offset)
    assert spans_text(HEREDOCS, target) == [other]
    assert not target[0].contains(offset)
    marks = nav.highlights(doc, offset)
    assert spans_text(HEREDOCS, [s for s, _ in marks]) == [name, name]
    assert [w for _, w in marks] == [True, False]  # the marker opens, the terminator closes


def test_rename_heredoc_delimiter() -> None:
    doc = Dockerfile(HEREDOCS)
    edits = nav.rename(doc, HEREDOCS.index("<<EOF") + 3, "SCRIPT")
    assert spans_text(HEREDOCS, [e.span for e in edits]) == ["EOF", "EOF"]
    with pytest.raises(nav.RenameError, match="end it early"):
        nav.rename(doc, HEREDOCS.index("<<EOF") + 3, "ls")
    with pytest.raises(nav.RenameError, match="delimiter"):
        nav.rename(doc, HEREDOCS.index("<<EOF") + 3, "two words")
    # <<- strips leading tabs from the body before comparing with the delimiter.
    with pytest.raises(nav.RenameError, match="end it early"):
        nav.rename(Dockerfile('FROM a\nRUN <<-"X"\n\tls\nX\n'), len("FROM a\nRUN <<-\"") , "ls")


def test_unterminated_heredoc_has_only_its_marker() -> None:
    text = "FROM alpine\nRUN <<EOF\nls\n"
    doc = Dockerfile(text)
    offset = text.index("EOF")
    assert nav.definition(doc, offset) == []
    assert spans_text(text, [s for s, _ in nav.highlights(doc, offset)]) == ["EOF"]


def test_document_without_from_still_navigates() -> None:
    text = "ARG VERSION=1\nENV HOME_DIR=/app\nRUN echo $VERSION $HOME_DIR\n"
    doc = Dockerfile(text)
    assert spans_text(text, nav.definition(doc, text.index("$HOME_DIR") + 1)) == ["HOME_DIR"]
    assert spans_text(text, nav.references(doc, text.index("$VERSION") + 1)) == ["VERSION", "VERSION"]
    edits = nav.rename(doc, text.index("HOME_DIR"), "ROOT")
    assert len(edits) == 2
