"""Compare our splitter with the official BuildKit parser (PyPI ``dockerfile``).

The oracle reports, per instruction: keyword, ONBUILD sub-keyword, JSON form, 1-based first and last
line, flags, values and heredocs. ``expected`` and ``ours`` render both sides in that same shape.
"""

from __future__ import annotations

from typing import Any

import dockerfile

from dockerfile_refactor_ls.engine.parser import Instruction, parse


def _fix_mojibake(s: str) -> str:
    # BuildKit's flag scanner walks bytes and re-encodes each one as a rune, so a non-ASCII flag
    # comes back as Latin-1 mojibake. Undo it so both sides compare the real text.
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def expected(text: str) -> list[tuple[Any, ...]] | str:
    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return f"error: {exc}"
    return [
        (
            c.cmd,
            c.sub_cmd,
            c.json,
            c.start_line,
            c.end_line,
            tuple(_fix_mojibake(f) for f in c.flags),
            tuple(c.value),
            tuple((h.name, h.file_descriptor, h.content) for h in c.heredocs),
        )
        for c in cmds
    ]


def _c_string(s: str) -> str:
    # The oracle hands values over as C strings, so a JSON "\u0000" cuts its value short there.
    return s.split("\x00", 1)[0]


def _render(ins: Instruction) -> tuple[Any, ...]:
    target = ins.sub if ins.sub is not None else ins
    return (
        ins.keyword or None,  # the oracle reports an empty keyword as None
        ins.sub.keyword if ins.sub is not None else None,
        target.json,
        ins.start_line,
        ins.end_line,
        tuple(f.raw for f in ins.flags),
        tuple(_c_string(t.value) for t in ins.args),
        tuple((h.name, h.fd, h.content) for h in target.heredocs),
    )


def ours(text: str) -> list[tuple[Any, ...]] | str:
    result = parse(text)
    errors = list(result.all_errors)
    if errors:
        return f"error: {errors[0].message}"
    return [_render(i) for i in result.instructions]
