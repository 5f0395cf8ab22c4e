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
