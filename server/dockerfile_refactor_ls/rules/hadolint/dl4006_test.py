from ._testing import findings, fixed, flagged


def test_pipe_without_pipefail() -> None:
    assert flagged("DL4006", "FROM debian:12\nRUN curl -fsSL https://x/install.sh | sh\n") == ["curl -fsSL https://x/install.sh | sh"]


def test_passes() -> None:
    for pre, run in (
        ('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', "curl x | sh"),
        ('SHELL ["/bin/bash", "-euxo", "pipefail", "-c"]\n', "curl x | sh"),
        ('SHELL ["/usr/bin/zsh", "-o", "pipefail", "-c"]\n', "curl x | sh"),
        ('SHELL ["ash", "-o", "pipefail", "-c"]\n', "curl x | sh"),
        ("", "set -o pipefail && curl x | sh"),
        ("", "set -euo pipefail; curl x | sh"),
        ("", 'echo "$SHA  file" | sha256sum -c -'),
        ("", "a || b"),
    ):
        assert flagged("DL4006", f"FROM debian:12\n{pre}RUN {run}\n") == [], run


def test_shell_inherited_from_base_stage() -> None:
    text = 'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN curl x | sh\n'
    assert flagged("DL4006", text) == []


def test_powershell_stage_is_skipped() -> None:
    text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN Get-ChildItem | Select-Object Name\n'
    assert flagged("DL4006", text) == []


def test_fix_inserts_shell_once_per_stage() -> None:
    text = "FROM debian:12\nRUN curl x | sh\nRUN wget -O- y | sh\n"
    found = findings("DL4006", text)
    assert len(found) == 2 and found[1].fixes == [] and not found[0].fixes[0].safe
    new = fixed("DL4006", text)
    assert new == 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl x | sh\nRUN wget -O- y | sh\n'
    assert findings("DL4006", new) == []
    alpine = fixed("DL4006", "FROM alpine:3.20\nRUN wget -O- x | sh\n")
    assert '["/bin/ash", "-o", "pipefail", "-c"]' in alpine


def test_sh_with_pipefail_does_not_count() -> None:
    # `sh` is dash on Debian: the SHELL names an option the shell may not have.
    text = 'FROM debian:12\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l > /number\n'
    assert flagged("DL4006", text) == ["wget -O - https://some.site | wc -l"]


def test_shell_without_pipefail_does_not_count() -> None:
    text = 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN curl x | sh\n'
    assert flagged("DL4006", text) == ["curl x | sh"]
