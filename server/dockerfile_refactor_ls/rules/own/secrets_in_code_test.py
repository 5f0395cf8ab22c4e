from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ...engine.parser import Instruction
from ..base import RuleContext
from .secrets_in_code import RULE

# Fake credentials in the shapes the patterns know (none of them is real).
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)


def found(text: str) -> list[tuple[str, str]]:
    """(the reported text, the message) per finding; the message never contains the secret."""
    doc = Dockerfile(text)
    out = []
    for f in RULE.check(RuleContext(doc)):
        assert f.severity is Severity.WARNING
        secret = text[f.span.start : f.span.end]
        assert secret and secret not in f.message
        out.append((secret, f.message))
    return out


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        (f"FROM alpine\nENV GITHUB_TOKEN={GITHUB}\n", GITHUB, "GitHub Token in ENV GITHUB_TOKEN"),
        (f"ARG TOKEN={GITHUB}\nFROM alpine\n", GITHUB, "GitHub Token in ARG TOKEN"),
        (f"FROM alpine\nENV AWS_ACCESS_KEY_ID={AWS_ID}\n", AWS_ID, "AWS Access Key"),
        (f'FROM alpine\nENV aws_secret_access_key="{AWS_SECRET}"\n', AWS_SECRET, "AWS Access Key"),
        ('FROM alpine\nENV DB_PASSWORD="s3cr3t-Pa55w0rd"\n', "s3cr3t-Pa55w0rd", "secret in ENV DB_PASSWORD"),
        ("FROM alpine\nENV A=1 API_KEY='k3y-v4lue-9f8e' B=2\n", "k3y-v4lue-9f8e", "secret in ENV API_KEY"),
        (
            "FROM python:3.12\nRUN pip install \\\n  --index-url https://deploy:Sup3rS3cret@pypi.example.com/simple app\n",
            "Sup3rS3cret",
            "password in a URL in RUN",
        ),
        (f'FROM alpine\nRUN curl -H "Authorization: Bearer {JWT}" https://api.example.com\n', JWT, "JSON Web Token"),
        (f'FROM alpine\nRUN ["curl", "-H", "Authorization: token {GITHUB}", "https://x"]\n', GITHUB, "GitHub Token"),
        (
            f"FROM alpine\nRUN <<EOF\ngit clone https://{GITHUB}@github.com/org/repo\nEOF\n",
            GITHUB,
            "GitHub Token in the heredoc <<EOF",
        ),
    ],
)
def test_secret_reported_by_its_kind(text: str, secret: str, kind: str) -> None:
    [(reported, message)] = found(text)
    assert reported == secret
    assert kind in message


def test_private_key_block_is_the_range() -> None:
    key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx1234\n-----END RSA PRIVATE KEY-----"
    text = f"FROM alpine\nCOPY <<EOF /root/.ssh/id_rsa\n{key}\nEOF\n"
    [(reported, message)] = found(text)
    assert reported == key
    assert "Private Key in the heredoc <<EOF" in message


def test_several_secrets_in_one_instruction() -> None:
    text = f"FROM alpine\nENV AWS_ACCESS_KEY_ID={AWS_ID} \\\n    GH={GITHUB}\n"
    assert [r for r, _ in found(text)] == [AWS_ID, GITHUB]


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine\nENV PASSWORD=$PASSWORD TOKEN=${TOKEN}\n",
        "FROM alpine\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm npm ci\n",
        "FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password SECRET_NAME=prod-db\n",
        "FROM node:20\nENV NODE_SHA256=e293ed620cec74651bb4a071317892a478aa6840fab22db45c72d77cd42f9676\n",
        "FROM debian\nENV GPG_KEY=E3FF2839C048B25C084DEBE9B26995E310250568\n",
        "FROM debian\nRUN echo 'ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca *go.tgz' | sha256sum -c -\n",
        "FROM debian\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs\n",
        "FROM alpine\nENV APP_ID=123e4567-e89b-12d3-a456-426614174000\n",
        "FROM alpine\n# ENV GITHUB_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 (a comment is not in the image)\n",
        "FROM alpine\nRUN wget -q http://203.0.113.7/pkg.tgz\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert found(text) == []


def test_kept_findings_move_with_their_instruction() -> None:
    text = f"FROM alpine\nENV GITHUB_TOKEN={GITHUB}\n"
    first = Dockerfile(text)
    [a] = RULE.check(RuleContext(first))
    # The same instruction object, shifted by the incremental parser, keeps its cached scan.
    from ...engine.parser import parse_incremental

    moved = "# a comment\n" + text
    doc = Dockerfile(moved, parsed=parse_incremental(first.parsed, moved, 0, 0, 12))
    [b] = RULE.check(RuleContext(doc))
    assert moved[b.span.start : b.span.end] == GITHUB
    assert b.span.start == a.span.start + 12


def test_detect_secrets_is_loaded_offline() -> None:
    """Loading the patterns imports neither requests nor urllib3 (which opens a socket at import)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dockerfile_refactor_ls.rules.own.secrets_in_code import scan\n"
        f"assert scan('token = \"{GITHUB}\"')\n"
        "print(sorted(m for m in ('requests', 'urllib3', 'socket') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "requests" not in out and "urllib3" not in out


def test_a_deferred_detector_finds_nothing_until_ready_then_calls_its_listeners() -> None:
    # The language server builds the detector in the background; an analysis meanwhile goes without
    # the rule (and caches nothing for it), and the listener republishes once it is ready.
    import threading

    from .secrets_in_code import Loader, _NotReady

    text = f"FROM alpine\nENV TOKEN={GITHUB}\n"
    loader = Loader()
    loader.defer()
    with pytest.raises(_NotReady):
        loader.detector()
    assert loader.skipped
    called = threading.Event()
    loader.start(called.set)
    assert called.wait(30), "the listener is called once the detector is built"
    assert loader.ready and loader.detector() is not None
    assert [s for s, _ in found(text)] == [GITHUB]  # the module's own loader: built inline (CLI)


def test_the_rule_yields_nothing_while_the_servers_detector_is_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    from . import secrets_in_code

    loader = secrets_in_code.Loader()
    loader.defer()
    monkeypatch.setattr(secrets_in_code, "LOADER", loader)
    doc = Dockerfile(f"FROM alpine\nENV TOKEN={GITHUB}\n")
    ctx = RuleContext(doc)
    assert list(RULE.check(ctx)) == []
    assert all(ctx.kept.get("secrets", ins) is None for ins in doc.instructions), "nothing kept while not ready"
    loader.ready = True
    assert [doc.text[f.span.start : f.span.end] for f in RULE.check(ctx)] == [GITHUB]
    assert any(ctx.kept.get("secrets", ins) is not None for ins in doc.instructions)


def _counting_scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every instruction scanned for secrets (an empty text cache to start with)."""
    from collections import OrderedDict

    from . import secrets_in_code

    monkeypatch.setattr(secrets_in_code, "_BY_TEXT", OrderedDict())
    scanned: list[str] = []
    real = secrets_in_code._instruction_secrets

    def counting(doc: Dockerfile, ins: Instruction, det: object = None) -> object:
        scanned.append(ins.original)
        return real(doc, ins, det)  # type: ignore[arg-type]

    monkeypatch.setattr(secrets_in_code, "_instruction_secrets", counting)
    return scanned


def test_an_instruction_parsed_anew_with_the_same_text_is_not_scanned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A reopened file, a client that sends the whole text, a re-parse: new instruction objects,
    # known texts.
    scanned = _counting_scans(monkeypatch)
    text = f"FROM alpine\nENV TOKEN={GITHUB}\nRUN echo one\nRUN echo two\n"
    assert [s for s, _ in found(text)] == [GITHUB]
    assert len(scanned) == 3
    scanned.clear()
    moved = "# a comment above everything\n" + text.replace("echo two", "echo three")
    assert [s for s, _ in found(moved)] == [GITHUB]  # where the secret is now
    assert scanned == ["RUN echo three"]


def test_the_servers_detector_scans_the_open_documents_before_it_says_it_is_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from . import secrets_in_code

    scanned = _counting_scans(monkeypatch)
    text = f"FROM alpine\nENV TOKEN={GITHUB}\nRUN echo pre-scanned\n"
    loader = secrets_in_code.Loader()
    loader.defer()
    monkeypatch.setattr(secrets_in_code, "LOADER", loader)
    doc = Dockerfile(text)
    assert list(RULE.check(RuleContext(doc))) == []  # not ready: the rule waits
    called = threading.Event()
    loader.start(called.set, lambda: [text])
    assert called.wait(30)
    assert len(scanned) == 2  # the ENV and the RUN, in the loader's thread
    scanned.clear()
    got = [text[f.span.start : f.span.end] for f in RULE.check(RuleContext(doc))]
    assert got == [GITHUB] and scanned == []  # the server's analysis finds them scanned


def test_the_pre_scan_reads_the_first_part_of_a_huge_file_and_never_more_than_the_cache_keeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 4 MB file was parsed whole a second time beside the analysis thread, and its 100,000
    instructions pushed each other out of the 50,000-entry cache before the rules read them."""
    from . import secrets_in_code

    scanned = _counting_scans(monkeypatch)
    monkeypatch.setattr(secrets_in_code, "PRESCAN_CHARS", 200)
    small = f"FROM alpine\nENV TOKEN={GITHUB}\n"
    huge = "FROM alpine\n" + "".join(f"RUN echo {i}\n" for i in range(100))
    det = secrets_in_code._detector()
    assert det is not None
    # Character 200 of the huge file is on the line of `RUN echo 16`: the scan reads to its end.
    assert huge.index("RUN echo 16") < 200 < huge.index("RUN echo 17")
    assert secrets_in_code.prescan([small, huge], det) == len(scanned) == 1 + 17
    assert scanned[0] == f"ENV TOKEN={GITHUB}" and scanned[-1] == "RUN echo 16"
    scanned.clear()
    monkeypatch.setattr(secrets_in_code, "PRESCAN_CHARS", 10_000)
    monkeypatch.setattr(secrets_in_code, "PRESCAN_INSTRUCTIONS", 30)
    secrets_in_code._BY_TEXT.clear()
    assert secrets_in_code.prescan([huge], det) == len(scanned) == 30
