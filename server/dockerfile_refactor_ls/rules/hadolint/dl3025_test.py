from ._testing import findings, fixed, flagged


def test_shell_form() -> None:
    assert flagged("DL3025", "FROM node:22\nCMD node server.js\nENTRYPOINT /entry.sh\n") == ["node server.js", "/entry.sh"]


def test_json_passes() -> None:
    assert flagged("DL3025", 'FROM node:22\nCMD ["node", "server.js"]\nENTRYPOINT ["/entry.sh"]\n') == []


def test_fix() -> None:
    assert fixed("DL3025", "FROM node:22\nCMD node server.js\n") == 'FROM node:22\nCMD ["node", "server.js"]\n'


def test_no_fix_for_shell_syntax_and_unsafe_with_entrypoint() -> None:
    [f] = findings("DL3025", "FROM node:22\nCMD node server.js && echo $HOME\n")
    assert f.fixes == []
    [f] = findings("DL3025", 'FROM node:22\nENTRYPOINT ["tini", "--"]\nCMD node server.js\n')
    assert not f.fixes[0].safe


def test_healthcheck_cmd_shell_form() -> None:
    text = (
        "FROM nginx:1.27\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n"
        "HEALTHCHECK NONE\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nhealthcheck cmd true\n"
    )
    assert flagged("DL3025", text) == ["curl -f http://localhost/ || exit 1", "true"]
    assert fixed("DL3025", "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\n") == (
        'FROM nginx:1.27\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n'
    )
    [f] = findings("DL3025", "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\n")
    assert f.fixes[0].safe  # no ENTRYPOINT reads a health check's words
    [f] = findings("DL3025", "FROM nginx:1.27\nHEALTHCHECK CMD exec curl http://localhost/\n")
    assert not f.fixes[0].safe  # exec is a shell builtin


def test_onbuild_malformed_json_and_fragments() -> None:
    assert flagged("DL3025", "FROM node:22\nONBUILD CMD node x.js\nONBUILD HEALTHCHECK CMD x\n") == []
    assert flagged("DL3025", "FROM node:22\nCMD ['node', 'x.js']\n") == ["['node', 'x.js']"]
    [f] = findings("DL3025", "HEALTHCHECK CMD foobar\n")
    assert f.fixes == []  # a fragment: no stage to decide the fix's safety in
