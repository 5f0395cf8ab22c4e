"""Formatting as you type (engine.on_type): the line after a continuation is indented."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.formatting import FormatOptions
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.on_type import on_type_formatting


def typed(text_with_cursor: str, ch: str, options: FormatOptions | None = None) -> str:
    offset = text_with_cursor.index("|")
    text = text_with_cursor.replace("|", "", 1)
    return apply_edits(text, on_type_formatting(Dockerfile(text), offset, ch, options))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("FROM a\nRUN apt-get update && \\\n|", "FROM a\nRUN apt-get update && \\\n    "),
        # After a later continuation line: keep that line's indentation.
        ("FROM a\nRUN a \\\n      b \\\n|", "FROM a\nRUN a \\\n      b \\\n      "),
        # The client's own auto-indent is replaced by the continuation indent.
        ("FROM a\nRUN a \\\n  |", "FROM a\nRUN a \\\n    "),
        # Enter in the middle of a line: the moved text is indented.
        ("FROM a\nCOPY a \\\n|b /c/", "FROM a\nCOPY a \\\n    b /c/"),
    ],
)
def test_new_line_after_a_continuation_is_indented(before: str, after: str) -> None:
    assert typed(before, "\n") == after


def test_tabs_and_tab_size_follow_the_client() -> None:
    assert typed("FROM a\nRUN a \\\n|", "\n", FormatOptions(insert_spaces=False)) == "FROM a\nRUN a \\\n\t"
    assert typed("FROM a\nRUN a \\\n|", "\n", FormatOptions(tab_size=2)) == "FROM a\nRUN a \\\n  "


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN a\n|",  # no continuation
        "FROM a\nRUN <<EOF\nls \\\n|\nEOF\n",  # heredoc body: a script, left alone
        "FROM a\n# note \\\n|",  # a comment ending in a backslash continues nothing
        "FROM a\nRUN echo \\\\\n|",  # an escaped escape
        "FROM a\nRUN a \\\n    |",  # already right
    ],
)
def test_no_edit(text: str) -> None:
    assert typed(text, "\n") == text.replace("|", "")


def test_typing_the_escape_indents_the_next_line() -> None:
    assert typed("FROM a\nRUN a \\|\nb\n", "\\") == "FROM a\nRUN a \\\n    b\n"
    # Not in the middle of a line, and not when the next line is indented already.
    assert typed("FROM a\nRUN a \\| x\nb\n", "\\") == "FROM a\nRUN a \\ x\nb\n"
    assert typed("FROM a\nRUN a \\|\n  b\n", "\\") == "FROM a\nRUN a \\\n  b\n"


def test_backtick_escape() -> None:
    assert typed("# escape=`\nFROM a\nRUN a `\n|", "\n") == "# escape=`\nFROM a\nRUN a `\n    "
    assert typed("# escape=`\nFROM a\nRUN a `|\nb", "`") == "# escape=`\nFROM a\nRUN a `\n    b"
    # With ` as escape, a backslash is an ordinary character.
    assert typed("# escape=`\nFROM a\nRUN a \\\n|", "\n") == "# escape=`\nFROM a\nRUN a \\\n"
