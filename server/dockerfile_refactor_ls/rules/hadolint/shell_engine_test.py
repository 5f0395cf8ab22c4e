"""Tests of ``engine/shell.py``, the RUN analysis every shell-based rule relies on."""

from __future__ import annotations

from ...engine.model import Dockerfile
from ...engine.shell import analyse, iter_runs, run_script


def names(text: str) -> list[str]:
    return [c.name for c in analyse(text).commands]


def test_simple_chain_with_assignments_and_quotes() -> None:
    s = analyse('A=1 apt-get install -y "curl" \'g\'it && rm -rf /x')
    assert s.parser == "tokenizer"
    apt, rm = s.commands
    assert apt.name == "apt-get" and apt.values == ["install", "-y", "curl", "git"]
    assert [a.value for a in apt.assignments] == ["A=1"]
    assert rm.values == ["-rf", "/x"]
    assert s.append_at == len('A=1 apt-get install -y "curl" \'g\'it && rm -rf /x')


def test_case_test_brackets_and_arithmetic() -> None:
    # Constructs bashlex (evaluated and dropped, see engine/shell.py) could not read.
    text = 'case "$a" in x|y) apt-get install z ;; *) exit 1 ;; esac; [[ -f q ]] && echo $((1+2)); b=(1 2)'
    s = analyse(text)
    assert s.parser == "tokenizer"
    assert [c.name for c in s.commands] == ["apt-get", "exit", "[[", "echo"]


def test_compound_commands() -> None:
    s = analyse("if [[ -f x ]]; then echo $((1 + 2)); fi; for ((i=0;i<3;i++)); do cd /tmp; done")
    assert [c.name for c in s.commands] == ["[[", "echo", "cd"]


def test_pipes_and_substitutions() -> None:
    text = 'V="$(curl -s x | jq -r .v)"; echo a || echo b'
    s = analyse(text)
    assert [text[p.start : p.end] for p in s.pipelines] == ["curl -s x | jq -r .v"]
    assert "curl" in [c.name for c in s.commands] and "jq" in [c.name for c in s.commands]


def test_wrappers_and_nested_shells() -> None:
    s = analyse("sudo -u root env X=1 /usr/bin/apt-get install -y q")
    [c] = s.commands
    assert c.name == "apt-get" and c.wrappers == ("sudo", "env")
    assert names("sh -c 'apt-get update && apt-get install -y q'") == ["sh", "apt-get", "apt-get"]
    assert names("command -v curl") == ["command"]


def test_flags_and_positional() -> None:
    [c] = analyse("apt-get -o Dpkg::Options::=--force-confold -yq install -t bookworm curl=1").commands
    assert c.has_flag("y") and c.has_flag("q") and c.has_flag("t") and not c.has_flag("no-install-recommends")
    assert [w.value for w in c.positional(("o", "t"))] == ["install", "curl=1"]
    [u] = analyse("useradd --uid=123456 -g 10 app").commands
    assert u.flag_values("u", "uid") == ["123456"] and u.flag_values("g") == ["10"]


def test_offsets_map_through_continuations_and_comment_lines() -> None:
    text = "FROM debian:12\nRUN apt-get update \\\n  # a comment\n  && apt-get ins\\\ntall -y curl\n"
    doc = Dockerfile(text)
    [(_, _, s)] = list(iter_runs(doc))
    apt = s.commands[1]
    assert apt.values == ["install", "-y", "curl"]
    assert text[apt.args[0].span.start : apt.args[0].span.end] == "ins\\\ntall"
    assert text[apt.args[2].span.start : apt.args[2].span.end] == "curl"


def test_heredoc_script_exec_form_and_onbuild() -> None:
    text = (
        "FROM debian:12\nRUN <<EOF\napt-get update\ncat <<X > /f\nhi | there\nX\nEOF\n"
        'RUN ["sh", "-c", "apt-get install -y q"]\nRUN ["/bin/true", "x"]\nONBUILD RUN make\n'
    )
    doc = Dockerfile(text)
    scripts = [s for _, _, s in iter_runs(doc)]
    assert [c.name for c in scripts[0].commands] == ["apt-get", "cat"]
    assert scripts[0].pipelines == []
    assert [c.name for c in scripts[1].commands] == ["apt-get"]
    assert [c.name for c in scripts[2].commands] == ["true"]
    assert [c.name for c in scripts[3].commands] == ["make"]


def test_non_posix_shells_are_skipped() -> None:
    doc = Dockerfile('FROM debian:12\nSHELL ["pwsh", "-c"]\nRUN Get-Item x | Out-Null\n')
    assert run_script(doc, doc.instructions[-1]) is None
    doc = Dockerfile("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n")
    assert run_script(doc, doc.instructions[-1]) is None


def test_append_position_only_for_clean_endings() -> None:
    assert analyse("a && b # note").append_at is None
    assert analyse("a &").append_at is None
    assert analyse("a;").append_at is None
    assert analyse("if x; then y; fi").append_at == len("if x; then y; fi")


def test_hadolint_shell_pragma_marks_runs_non_posix() -> None:
    from ...engine.model import Dockerfile
    from ...engine.shell import effective_shell, is_posix_shell_stage

    text = "FROM mcr.microsoft.com/powershell:lts\n# hadolint shell=pwsh\nRUN Get-Process | Stop-Process\n"
    doc = Dockerfile(text)
    run = doc.instructions[-1]
    assert effective_shell(doc, doc.stages[0], run.span.start) == ["pwsh"]
    assert not is_posix_shell_stage(doc, doc.stages[0], run.span.start)
    # A SHELL after the pragma wins, as the later setting.
    later = Dockerfile(text.replace("RUN", 'SHELL ["/bin/sh", "-c"]\nRUN'))
    assert effective_shell(later, later.stages[0], later.instructions[-1].span.start) == ["/bin/sh", "-c"]
