from __future__ import annotations

from ...engine.model import Dockerfile
from ..analysis import diagnose
from ..base import RuleContext
from .invalid_encoding import MAX_REPORTED, RULE


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _codes(raw: bytes) -> list[tuple[str, str]]:
    text = _decode(raw)
    doc = Dockerfile(text)
    return [(f.code, text[f.span.start : f.span.end]) for f in diagnose(doc) if f.code == RULE.code]


def test_valid_utf8_is_silent() -> None:
    assert _codes("FROM alpine:3.20\nLABEL a=\"Renée ✓\"\n".encode()) == []


def test_each_run_of_latin1_bytes_is_reported_where_it_is() -> None:
    raw = b'FROM alpine:3.20\nLABEL a="Ren\xe9e" b="\xff\xfe"\n'
    found = _codes(raw)
    assert [span.encode("utf-8", "surrogateescape") for _, span in found] == [b"\xe9", b"\xff\xfe"]


def test_message_names_the_bytes() -> None:
    doc = Dockerfile(_decode(b"FROM alpine\nRUN echo \xc3\x28\n"))
    (finding,) = list(RULE.check(RuleContext(doc)))
    assert "0xC3" in finding.message and "UTF-8" in finding.message


def test_many_runs_are_capped_with_a_count() -> None:
    raw = b"FROM alpine\n" + b"".join(b"LABEL x=\xff\n" for _ in range(MAX_REPORTED + 5))
    found = list(RULE.check(RuleContext(Dockerfile(_decode(raw)))))
    assert len(found) == MAX_REPORTED + 1
    assert "5 more" in found[-1].message


def test_binary_file_gets_one_finding() -> None:
    raw = b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe" * 20
    found = list(RULE.check(RuleContext(Dockerfile(_decode(raw)))))
    assert len(found) == 1
    assert found[0].message.startswith("Binary file")
    assert found[0].span.start == raw.index(b"\x00")
