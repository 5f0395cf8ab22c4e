"""check/fix behaviour a CI pipeline relies on: stdin, exit codes, flags, env, pipes, many files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_refactor_ls.checking.progress import Progress
from dockerfile_refactor_ls.rules.registry import rule_by_code

from .conftest import SAMPLE, cli, cli_process


def _codes(run_out: str) -> list[str]:
    return [o["code"] for o in json.loads(run_out)]


def test_stdin_is_checked_under_its_stdin_filename(project: Path) -> None:
    sub = project / "svc"
    sub.mkdir()
    (sub / ".hadolint.yaml").write_text("ignored: [DL3006]\n")
    run = cli("check", "-f", "json", "--stdin-filename", "svc/Dockerfile", "-", stdin=SAMPLE.encode())
    data = json.loads(run.out)
    assert {o["file"] for o in data} == {"svc/Dockerfile"}
    # The config beside --stdin-filename applies.
    assert "DL3006" not in [o["code"] for o in data] and "DL3008" in [o["code"] for o in data]
    plain = cli("check", "-f", "json", "-", stdin=SAMPLE.encode())
    assert {o["file"] for o in json.loads(plain.out)} == {"-"} and "DL3006" in _codes(plain.out)


def test_stdin_filename_alone_reads_stdin(project: Path) -> None:
    run = cli("check", "-f", "json", "--stdin-filename", "x/Dockerfile", stdin=b"FROM ubuntu\n")
    assert "DL3006" in _codes(run.out)


def test_dockerignore_beside_stdin_filename_is_read(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No rule reads .dockerignore yet: watch what the engine is handed.
    from dockerfile_refactor_ls.rules import analysis

    seen: list[str | None] = []
    real = analysis.diagnose

    def spy(doc, settings=None, dockerignore=None):  # type: ignore[no-untyped-def]
        seen.append(dockerignore)
        return real(doc, settings, dockerignore)

    monkeypatch.setattr(analysis, "diagnose", spy)
    (project / "ctx").mkdir()
    (project / "ctx" / ".dockerignore").write_text("secret.txt\n")
    cli("check", "--stdin-filename", "ctx/Dockerfile", "-", stdin=b"FROM alpine:3.20\n")
    cli("check", "-", stdin=b"FROM alpine:3.20\n")
    assert seen == ["secret.txt\n", None]


def test_fix_all_from_stdin_writes_the_result(project: Path) -> None:
    run = cli("fix", "--all", "-", stdin=SAMPLE.encode())
    assert run.code == 0
    assert "apt-get -y install" in run.out or "apt-get install -y" in run.out
    assert run.out.startswith("FROM ubuntu")


def test_fix_action_from_stdin_writes_the_result(project: Path) -> None:
    text = "FROM alpine:3.20\nCMD [\"sh\"]\n"
    run = cli("fix", "--action", "nonRootUser", "-", stdin=text.encode())
    assert run.out != text and "USER" in run.out


@pytest.mark.parametrize(
    ("action", "text", "why"),
    [
        ("nonRootUser", "FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n", "nginx starts as root"),
        ("nonRootUser", "FROM python:3.12\nONBUILD COPY . /app\n", "ONBUILD triggers"),
        ("nonRootUser", "ARG BASE\nFROM $BASE\nCOPY app /app\n", "is an ARG with no default"),
        ("cacheDependencies", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm run build\n",
         "no dependency install or build that downloads dependencies runs after COPY . ."),
    ],
)
def test_fix_action_says_in_one_line_why_it_does_not_apply(project: Path, action: str, text: str, why: str) -> None:
    target = project / "Dockerfile"
    target.write_text(text)
    run = cli("fix", "--action", action, "--write", "Dockerfile")
    assert run.code == 1 and run.out == ""
    (line,) = run.err.splitlines()
    assert line.startswith(f"Dockerfile: {action} does not apply: ") and why in line
    assert target.read_text() == text  # nothing written


def test_check_fix_rewrites_in_place_and_reports_the_rest(project: Path) -> None:
    run = cli("check", "--fix", "-f", "json", "Dockerfile")
    fixed = (project / "Dockerfile").read_text()
    assert fixed != SAMPLE and "-y" in fixed
    assert "DL3014" not in _codes(run.out) and "DL3008" in _codes(run.out)
    assert cli("fix", "--all", "Dockerfile").out == ""  # nothing left that fix --all would do


def test_check_fix_on_stdin_prints_the_fixed_text_and_reports_on_stderr(project: Path) -> None:
    run = cli("check", "--fix", "-f", "json", "-", stdin=SAMPLE.encode())
    assert run.out.startswith("FROM ubuntu") and "-y" in run.out
    assert "DL3008" in _codes(run.err)


@pytest.mark.parametrize(
    ("threshold", "code"),
    [("error", 0), ("warning", 1), ("info", 1), ("style", 1), ("none", 1), ("ignore", 1)],
)
def test_failure_threshold_uses_hadolints_levels(project: Path, threshold: str, code: int) -> None:
    (project / "Dockerfile").write_text("FROM ubuntu\nUSER 65534\n")  # a warning (DL3006), no error
    assert cli("check", "-t", threshold, "Dockerfile").code == code


def test_default_threshold_is_hadolints_info(project: Path) -> None:
    # Only an info finding (DL3059: consecutive RUNs) and a style one.
    (project / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65534\nRUN true\nRUN true\n")
    levels = {o["level"] for o in json.loads(cli("check", "-f", "json", "Dockerfile").out)}
    assert "info" in levels and not levels & {"error", "warning"}
    assert cli("check", "Dockerfile").code == 1
    assert cli("check", "-t", "warning", "Dockerfile").code == 0


def test_no_fail_and_failure_threshold_in_the_config_file(project: Path) -> None:
    assert cli("check", "--no-fail", "Dockerfile").code == 0
    (project / ".hadolint.yaml").write_text("failure-threshold: error\n")
    (project / "Dockerfile").write_text("FROM ubuntu\nUSER 65534\n")
    assert cli("check", "Dockerfile").code == 0
    assert cli("check", "-t", "warning", "Dockerfile").code == 1  # the command line wins


def test_unreadable_file_is_status_2_with_one_line(project: Path) -> None:
    run = cli("check", "missing/Dockerfile", "Dockerfile")
    assert run.code == 2
    assert run.err.strip().splitlines() == ["missing/Dockerfile: cannot read: No such file or directory"]
    assert "DL3006" in run.out  # the other files are still checked


@pytest.mark.parametrize(
    "config",
    ["ignored: [DL3006\n", "- just\n- a list\n"],
)
def test_bad_config_is_status_2_with_one_line(project: Path, config: str) -> None:
    (project / ".hadolint.yaml").write_text(config)
    run = cli("check", "Dockerfile")
    assert run.code == 2 and run.out == ""
    (line,) = run.err.strip().splitlines()
    assert ".hadolint.yaml" in line and "invalid configuration" in line


def test_missing_config_and_bad_usage_are_status_2(project: Path) -> None:
    run = cli("check", "-c", "nope.yaml", "Dockerfile")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert cli("check", "-f", "nonsense", "Dockerfile").code == 2
    assert cli("check", "-", "-", stdin=b"FROM x\n").code == 2


def test_ignore_and_level_overrides(project: Path) -> None:
    out = json.loads(cli("check", "-f", "json", "--ignore", "DL3008,DL3014", "--error", "DL3006", "--style", "DL3003", "Dockerfile").out)
    by_code = {o["code"]: o["level"] for o in out}
    assert "DL3008" not in by_code and "DL3014" not in by_code
    assert by_code["DL3006"] == "error" and by_code["DL3003"] == "style"


def test_trusted_registry_flag(project: Path) -> None:
    (project / "Dockerfile").write_text("FROM quay.io/org/app:1.0\nUSER 65534\n")
    assert "DL3026" not in _codes(cli("check", "-f", "json", "Dockerfile").out)
    assert "DL3026" in _codes(cli("check", "-f", "json", "--trusted-registry", "docker.io", "Dockerfile").out)
    assert "DL3026" not in _codes(cli("check", "-f", "json", "--trusted-registry", "quay.io", "Dockerfile").out)


def test_require_label_and_strict_labels(project: Path) -> None:
    if rule_by_code("DL3049") is None:
        pytest.skip("the label-schema rules (DL3049-DL3058) are not in this build yet")
    (project / "Dockerfile").write_text('FROM alpine:3.20\nLABEL other="x"\nUSER 65534\n')
    codes = _codes(cli("check", "-f", "json", "--require-label", "maintainer:text", "--strict-labels", "Dockerfile").out)
    assert "DL3049" in codes and "DL3050" in codes


def test_disable_ignore_pragma_flag_and_variable(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "Dockerfile").write_text("# hadolint ignore=DL3006\nFROM ubuntu\nUSER 65534\n")
    assert "DL3006" not in _codes(cli("check", "-f", "json", "Dockerfile").out)
    assert "DL3006" in _codes(cli("check", "-f", "json", "--disable-ignore-pragma", "Dockerfile").out)
    monkeypatch.setenv("HADOLINT_DISABLE_IGNORE_PRAGMA", "yes")
    assert "DL3006" in _codes(cli("check", "-f", "json", "Dockerfile").out)


def test_require_label_needs_a_format(project: Path) -> None:
    run = cli("check", "--require-label", "maintainer", "Dockerfile")
    assert run.code == 2 and "LABEL:FORMAT" in run.err


def test_hadolint_environment_variables(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADOLINT_IGNORE", "DL3008,DL3014")
    monkeypatch.setenv("HADOLINT_OVERRIDE_ERROR", "DL3003")
    out = json.loads(cli("check", "-f", "json", "Dockerfile").out)
    by_code = {o["code"]: o["level"] for o in out}
    assert "DL3008" not in by_code and by_code["DL3003"] == "error"
    monkeypatch.setenv("HADOLINT_FORMAT", "gnu")
    assert cli("check", "Dockerfile").out.startswith("dockerfile-refactor-ls:Dockerfile:")
    monkeypatch.setenv("HADOLINT_NOFAIL", "true")
    assert cli("check", "Dockerfile").code == 0
    monkeypatch.setenv("HADOLINT_NOFAIL", "0")
    monkeypatch.setenv("HADOLINT_FAILURE_THRESHOLD", "error")
    assert cli("check", "Dockerfile").code == 1  # DL3003 is an error now
    monkeypatch.setenv("HADOLINT_OVERRIDE_ERROR", "")
    assert cli("check", "Dockerfile").code == 0


def test_config_file_beats_environment_and_flags_beat_both(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADOLINT_OVERRIDE_STYLE", "DL3006")
    (project / ".hadolint.yaml").write_text("override:\n  info: [DL3006]\n")
    level = lambda *a: {o["code"]: o["level"] for o in json.loads(cli("check", "-f", "json", *a, "Dockerfile").out)}["DL3006"]  # noqa: E731
    assert level() == "info"
    assert level("--error", "DL3006") == "error"


def test_output_files_one_per_format(project: Path) -> None:
    run = cli("check", "-f", "sarif", "-o", "report.sarif", "-f", "gitlab_codeclimate", "-o", "cq.json", "-f", "text", "Dockerfile")
    assert json.loads((project / "report.sarif").read_text())["version"] == "2.1.0"
    assert isinstance(json.loads((project / "cq.json").read_text()), list)
    assert "DL3006" in run.out
    assert cli("check", "-f", "json", "-f", "sarif", "Dockerfile").code == 2  # two formats, one stdout


def test_file_path_in_report(project: Path) -> None:
    out = json.loads(cli("check", "-f", "json", "--file-path-in-report", "app/Dockerfile", "Dockerfile").out)
    assert {o["file"] for o in out} == {"app/Dockerfile"}


def test_folders_are_walked_honouring_gitignore(project: Path) -> None:
    for rel in ("a/Dockerfile", "build/Dockerfile", "b/keep/Dockerfile", "b/skip/Dockerfile", "c/x.Dockerfile", ".hidden/Dockerfile", "node_modules/m/Dockerfile"):
        p = project / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("FROM alpine:3.20\nUSER 65534\n")
    (project / ".gitignore").write_text("build/\n*.Dockerfile\n")
    (project / "b" / ".gitignore").write_text("*/\n!keep/\n")
    # What a folder walk checks, told by checkstyle (which lists every file).
    import xml.etree.ElementTree as ET

    names = sorted(f.get("name") or "" for f in ET.fromstring(cli("check", "-f", "checkstyle", ".").out).findall("file"))
    assert names == ["Dockerfile", "a/Dockerfile", "b/keep/Dockerfile"]
    # Named explicitly, an ignored file is checked.
    names = [f.get("name") for f in ET.fromstring(cli("check", "-f", "checkstyle", "build/Dockerfile").out).findall("file")]
    assert names == ["build/Dockerfile"]
    everything = ET.fromstring(cli("check", "-f", "checkstyle", "--no-gitignore", ".").out).findall("file")
    # Without .gitignore: all but the hidden folder and node_modules.
    assert len(everything) == 6


def test_a_symlink_loop_does_not_hang_the_walk(project: Path) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65534\n")
    (project / "sub" / "loop").symlink_to(project, target_is_directory=True)
    import xml.etree.ElementTree as ET

    names = sorted(f.get("name") or "" for f in ET.fromstring(cli("check", "-f", "checkstyle", ".").out).findall("file"))
    assert names == ["Dockerfile", "sub/Dockerfile"]


def test_parallel_run_gives_the_same_report_in_the_same_order(project: Path) -> None:
    variants = [SAMPLE, "FROM alpine\nRUN apk add curl\n", "FROM node:20\nCOPY . .\nRUN npm install\n"]
    for i in range(60):
        (project / f"{i:03}.Dockerfile").write_text(variants[i % 3])
    serial = cli("check", "-f", "json", "-j", "1", ".").out
    parallel = cli("check", "-f", "json", "-j", "2", ".").out
    assert serial == parallel
    assert len({o["file"] for o in json.loads(parallel)}) == 61


def test_binary_and_latin1_input_give_findings_not_tracebacks(project: Path) -> None:
    (project / "bin.Dockerfile").write_bytes(bytes(range(256)) * 4)
    (project / "latin.Dockerfile").write_bytes(b"FROM alpine:3.20\nLABEL a=\"\xe9\"\nUSER 65534\n")
    out = json.loads(cli("check", "-f", "json", "bin.Dockerfile", "latin.Dockerfile").out)
    binary = [o for o in out if o["file"] == "bin.Dockerfile"]
    assert [o["code"] for o in binary] == ["invalid-encoding"]
    latin = [o for o in out if o["file"] == "latin.Dockerfile" and o["code"] == "invalid-encoding"]
    assert [(o["line"], o["column"]) for o in latin] == [(2, 10)]


def test_fix_keeps_undecodable_bytes(project: Path) -> None:
    (project / "Dockerfile").write_bytes(b"FROM ubuntu:22.04\nLABEL a=\"\xe9\"\nRUN apt-get install curl\n")
    cli("check", "--fix", "Dockerfile")
    data = (project / "Dockerfile").read_bytes()
    assert b"\xe9" in data and b"-y" in data


def test_fix_from_stdin_passes_undecodable_bytes_through(tmp_path: Path) -> None:
    raw = b"FROM ubuntu:22.04\nLABEL a=\"\xe9\"\nRUN apt-get install curl\n"
    for args in (["fix", "--all", "-"], ["check", "--fix", "-q", "-"]):
        proc = cli_process(*args, stdin=raw, cwd=tmp_path)
        assert b"Traceback" not in proc.stderr, proc.stderr
        assert b"\xe9" in proc.stdout and b"-y" in proc.stdout


def test_a_closed_pipe_ends_quietly(project: Path) -> None:
    for i in range(80):
        (project / f"{i:03}.Dockerfile").write_text(SAMPLE)
    for fmt in ("text", "sarif"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "dockerfile_refactor_ls", "check", "-f", fmt, "-j", "1", "."],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141
        assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_a_file_name_that_is_not_utf8_is_reported_not_a_traceback(project: Path) -> None:
    import os

    (project / os.fsdecode(b"bad\xff.Dockerfile")).write_text("FROM ubuntu\nUSER 65534\n")
    proc = cli_process("check", "-f", "json", "-j", "1", ".", cwd=project)
    assert b"Traceback" not in proc.stderr
    files = {o["file"] for o in json.loads(proc.stdout)}
    assert files == {"Dockerfile", "bad\ufffd.Dockerfile"}


def test_a_closed_pipe_ends_a_parallel_run_quietly(project: Path) -> None:
    for i in range(120):
        (project / f"{i:03}.Dockerfile").write_text(SAMPLE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockerfile_refactor_ls", "check", "-f", "text", "-j", "2", "."],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_tty_is_the_default_on_a_terminal(project: Path) -> None:
    import os
    import pty

    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockerfile_refactor_ls", "check", "Dockerfile"],
        cwd=project,
        stdout=child_fd,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"},
    )
    os.close(child_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(main_fd)
    out = b"".join(chunks).decode()
    assert "\x1b[" in out  # coloured
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "1 | FROM ubuntu" in plain and "fixable with --fix" in plain


def test_verbose_is_quiet_without_it(project: Path) -> None:
    assert cli("check", "Dockerfile").err == ""


def test_progress_bar_draws_only_on_a_terminal_after_the_delay() -> None:
    import io

    class Term(io.StringIO):
        def isatty(self) -> bool:
            return True

    term = Term()
    bar = Progress(10, term, enabled=True, delay=0.0)
    for _ in range(10):
        bar.advance()
    bar.close()
    assert "10/10 files" in term.getvalue() or "/10 files" in term.getvalue()
    assert term.getvalue().endswith("\r\x1b[2K")
    piped = io.StringIO()
    bar = Progress(10, piped, enabled=True, delay=0.0)
    bar.advance()
    bar.close()
    assert piped.getvalue() == ""


def test_process_level_stdin_and_exit_code(tmp_path: Path) -> None:
    proc = cli_process("check", "-f", "json", "-", stdin=SAMPLE.encode(), cwd=tmp_path)
    assert proc.returncode == 1
    assert "DL3006" in {o["code"] for o in json.loads(proc.stdout)}
