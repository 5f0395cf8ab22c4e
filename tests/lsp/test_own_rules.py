"""The rules of issue 19 as an editor sees them: diagnostics with exact ranges, and their quick fixes."""

from __future__ import annotations

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import diagnostics_where, open_doc

TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"  # fake, in the shape of a GitHub token
TEXT = f"""# Build the images
# sytax=docker/dockerfile:1
FROM node:20 AS assets
RUN npm ci

FROM golang:1.22 AS build
RUN useradd -u 10001 app && go build -o /server .

FROM scratch AS static
COPY --from=build /server /server
USER app
RUN /server --check

FROM alpine:3.20 AS conf
USER guest
COPY app.conf /srv/conf/

FROM python:3.12-slim
COPY --from=static /server /server
COPY --from=conf /srv/conf /srv/conf
ENV GITHUB_TOKEN={TOKEN}
RUN useradd --create-home web && mkdir /srv/data && chmod -R 777 /srv/data
CMD ["python", 'app.py']
"""
LINES = TEXT.splitlines()

# code -> (line, text the range covers, title of the quick fix or None)
EXPECTED = {
    "SyntaxDirectiveTypo": (1, "sytax", "Change to 'syntax'"),
    "UnreachableStage": (2, "FROM node:20 AS assets", "Remove the unused stage"),
    "NamedUserWithoutPasswd": (10, "app", "Use the numeric user 10001:10001"),
    "ShellRunInScratch": (11, "/server --check", "Use the exec form (no shell)"),
    "CopyAfterUserWithoutChown": (15, "COPY", "Add --chown=guest"),
    "SecretsInCode": (20, TOKEN, None),
    "UserCreatedNeverUsed": (21, "web", "Switch to user web"),
    "WorldWritablePath": (21, "777", None),
    "InvalidJsonForm": (22, "[\"python\", 'app.py']", "Use the exec form (valid JSON)"),
}


def _covered(rng: lsp.Range) -> str:
    assert rng.start.line == rng.end.line
    return LINES[rng.start.line][rng.start.character : rng.end.character]


async def test_issue_19_rules_in_the_editor(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, TEXT)
    # SecretsInCode's findings may come in a second publish (its detector is built in the background).
    diags = await diagnostics_where(client, uri, lambda ds: {d.code for d in ds} >= set(EXPECTED))
    by_code = {d.code: d for d in diags if d.code in EXPECTED}
    assert set(by_code) == set(EXPECTED)
    for code, (line, covered, title) in EXPECTED.items():
        diag = by_code[code]
        assert diag.range.start.line == line, code
        assert _covered(diag.range) == covered, code
        assert diag.code_description is not None and diag.code_description.href.endswith(f"/{code}.md")
        if title is None:
            continue
        actions = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=diag.range,
                context=lsp.CodeActionContext(diagnostics=[diag], only=[lsp.CodeActionKind.QuickFix]),
            )
        )
        titles = {a.title: a for a in actions or [] if isinstance(a, lsp.CodeAction)}
        assert title in titles, (code, list(titles))
        assert titles[title].edit is not None
    # The secret is pointed at, never repeated.
    assert TOKEN not in by_code["SecretsInCode"].message
    assert lsp.DiagnosticTag.Unnecessary in (by_code["UnreachableStage"].tags or [])


async def test_fix_all_leaves_the_unsafe_fixes_alone(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, TEXT)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=len(LINES), character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    edits: list[lsp.TextEdit] = []
    for a in actions or []:
        if isinstance(a, lsp.CodeAction) and a.edit is not None:
            for change in a.edit.document_changes or []:
                if isinstance(change, lsp.TextDocumentEdit):
                    edits += [e for e in change.edits if isinstance(e, lsp.TextEdit)]
    # None of the issue-19 quick fixes is safe: source.fixAll must not make any of their edits.
    texts = [e.new_text for e in edits]
    for marker in ("syntax", "--chown", "USER ", "10001", '["/server"', '"app.py"'):
        assert not any(marker in t for t in texts), marker
    assert not any(e.range.start.line <= 2 < e.range.end.line for e in edits)  # the stage is not removed
