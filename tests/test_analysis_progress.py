"""The parts of work-done progress for long rules runs, without a client: the runner's counts,
the analysis thread's throttle, and what the LSP side sends in which order."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types as lsp

from dockerfile_refactor_ls import analysis_thread
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.features.analysis_progress import TITLE, AnalysisProgress
from dockerfile_refactor_ls.rules.analysis import diagnose
from dockerfile_refactor_ls.rules.registry import all_rules


def test_the_runner_counts_every_rule_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    diagnose(Dockerfile("FROM alpine:3.20\nRUN apk add curl\n"), progress=lambda done, total: seen.append((done, total)))
    assert seen and {total for _, total in seen} == {len(all_rules())}
    dones = [done for done, _ in seen]
    assert dones == sorted(set(dones)) and dones[-1] == len(all_rules())


def test_the_thread_posts_only_after_a_second_and_then_at_most_every_quarter(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(analysis_thread.time, "monotonic", lambda: now[0])
    posted: list[tuple[Any, ...]] = []
    progress = analysis_thread.RulesProgress(lambda *event: posted.append(event), "state", "text")  # type: ignore[arg-type]
    progress(10, 100)
    now[0] += 0.9
    progress(20, 100)
    progress.end()
    assert posted == []  # a run under a second shows nothing, not even an end
    now[0] += 0.2
    progress(30, 100)
    now[0] += 0.1
    progress(40, 100)  # within a quarter second of the last: dropped
    now[0] += 0.2
    progress(50, 100)
    progress.end()
    assert posted == [("progress", "state", "text", 30), ("progress", "state", "text", 50), ("progress", "state", "text", None)]


class FakeServer:
    """What AnalysisProgress uses of pygls' LanguageServer, recording what it sends."""

    def __init__(self, supports: bool) -> None:
        self.client_capabilities = lsp.ClientCapabilities(window=lsp.WindowClientCapabilities(work_done_progress=supports))
        self.sent: list[tuple[str, str, Any]] = []
        self.pending: dict[str, Any] = {}
        server = self

        class Progress:
            def __init__(self) -> None:
                self.tokens: dict[str, Any] = {}

            def create(self, token: str, callback: Any) -> None:
                server.sent.append(("create", token, None))
                server.pending[token] = callback

            def begin(self, token: str, value: Any) -> None:
                server.sent.append(("begin", token, value))

            def report(self, token: str, value: Any) -> None:
                server.sent.append(("report", token, value))

            def end(self, token: str, value: Any) -> None:
                server.sent.append(("end", token, value))

        self.work_done_progress = Progress()

    def answer(self, token: str) -> None:
        self.pending.pop(token)(None)


def test_begin_waits_for_the_create_answer_then_reports_and_ends() -> None:
    server = FakeServer(True)
    progress = AnalysisProgress(server)  # type: ignore[arg-type]
    uri = "file:///work/app/api.Dockerfile"
    progress.update(uri, 12)
    [(kind, token, _)] = server.sent
    assert kind == "create"
    progress.update(uri, 30)  # not created yet: nothing sent, the newest percentage kept
    server.answer(token)
    progress.update(uri, 25)  # a percentage never goes back
    progress.update(uri, 80)
    progress.end(uri)
    kinds = [(k, t) for k, t, _ in server.sent]
    assert kinds == [("create", token), ("begin", token), ("report", token), ("report", token), ("end", token)]
    begin, first, second, end = (v for _, _, v in server.sent[1:])
    assert isinstance(begin, lsp.WorkDoneProgressBegin) and begin.title == TITLE
    assert begin.message == "api.Dockerfile" and begin.percentage == 30
    assert (first.percentage, second.percentage) == (30, 80)
    assert isinstance(end, lsp.WorkDoneProgressEnd)
    progress.update(uri, 5)  # a later run of the same document: a new token
    assert server.sent[-1][0] == "create" and server.sent[-1][1] != token


def test_a_run_over_before_the_client_answers_shows_nothing() -> None:
    server = FakeServer(True)
    progress = AnalysisProgress(server)  # type: ignore[arg-type]
    progress.update("untitled:Untitled-1", 40)
    token = server.sent[0][1]
    progress.end("untitled:Untitled-1")
    server.answer(token)
    assert [k for k, _, _ in server.sent] == ["create"]


def test_no_progress_for_a_client_without_the_capability() -> None:
    server = FakeServer(False)
    progress = AnalysisProgress(server)  # type: ignore[arg-type]
    progress.update("untitled:Untitled-1", 40)
    progress.end("untitled:Untitled-1")
    assert server.sent == []
