"""Generators of adversarial Dockerfiles whose size grows with ``n``, and the engine work run on them.

Shared by ``test_adversarial.py`` (each shape at its full size must simply finish) and by
``scripts/fuzz/growth.py`` (time at n, 2n and 4n, to spot super-linear growth).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_BLOCK = (
    "# stage {i}\n"
    "FROM python:3.11-slim AS build{i}\n"
    "ARG VERSION{i}=1.0\n"
    "ENV PATH=/opt/venv{i}/bin:$PATH LANG=C.UTF-8\n"
    "WORKDIR /src{i}\n"
    "COPY requirements.txt .\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
    "      build-essential curl ca-certificates \\\n"
    "    && rm -rf /var/lib/apt/lists/*\n"
    "RUN pip install --no-cache-dir -r requirements.txt && echo ${{VERSION{i}:-dev}}\n"
    "COPY --from=build{i} /src{i} /app\n"
    'CMD ["python", "-m", "app"]\n'
)


def big_file(n: int) -> str:
    """About ``n`` characters of realistic multi-stage Dockerfile."""
    out: list[str] = []
    size = 0
    i = 0
    while size < n:
        block = _BLOCK.format(i=i)
        out.append(block)
        size += len(block)
        i += 1
    return "".join(out)


def many_lines(n: int) -> str:
    """``n`` short instruction lines in one stage."""
    return "FROM alpine\n" + "".join(f"RUN echo {i}\n" for i in range(n))


def long_line(n: int) -> str:
    """One RUN line of ``n`` characters (words, flags, variables and quotes mixed)."""
    unit = 'a-b $X "q q" --f=v '
    body = (unit * (n // len(unit) + 1))[:n]
    return "FROM alpine\nRUN " + body + "\n"


def long_word(n: int) -> str:
    """One word of ``n`` characters (no spaces at all)."""
    return "FROM alpine\nRUN " + "a" * n + "\n"


def stages(n: int) -> str:
    """``n`` stages, each copying from the one before and named by an ARG."""
    parts = ["ARG BASE=alpine\n", "FROM ${BASE} AS s0\n"]
    for i in range(1, n):
        parts.append(f"FROM s{i - 1} AS s{i}\nARG A{i}=x\nCOPY --from=s{i - 1} /a{i} /b\nRUN echo $A{i}\n")
    return "".join(parts)


def nested_vars(n: int) -> str:
    """``${a:-${a:-...}}`` nested ``n`` deep, in an ENV and a RUN."""
    expr = "x"
    for _ in range(n):
        expr = "${a:-" + expr + "}"
    return f"FROM alpine\nARG a\nENV B={expr}\nRUN echo {expr}\nCOPY {expr} /d\n"


def unclosed_vars(n: int) -> str:
    """``n`` unclosed ``${`` openings."""
    return "FROM alpine\nENV B=" + "${a:-" * n + "\nRUN echo " + "${" * n + "\n"


def backslashes(n: int) -> str:
    """``n`` backslashes on one line, then ``n`` lines that are a lone backslash."""
    return "FROM alpine\nRUN echo " + "\\" * n + "\nRUN echo \\\n" + "\\\n" * n + "done\n"


def dollars(n: int) -> str:
    return "FROM alpine\nENV A=" + "$" * n + "\nRUN echo " + "$" * n + "\nCOPY " + "$" * n + " /x\n"


def quotes(n: int) -> str:
    return "FROM alpine\nRUN echo " + '"' * n + "\nENV A=" + '"' * n + "\nCMD [" + '"' * n + "\nLABEL a=" + "'" * n + "\n"


def heredoc_markers(n: int) -> str:
    """Long runs of ``<<``, and many heredocs opened on one line."""
    return (
        "FROM alpine\nRUN " + "<<" * n + "\n"
        + "RUN " + " ".join(f"<<E{i}" for i in range(n // 8)) + "\n"
        + "".join(f"E{i}\n" for i in range(n // 8))
        + "COPY <<EOF /x\n" + "line\n" * n + "EOF\n"
    )


def unterminated_heredocs(n: int) -> str:
    """``n`` RUN lines each opening a heredoc that is never closed."""
    return "FROM alpine\n" + "".join(f"RUN cat <<EOF{i}\n" for i in range(n))


def continuations(n: int) -> str:
    """One RUN continued over ``n`` lines, with comments and blank lines in between."""
    lines = []
    for i in range(n):
        lines.append(f"  && echo {i} \\\n")
        if i % 10 == 0:
            lines.append("# a comment inside\n\n")
    return "FROM alpine\nRUN true \\\n" + "".join(lines) + "  && true\n"


def many_vars(n: int) -> str:
    """``n`` ARGs, each default referring to the one before; ``n`` references in one ENV."""
    args = "".join(f"ARG V{i}=${{V{i - 1}:-x}}\n" if i else "ARG V0=x\n" for i in range(n))
    refs = " ".join(f"E{i}=$V{i}" for i in range(n))
    return "FROM alpine\n" + args + "ENV " + refs + "\n"


def json_array(n: int) -> str:
    return "FROM alpine\nCMD [" + ", ".join('"a\\"b"' for _ in range(n)) + "]\n"


def escape_backtick(n: int) -> str:
    """``# escape=``` with ``n`` backtick-continued lines (Windows style) and stray backslashes."""
    return "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n" + "  c:\\x\\y `\n" * n + "  done\n"


def crlf_lone_cr(n: int) -> str:
    """``n`` instructions separated by CRLF, lone CR and form feeds alternately."""
    seps = ["\r\n", "\r", "\n", "\x0c\n", "\u2028\n"]
    return "FROM alpine\r\n" + "".join(f"RUN echo {i}{seps[i % len(seps)]}" for i in range(n))


def astral(n: int) -> str:
    """``n`` emoji on one line and ``n`` lines with emoji (position conversion work)."""
    return "FROM alpine\nRUN echo " + "😀é" * n + "\n" + "".join(f"ENV E{i}=😀{i}\n" for i in range(n))


@dataclass(frozen=True)
class Shape:
    name: str
    make: Callable[[int], str]
    full: int  # the size the test suite runs
    small: int  # a base size for growth measurements (run at small, 2x, 4x)


SHAPES: list[Shape] = [
    Shape("big_file", big_file, 10_000_000, 250_000),
    Shape("many_lines", many_lines, 100_000, 10_000),
    Shape("long_line", long_line, 1_000_000, 100_000),
    Shape("long_word", long_word, 1_000_000, 100_000),
    Shape("stages", stages, 5_000, 500),
    Shape("nested_vars", nested_vars, 1_000, 250),
    Shape("unclosed_vars", unclosed_vars, 100_000, 10_000),
    Shape("backslashes", backslashes, 100_000, 10_000),
    Shape("dollars", dollars, 100_000, 10_000),
    Shape("quotes", quotes, 100_000, 10_000),
    Shape("heredoc_markers", heredoc_markers, 100_000, 10_000),
    Shape("unterminated_heredocs", unterminated_heredocs, 20_000, 2_000),
    Shape("continuations", continuations, 50_000, 5_000),
    Shape("many_vars", many_vars, 5_000, 500),
    Shape("json_array", json_array, 100_000, 10_000),
    Shape("escape_backtick", escape_backtick, 50_000, 5_000),
    Shape("crlf_lone_cr", crlf_lone_cr, 50_000, 5_000),
    Shape("astral", astral, 50_000, 5_000),
]

SHAPE_BY_NAME = {s.name: s for s in SHAPES}


def engine_steps(text: str) -> dict[str, Callable[[], object]]:
    """The engine's entry points on ``text``, as the server calls them, in order.

    Each step runs on the result of the one before (the model is built once); each is a separate
    callable so ``growth.py`` can time them apart.
    """
    from dockerfile_refactor_ls.engine.completion import complete
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.parser import parse
    from dockerfile_refactor_ls.engine.text import Span
    from dockerfile_refactor_ls.refactors.base import NotApplicable
    from dockerfile_refactor_ls.refactors.registry import all_refactorings
    from dockerfile_refactor_ls.rules.analysis import diagnose

    state: dict[str, object] = {}

    def do_parse() -> object:
        return parse(text)

    def do_model() -> object:
        state["doc"] = Dockerfile(text)
        return state["doc"]

    def do_diagnose() -> object:
        doc = state["doc"]
        findings = diagnose(doc)  # type: ignore[arg-type]
        # The server converts every finding's span to a range.
        for f in findings:
            doc.range(f.span)  # type: ignore[attr-defined]
        return findings

    def do_complete() -> object:
        doc = state["doc"]
        n = len(text)
        offsets = sorted({0, n // 3, n // 2, max(0, n - 2), n})
        return [complete(doc, o) for o in offsets]  # type: ignore[arg-type]

    def do_refactor() -> object:
        doc = state["doc"]
        out = []
        # ref.plan directly, not registry.plan: that one logs and swallows exceptions, which would
        # hide exactly what we look for. NotApplicable is an answer (why it does not apply).
        for ref in all_refactorings():
            for span in (None, Span(len(text) // 2, len(text) // 2)):
                try:
                    out.append(ref.plan(doc, span))  # type: ignore[arg-type]
                except NotApplicable as why:
                    out.append(why.reason)
        return out

    return {"parse": do_parse, "model": do_model, "diagnose": do_diagnose, "complete": do_complete,
            "refactor": do_refactor}


def main(argv: list[str]) -> int:
    """``python -m tests.reliability.adversarial SHAPE N [STEP...]``: run the steps, print timings."""
    import json
    import time

    shape, n = SHAPE_BY_NAME[argv[0]], int(argv[1])
    text = shape.make(n)
    steps = engine_steps(text)
    wanted = argv[2:] or list(steps)
    out: dict[str, float] = {}
    for name in steps:
        if name in wanted or name == "model":
            t = time.perf_counter()
            steps[name]()
            out[name] = round(time.perf_counter() - t, 3)
            print(json.dumps({"shape": shape.name, "n": n, "chars": len(text), "step": name, "s": out[name]}), flush=True)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
