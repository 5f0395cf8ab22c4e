from __future__ import annotations

import json

import pytest

from ...engine.findings import Severity, apply_edits
from ...engine.model import Dockerfile
from ..base import RuleContext
from ._testing import checked
from .invalid_json_form import RULE, repair


def check(text: str) -> list[tuple[str, str]]:
    """(reported text, fixed document) for each finding."""
    return [(reported, fixed) for _f, reported, [fixed] in checked(RULE, text, Severity.ERROR, preferred=True)]


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        ("CMD [\"node\", 'server.js']", 'CMD ["node", "server.js"]'),
        ('ENTRYPOINT ["/app", "--port", "80",]', 'ENTRYPOINT ["/app", "--port", "80"]'),
        ('RUN ["make", "install"', 'RUN ["make", "install"]'),
        ("CMD [node, server.js]", 'CMD ["node", "server.js"]'),
        ("CMD ['python']", 'CMD ["python"]'),
        ("CMD [\u201cnode\u201d, \u201capp.js\u201d]", 'CMD ["node", "app.js"]'),
        ("COPY ['package.json', './']", 'COPY ["package.json", "./"]'),
        ("VOLUME ['/data']", 'VOLUME ["/data"]'),
        ("HEALTHCHECK --interval=5s CMD ['curl', '-f', 'http://localhost/']",
         'HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]'),
        ("ONBUILD RUN ['npm', 'ci']", 'ONBUILD RUN ["npm", "ci"]'),
        ('CMD ["echo", "a \\"quoted\\" word", \'x\']', 'CMD ["echo", "a \\"quoted\\" word", "x"]'),
    ],
)
def test_reported_with_the_corrected_exec_form(line: str, fixed: str) -> None:
    text = f"FROM alpine:3.20\n{line}\n"
    [(reported, new_text)] = check(text)
    assert reported.startswith("[")
    assert new_text == f"FROM alpine:3.20\n{fixed}\n"
    # The result is what BuildKit reads as the exec form.
    top = Dockerfile(new_text).instructions[1]
    ins = top.sub or top
    if ins.cmd == "healthcheck":
        assert json.loads(new_text.split(" CMD ", 1)[1])
    else:
        assert ins.json
    assert check(new_text) == []


@pytest.mark.parametrize(
    "line",
    [
        'CMD ["node", "server.js"]',
        "CMD node server.js",
        "RUN [ -f /etc/os-release ] && cat /etc/os-release",
        'RUN [ "$TARGETARCH" = "amd64" ] || exit 0',
        "RUN [ 'a' ]",
        "RUN [[ -n $X ]] && echo",
        "CMD []",
        "RUN [x] || true",
        "HEALTHCHECK NONE",
        'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]',
        "SHELL [\"/bin/sh\", \"-c\"]",
        "LABEL x=['a', 'b']",
        "RUN ['unterminated, x]",
    ],
)
def test_not_reported(line: str) -> None:
    assert check(f"FROM alpine:3.20\n{line}\n") == []


def test_variables_are_mentioned() -> None:
    doc = Dockerfile("FROM alpine:3.20\nCMD ['echo', '$HOME']\n")
    [f] = RULE.check(RuleContext(doc))
    assert "no shell expands" in f.message
    assert '["echo", "$HOME"]' in f.message


def test_repair_reads_only_lists() -> None:
    assert repair("['a','b']") == ["a", "b"]
    assert repair("[ -x /bin/sh ]") is None
    assert repair('["valid"]') is None
    assert repair("not a list") is None


def test_text_after_a_valid_array_is_dropped_by_buildkit() -> None:
    text = 'FROM alpine\nRUN ["echo", "hello"] && make\n'
    doc = Dockerfile(text)
    [f] = RULE.check(RuleContext(doc))
    assert f.severity is Severity.WARNING
    assert text[f.span.start : f.span.end] == "&& make"
    assert "ignores the text after the JSON array of RUN" in f.message
    assert apply_edits(text, f.fixes[0].edits) == 'FROM alpine\nRUN ["echo", "hello"]\n'
