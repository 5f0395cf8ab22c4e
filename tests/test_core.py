"""The core both LSP front ends drive (server/dockerfile_refactor_ls/core.py), without any transport."""

from __future__ import annotations

from typing import Any

from dockerfile_refactor_ls.core import Core
from dockerfile_refactor_ls.documents import ChangeRange
from dockerfile_refactor_ls.engine.text import Position, Span

URI = "untitled:Untitled-1"  # no folder: nothing is read from the disk
TEXT = "FROM alpine:3.20 as base\nWORKDIR app\n"


def _core(wants_configuration: bool = False) -> tuple[Core, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []
    core = Core(sent.append)
    core.initialize("utf-16", [], None, None, None, wants_configuration)
    return core, sent


def _codes(message: dict[str, Any]) -> set[str]:
    return {d["code"] for d in message["params"]["diagnostics"]}


def test_open_change_close_publish_the_current_text() -> None:
    core, sent = _core()
    core.open(URI, TEXT, 1, "dockerfile")
    assert core.publish(URI) == len(sent[-1]["params"]["diagnostics"])
    assert {"FromAsCasing", "WorkdirRelativePath"} <= _codes(sent[-1])
    assert sent[-1]["params"]["version"] == 1
    # Incremental: make the WORKDIR absolute.
    core.change(URI, 2, [("/", ChangeRange(Position(1, 8), Position(1, 8)))])
    core.publish(URI)
    assert sent[-1]["params"]["version"] == 2
    assert "WorkdirRelativePath" not in _codes(sent[-1]) and "FromAsCasing" in _codes(sent[-1])
    assert core.documents.get(URI).text == "FROM alpine:3.20 as base\nWORKDIR /app\n"  # type: ignore[union-attr]
    core.close(URI)
    assert sent[-1]["params"]["uri"] == URI and sent[-1]["params"]["diagnostics"] == []
    assert URI not in core.documents


def test_a_change_to_a_document_not_open_is_ignored() -> None:
    core, sent = _core()
    assert core.change(URI, 2, [("x", None)]) is None
    assert core.publish(URI) is None and sent == []


def test_the_same_list_for_the_same_version_is_not_sent_twice_unless_asked() -> None:
    core, sent = _core()
    core.open(URI, TEXT, 1, "dockerfile")
    core.publish(URI)
    assert core.publish(URI, only_if_changed=True) is None and len(sent) == 1
    # A setting that changes the list: sent again even for the same version.
    assert core.set_client_settings({"rules": {"ignore": ["FromAsCasing"]}})
    assert core.publish(URI, only_if_changed=True) is not None
    assert "FromAsCasing" not in _codes(sent[-1])
    # The same settings again change nothing, not even the generation.
    generation = core.settings_generation
    assert not core.set_client_settings({"rules": {"ignore": ["FromAsCasing"]}})
    assert core.settings_generation == generation
    assert core.publish(URI) is not None  # an explicit publish is always sent
    assert len(sent) == 3


def test_documents_wait_for_the_settings_when_the_client_will_send_them() -> None:
    core, sent = _core(wants_configuration=True)
    core.open(URI, TEXT, 1, "dockerfile")
    assert not core.may_diagnose(URI)
    assert sent == []
    core.set_client_settings({"rules": {"ignore": ["WorkdirRelativePath"]}})
    assert core.settings_arrived() == [URI]
    assert core.may_diagnose(URI)
    core.publish(URI)
    # The first list already honours the user's settings: the rule never flashed up.
    assert "WorkdirRelativePath" not in _codes(sent[-1]) and "FromAsCasing" in _codes(sent[-1])


def test_a_recheck_before_the_settings_happens_once_they_arrive() -> None:
    core, sent = _core(wants_configuration=True)
    core.open(URI, TEXT, 1, "dockerfile")
    core.settings_ready = True
    core.publish(URI)
    core.settings_ready = False
    core.publish_changed()  # e.g. ShellCheck's results while the settings are awaited
    assert len(sent) == 1
    core.set_client_settings({"rules": {"ignore": ["FromAsCasing"]}})
    assert core.settings_arrived() == []  # not waiting: it was published already
    assert len(sent) == 2 and "FromAsCasing" not in _codes(sent[-1])


def test_pulled_documents_are_not_pushed() -> None:
    core, sent = _core()
    core.open(URI, TEXT, 1, "dockerfile")
    core.pulled_uris.add(URI)
    assert core.publish(URI) is None and sent == []
    core.close(URI)
    assert URI not in core.pulled_uris


def test_diagnosable_texts_leave_out_what_the_rules_skip() -> None:
    """What the secrets detector's head start scans (both front ends pass this): a text over the
    size limit is parsed by no rule, and scanning it was a second full parse beside the analysis."""
    core, _sent = _core()
    core.set_client_settings({"maxDiagnosedCharacters": 200})
    small = "FROM alpine\n"
    big = "FROM alpine\n" + "RUN echo hi\n" * 20
    core.open(URI, small, 1, "dockerfile")
    core.open("untitled:Untitled-2", big, 1, "dockerfile")
    assert len(big) > 200 and core.diagnosable_texts() == [small]
    core.set_client_settings({"maxDiagnosedCharacters": 10_000})
    assert sorted(core.diagnosable_texts()) == sorted([small, big])


def test_the_notice_of_a_file_too_large_builds_no_line_index_of_the_whole_file() -> None:
    """At 10 MB the whole index took 0.2 s on the loop at every keystroke, for a notice on line 1."""
    from dockerfile_refactor_ls.engine.text import LineIndex

    core, sent = _core()
    core.set_client_settings({"maxDiagnosedCharacters": 200})
    big = "FROM alpine  \U0001f600 wide\n" + "RUN echo hi\n" * 40
    state = core.open(URI, big, 1, "dockerfile")
    assert core.publish(URI) == 1
    (notice,) = sent[-1]["params"]["diagnostics"]
    assert notice["code"] == "rules-skipped" and state._lines is None  # nothing built for it
    # The same range as the whole file's index gives (UTF-16: the emoji counts two).
    first_line = big.index("\n")
    assert notice["range"] == LineIndex(big).range_json(Span(0, first_line))
    assert notice["range"]["end"] == {"line": 0, "character": first_line + 1}
