"""The splitter agrees with BuildKit's own parser (PyPI ``dockerfile``) instruction for instruction."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .buildkit_oracle import expected, ours
from .conftest import corpus_files, read_corpus, requires_corpus


@requires_corpus
def test_corpus_agreement() -> None:
    files = corpus_files()
    accepted = rejected = 0
    disagreements: list[str] = []
    for path in files:
        text = read_corpus(path)
        want, got = expected(text), ours(text)
        if isinstance(want, str):
            rejected += 1
            if not isinstance(got, str):
                disagreements.append(f"{path.name}: BuildKit rejects ({want}) but we found no error")
        else:
            accepted += 1
            if got != want:
                first = next((f"{w} != {g}" for w, g in zip(want, got, strict=False) if w != g), "lengths")
                disagreements.append(f"{path.name}: {first}")
    print(f"corpus: {len(files)} files, {accepted} accepted and {rejected} rejected by BuildKit, "
          f"{len(files) - len(disagreements)} agree")
    assert not disagreements, "\n".join(disagreements[:20])
    assert accepted + rejected == len(files)


FRAGMENTS = [
    "FROM", "from", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK", "CMD",
    "WORKDIR", "USER", "EXPOSE", "VOLUME", "SHELL", "MAINTAINER", "STOPSIGNAL", "ENTRYPOINT", "FOO",
    " ", "  ", "\t", "\\", "`", "\n", "\r\n", "\\\n", "`\n", "#", "# escape=`\n", "# escape=\\\n",
    "# syntax=x\n", "<<EOF", "<<-EOF", '<<"EOF"', "<<'E O'", "EOF\n", "\tEOF\n", "3<<X", "X\n",
    "--from=a", '--chown="a b"', "--", "-x", "=", "a=b", 'a="b c"', "'q'", '"', "'", "[", "]",
    '["a"]', '["a", "b"]', "[1]", "{", "}", "$A", "${A:-b}", "AS", "x", "y z", "\x0b", "\x0c", "\r", ",",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(["", " ", "\n"])), max_size=30))
def test_random_text_agreement(parts: list[tuple[str, str]]) -> None:
    """Random Dockerfile-shaped text (ASCII): same instructions, or both reject it."""
    text = "".join(a + b for a, b in parts)
    want = expected(text)
    got = ours(text)
    if isinstance(want, str):
        assert isinstance(got, str), f"BuildKit: {want}; ours accepted {got!r}"
    else:
        assert got == want


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN <<EOF cat\nx\nEOF\n",
        "FROM a\nRUN 3<<EOF <<-'END' cat\nx\nEOF\n\tyy\n\tEND\n",
        "\ufeff# escape=`\nFROM a\nRUN echo `\n  # inside\n\n  hi\n",
        "FROM a\r\nRUN a \\\r\n\r\n b\r\n",
        "FROM a\nRUN echo hi \\",
        "FROM a\nCMD [\"a\"] trailing\n",
        "FROM a\nonbuild copy --from=x a b\n",
    ],
)
def test_known_quirks(text: str) -> None:
    assert ours(text) == expected(text)
