"""The newer editor features in headless Neovim, as a user reaches them through the built-in client.

Each test runs one scenario of nvim_features.lua (through nvim_driver.lua's "feature" mode) and
checks what the user then sees: the signature help window and its highlighted parameter, inlay
hint virtual text, code lens virtual text and what running a lens shows, the diagnostics list, the
quickfix list, highlight groups, the buffer after a rename. What Neovim shows is compared with what
the engine computes for the same text, so a change in the engine changes both sides alike; a known
value per feature keeps an empty engine answer from passing.

Where a Neovim lacks the client side of a feature (0.7 has no inlay hints, semantic tokens or pull
diagnostics; 0.11 has no on-type formatting) the scenario says so and the test skips that version
with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockerfile_refactor_ls.engine.code_lenses import code_lenses
from dockerfile_refactor_ls.engine.inlay_hints import inlay_hints
from dockerfile_refactor_ls.engine.links import document_links
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.selection import selection_range
from dockerfile_refactor_ls.engine.semantic_tokens import semantic_tokens
from dockerfile_refactor_ls.engine.signatures import signature_help
from dockerfile_refactor_ls.engine.workspace_symbols import stage_symbols
from dockerfile_refactor_ls.features.inlay_hints import image_user

from ._support import doc_snippets
from .test_neovim import NVIM_SERIES, need_nvim, run_nvim, start_config, workspace

SERIES = list(NVIM_SERIES)


def run_feature(
    series: str, tmp_path: Path, text: str, feature: str, args: dict[str, Any], **start: Any
) -> tuple[dict[str, Any], Path]:
    """Open `text` as project/Dockerfile in the series' Neovim, run the scenario; (its result, file)."""
    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, text)
    config = start_config(dockerfile)
    config["start"].update(start)
    result = run_nvim(
        nvim, tmp_path, {**config, "wait_code": None, "mode": "feature", "feature": feature, "args": args}
    )
    seen = result["feature"]
    if isinstance(seen, dict) and "unsupported" in seen:
        pytest.skip(seen["unsupported"])
    return seen, dockerfile


def line_col(text: str, offset: int) -> tuple[int, int]:
    """0-based line and column (bytes = characters: the texts here are ASCII)."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


# --- signature help --------------------------------------------------------------------------------

SIG_TEXT = "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\n"
SIG_TYPED = "COPY --from="


@pytest.mark.parametrize("series", SERIES)
def test_signature_help_while_typing_copy_from(series: str, tmp_path: Path) -> None:
    """Typing `COPY --from=` then <C-s> (0.11; 0.7: vim.lsp.buf.signature_help()) shows the flag's
    signature with its value highlighted as the active parameter."""
    seen, _ = run_feature(series, tmp_path, SIG_TEXT, "signature_help", {"after_line": 3, "typed": SIG_TYPED})
    assert seen["mode"] == "i", "typing left Insert mode"
    assert seen["typed_line"] == SIG_TYPED
    typed = SIG_TEXT + SIG_TYPED
    expected = signature_help(Dockerfile(typed), len(typed))
    assert expected is not None
    sig = expected.signatures[expected.active_signature]
    assert sig.label.startswith("COPY --from=<stage|image|context>")
    assert expected.active_parameter is not None
    # The label is the float's code line (Neovim wraps it in a ```dockerfile fence).
    assert sig.label in seen["lines"], seen["lines"]
    if series == "nvim0.11":
        assert seen["used"] == "<C-s>"
        # 0.7 adds the highlight with namespace -1, which nvim_get_namespaces() does not list, so
        # only 0.10+ (a named namespace) lets the test see which text is highlighted.
        assert seen["active"] == [sig.parameters[expected.active_parameter].label]


# --- inlay hints -----------------------------------------------------------------------------------

INLAY_TEXT = """\
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS build
ENV APP=/app
WORKDIR $APP
FROM gcr.io/distroless/static:nonroot
CMD ["z"]
"""


@pytest.mark.parametrize("series", SERIES)
def test_inlay_hints_virtual_text(series: str, tmp_path: Path) -> None:
    """vim.lsp.inlay_hint.enable(true): the resolved ARG values, stage indexes and the user CMD runs
    as appear as inline virtual text where the engine puts them."""
    seen, _ = run_feature(series, tmp_path, INLAY_TEXT, "inlay_hints", {})
    assert seen["enabled"] is True
    doc = Dockerfile(INLAY_TEXT)
    expected = sorted((*line_col(INLAY_TEXT, h.offset), h.label) for h in inlay_hints(doc, None, image_user))
    shown = sorted((h["row"], h["col"], h["text"].strip()) for h in seen["hints"])
    assert shown == expected
    assert (1, len("FROM golang:${GO_VERSION}-alpine"), "= golang:1.22-alpine") in shown
    assert any(label == "as nonroot" for _, _, label in shown)


# --- code lenses -----------------------------------------------------------------------------------

LENS_TEXT = """\
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=build /out/app /usr/bin/app
FROM alpine:3.20 AS final
COPY --from=build /out/app /app
"""


@pytest.mark.parametrize("series", SERIES)
@pytest.mark.parametrize(
    ("lens", "message", "cursor_line"),
    [
        ("build --target build", "docker build --target build .", None),
        # 0.11 supports window/showDocument: the server then moves the cursor to the first use.
        ("2 stages copy from this", "Stage build is used on line 4", 4),
    ],
)
def test_code_lens_shown_and_run(
    series: str, lens: str, message: str, cursor_line: int | None, tmp_path: Path
) -> None:
    """vim.lsp.codelens.refresh() shows each stage's lenses as virtual text above/at its FROM line;
    vim.lsp.codelens.run() on that line (the user picks the lens from the menu) runs its command,
    whose message Neovim shows."""
    jumps = series == "nvim0.11" and cursor_line is not None
    seen, _ = run_feature(
        series,
        tmp_path,
        LENS_TEXT,
        "code_lens",
        {
            "line": 1,
            "run": lens,
            "expect_message": message,
            "expect_cursor_line": cursor_line if jumps else None,
        },
    )
    doc = Dockerfile(LENS_TEXT)
    by_row: dict[int, list[str]] = {}
    for expected_lens in code_lenses(doc):
        by_row.setdefault(line_col(LENS_TEXT, expected_lens.span.start)[0], []).append(expected_lens.title)
    assert sorted(int(r) for r in seen["shown"]) == sorted(by_row)
    for row, titles in by_row.items():
        # Neovim joins a line's lenses with " | ", in the order the server sent them.
        assert seen["shown"][str(row)] == " | ".join(titles)
    assert lens in seen["offered"]
    assert message in seen["messages"]
    if jumps:
        assert seen["cursor"][0] == cursor_line


# --- document links --------------------------------------------------------------------------------

LINK_TEXT = """\
# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
FROM golang:1.22 AS build
FROM ghcr.io/super-linter/super-linter:latest
COPY --from=build /a /b
"""


@pytest.mark.parametrize("series", SERIES)
def test_document_links_targets(series: str, tmp_path: Path) -> None:
    """Neovim has no document-link UI; a mapping or plugin asking for them gets these targets."""
    seen, _ = run_feature(series, tmp_path, LINK_TEXT, "document_links", {})
    expected = [
        (LINK_TEXT[link.span.start : link.span.end], link.target)
        for link in document_links(Dockerfile(LINK_TEXT))
    ]
    assert [(link["text"], link["target"]) for link in seen["links"]] == expected
    assert ("golang", "https://hub.docker.com/_/golang") in expected


# --- pull diagnostics ------------------------------------------------------------------------------

PULL_TEXT = "FROM golang:1.22 as build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD /app\n"


@pytest.mark.parametrize("series", SERIES)
@pytest.mark.parametrize("push", ["push-on", "push-off"])
def test_pull_diagnostics_shown_once(series: str, push: str, tmp_path: Path) -> None:
    """0.11 pulls textDocument/diagnostic: with the push handler on, each finding still shows once
    (the server stops pushing once the buffer is pulled); with it off, the pulled ones show; an edit
    that fixes a finding makes it disappear."""
    seen, _ = run_feature(
        series,
        tmp_path,
        PULL_TEXT,
        "pull_diagnostics",
        {
            "code": "FromAsCasing",
            "settle_ms": 400,
            "edit_cursor": [1, PULL_TEXT.index(" as ") + 1],
            "edit_to": "AS",
        },
        no_push=push == "push-off",
    )
    for moment in ("opened", "edited"):
        snap = seen[moment]
        keys = [(d["code"], d["lnum"], d["col"]) for d in snap["all"]]
        assert len(keys) == len(set(keys)), f"{moment}: a diagnostic shows twice: {keys}"
        assert snap["pushed"] == 0, f"{moment}: pushed diagnostics alongside the pulled ones"
        assert snap["pulled"] == len(keys) > 0
    opened = {d["code"] for d in seen["opened"]["all"]}
    edited = {d["code"] for d in seen["edited"]["all"]}
    assert {"FromAsCasing", "JSONArgsRecommended"} <= opened
    assert seen["line"] == "FROM golang:1.22 AS build"
    assert "FromAsCasing" not in edited and "JSONArgsRecommended" in edited


# --- selection range -------------------------------------------------------------------------------

SELECTION_TEXT = """\
FROM golang:1.22 AS build
COPY --from=build --chown=app:app /out/app /usr/bin/app
FROM alpine
"""


@pytest.mark.parametrize("series", SERIES)
def test_selection_range_chain(series: str, tmp_path: Path) -> None:
    """word -> flag value -> flag -> instruction -> stage -> document, as the texts Neovim's buffer
    has at the returned ranges (no Neovim before 0.12 has a selection-range UI)."""
    offset = SELECTION_TEXT.index("app:app") + 1
    line, col = line_col(SELECTION_TEXT, offset)
    seen, _ = run_feature(
        series, tmp_path, SELECTION_TEXT, "selection_range", {"line": line, "character": col}
    )
    expected = [SELECTION_TEXT[s.start : s.end] for s in selection_range(Dockerfile(SELECTION_TEXT), offset)]
    assert seen["chain"] == expected
    assert seen["chain"][:3] == ["app", "app:app", "--chown=app:app"]


# --- semantic tokens -------------------------------------------------------------------------------

TOKENS_TEXT = """\
ARG VERSION=1.22
FROM golang:${VERSION} AS build
COPY --from=build /a /b
LABEL org.opencontainers.image.title=x
RUN echo $TARGETARCH
"""


@pytest.mark.parametrize("series", SERIES)
def test_semantic_token_highlights(series: str, tmp_path: Path) -> None:
    """Neovim 0.9+ highlights our tokens as @lsp.type.<type>.dockerfile (and @lsp.mod / @lsp.typemod
    for modifiers) exactly where the engine's tokens are; :Inspect on the stage name says so."""
    inspect_at = line_col(TOKENS_TEXT, TOKENS_TEXT.index("build\n"))
    seen, _ = run_feature(series, tmp_path, TOKENS_TEXT, "semantic_tokens", {"inspect": [list(inspect_at)]})
    shown = {(h["row"], h["col"], h["end_col"], h["hl_group"]) for h in seen["highlights"]}
    expected = set()
    for token in semantic_tokens(Dockerfile(TOKENS_TEXT)):
        row, col = line_col(TOKENS_TEXT, token.span.start)
        end = col + token.span.end - token.span.start
        expected.add((row, col, end, f"@lsp.type.{token.type}.dockerfile"))
        for mod in token.modifiers:
            expected.add((row, col, end, f"@lsp.mod.{mod}.dockerfile"))
            expected.add((row, col, end, f"@lsp.typemod.{token.type}.{mod}.dockerfile"))
    assert shown == expected
    assert (0, 4, 11, "@lsp.typemod.variable.declaration.dockerfile") in shown
    assert (4, 10, 20, "@lsp.typemod.variable.defaultLibrary.dockerfile") in shown
    assert "@lsp.type.namespace.dockerfile" in seen["inspected"][0]


# --- on-type formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize("series", SERIES)
def test_on_type_formatting_indents_continuation(series: str, tmp_path: Path) -> None:
    """Enter after a `\\` continuation: the server indents the new line (needs Neovim 0.12's client)."""
    text = "FROM alpine\nRUN apk add \\\n"
    seen, _ = run_feature(series, tmp_path, text, "on_type_formatting", {"line": 2, "typed": "<CR>"})
    assert seen["lines"][:2] == ["FROM alpine", "RUN apk add \\"]
    assert seen["lines"][2].startswith((" ", "\t")), seen["lines"]


# --- workspace symbols -----------------------------------------------------------------------------

WS_OPEN = "FROM golang:1.22 AS build\nFROM alpine:3.20 AS runtime\n"
WS_OTHER = "FROM node:20 AS build-api\nFROM nginx AS web\n"


@pytest.mark.parametrize("series", SERIES)
def test_workspace_symbols_quickfix(series: str, tmp_path: Path) -> None:
    """vim.lsp.buf.workspace_symbol('build') lists the matching stages of every Dockerfile in the
    workspace, open or not, in the quickfix list."""
    other = tmp_path / "project" / "services" / "api" / "Dockerfile.dev"
    other.parent.mkdir(parents=True)
    other.write_text(WS_OTHER, encoding="utf-8")
    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, WS_OPEN)
    result = run_nvim(
        nvim,
        tmp_path,
        {
            **start_config(dockerfile),
            "wait_code": None,
            "mode": "feature",
            "feature": "workspace_symbols",
            "args": {"query": "build"},
        },
    )
    seen = result["feature"]
    docs = [(str(dockerfile), Dockerfile(WS_OPEN)), (str(other), Dockerfile(WS_OTHER))]
    expected = [
        (sym.key, *line_col(sym.doc.text, sym.span.start), sym.name) for sym in stage_symbols(docs, "build")
    ]
    assert [name for *_, name in expected] == ["build", "build-api"]
    got = [(item["file"], item["lnum"] - 1, item["col"] - 1, item["text"]) for item in seen["items"]]
    assert [g[:3] for g in got] == [e[:3] for e in expected]
    for (*_, text), (*_, name) in zip(got, expected, strict=True):
        assert name in text


# --- rename ----------------------------------------------------------------------------------------

RENAME_TEXT = """\
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM build AS test
RUN go test ./...
FROM alpine:3.20
COPY --from=build /out/app /usr/bin/app
RUN --mount=from=build,target=/t true
"""
RENAMED = """\
FROM golang:1.22 AS compile
RUN go build -o /out/app .
FROM compile AS test
RUN go test ./...
FROM alpine:3.20
COPY --from=compile /out/app /usr/bin/app
RUN --mount=from=compile,target=/t true
"""


@pytest.mark.parametrize("series", SERIES)
def test_rename_stage(series: str, tmp_path: Path) -> None:
    """vim.lsp.buf.rename('compile') on the stage name renames it and every reference to it, and
    nothing else (`go build` stays); :write saves it."""
    seen, dockerfile = run_feature(
        series,
        tmp_path,
        RENAME_TEXT,
        "rename",
        {"cursor": [1, RENAME_TEXT.index("build")], "new_name": "compile"},
    )
    assert "\n".join(seen["lines"]) + "\n" == RENAMED
    assert dockerfile.read_text(encoding="utf-8") == RENAMED


# --- the documented set-ups (docs/editors/neovim.md), run as written -------------------------------

SNIPPETS = doc_snippets("neovim.md", "nvim-snippet", "lua")
DOCUMENTED = {
    # id: (series, snippets that make up init.lua)
    "config-0.11": ("nvim0.11", ["config-0.11", "helpers", "attach-0.8", "features-0.10"]),
    "start-0.7": ("nvim0.7", ["helpers", "features-0.7", "start-0.7"]),
}
DOCUMENTED_TEXT = """\
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=build /out/app /usr/bin/app
"""


def run_documented(setup: str, tmp_path: Path, feature: str, args: dict[str, Any]) -> dict[str, Any]:
    series, names = DOCUMENTED[setup]
    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, DOCUMENTED_TEXT)
    init = "\n".join(SNIPPETS[n] for n in names)
    result = run_nvim(
        nvim,
        tmp_path,
        {"file": str(dockerfile), "wait_code": None, "mode": "feature", "feature": feature, "args": args},
        init=init,
    )
    assert result["filetype"] == "dockerfile"
    seen: dict[str, Any] = result["feature"]
    return seen


# --- work-done progress -----------------------------------------------------------------------------


@pytest.mark.parametrize("series", SERIES)
def test_long_rules_run_shows_progress(series: str, tmp_path: Path) -> None:
    """Opening a file whose rules take seconds: the client gets begin, reports and end, and its own
    status (what statusline plugins show) names the run while it lasts."""
    from tests.reliability.adversarial import stages

    nvim = need_nvim(series)
    dockerfile = workspace(tmp_path, stages(8_000))  # 0.6 M characters: rules for seconds
    config = start_config(dockerfile)
    result = run_nvim(
        nvim, tmp_path, {**config, "wait_code": None, "mode": "feature", "feature": "progress", "args": {},
                         "timeout_ms": 50_000}
    )
    seen = result["feature"]
    kinds = [v["kind"] for v in seen["values"]]
    # The secrets detector or ShellCheck's results may arrive after the first run and start a
    # second one (a new settings generation): each run is begin, reports, end.
    runs: list[list[dict[str, Any]]] = []
    for value in seen["values"]:
        if value["kind"] == "begin":
            runs.append([])
        assert runs, kinds
        runs[-1].append(value)
    for run in runs:
        run_kinds = [v["kind"] for v in run]
        assert run_kinds[0] == "begin" and run_kinds[-1] == "end", kinds
        assert set(run_kinds[1:-1]) <= {"report"}, kinds
        assert run[0]["title"] == "Checking Dockerfile"
        assert run[0]["message"] == "Dockerfile"
        percentages = [v["percentage"] for v in run[:-1]]
        assert percentages == sorted(percentages), percentages
    assert len(runs[0]) > 2, kinds  # the first run, seconds long, reported on its way
    assert "Checking Dockerfile" in seen["statuses"][0], seen["statuses"]


def test_doc_has_the_feature_snippets() -> None:
    needed = {name for _, names in DOCUMENTED.values() for name in names}
    assert needed <= set(SNIPPETS), f"docs/editors/neovim.md lacks {needed - set(SNIPPETS)}"


@pytest.mark.parametrize("setup", list(DOCUMENTED))
def test_documented_features_on_attach(setup: str, tmp_path: Path) -> None:
    """With the page's snippets in init.lua and nothing else: code lenses (and on 0.10+ inlay hints)
    show as soon as the file opens, <leader>cl runs the lens on the cursor line (the user picks
    "build --target build" from the menu), and on 0.10+ <leader>gx opens the registry page of the
    image under the cursor."""
    modern = setup == "config-0.11"
    # golang:${GO_VERSION}: the tag is a variable, the repository (and so its page) is not.
    image_at = DOCUMENTED_TEXT.index("golang") + 2
    line, col = line_col(DOCUMENTED_TEXT, image_at)
    seen = run_documented(
        setup,
        tmp_path,
        "documented_features",
        {
            "hints": modern,
            "link_cursor": [line + 1, col] if modern else None,
            "lens_line": 2,
            "lens_title": "build --target build",
            "expect_message": "docker build --target build",
        },
    )
    # The build context is the Dockerfile's folder, relative to the root Neovim gave the server:
    # the folder with .git on 0.11 (root_markers), the current directory on 0.7 (getcwd()).
    build_line = "docker build --target build " + ("." if modern else "project")
    doc = Dockerfile(DOCUMENTED_TEXT)
    by_row: dict[str, list[str]] = {}
    for lens in code_lenses(doc):
        by_row.setdefault(str(line_col(DOCUMENTED_TEXT, lens.span.start)[0]), []).append(lens.title)
    assert seen["lenses"] == {row: " | ".join(titles) for row, titles in by_row.items()}
    assert build_line in seen["messages"]
    if modern:
        assert sorted(h.strip() for h in seen["hints"]) == sorted(
            h.label for h in inlay_hints(doc, None, image_user)
        )
        assert "= golang:1.22" in [h.strip() for h in seen["hints"]]
        [link] = [k for k in document_links(doc) if k.span.start <= image_at < k.span.end]
        assert seen["opened"] == link.target == "https://hub.docker.com/_/golang"


def test_documented_signature_help_key_0_7(tmp_path: Path) -> None:
    """0.7 has no <C-s> of its own: the features-0.7 snippet maps it, and it shows the signature."""
    seen = run_documented(
        "start-0.7",
        tmp_path,
        "signature_help",
        {"after_line": DOCUMENTED_TEXT.count("\n"), "typed": SIG_TYPED, "wait_mapping": True},
    )
    assert seen["used"] == "<C-s>" and seen["typed_line"] == SIG_TYPED
    typed = DOCUMENTED_TEXT + SIG_TYPED
    expected = signature_help(Dockerfile(typed), len(typed))
    assert expected is not None
    assert expected.signatures[expected.active_signature].label in seen["lines"]


def test_documented_signature_help_while_typing(tmp_path: Path) -> None:
    """features-0.10's InsertCharPre autocommand: typing `COPY --from=` (no key pressed) shows the
    flag's signature, its value highlighted, and the cursor stays in the buffer, in Insert mode."""
    seen = run_documented(
        "config-0.11",
        tmp_path,
        "signature_help",
        {
            "after_line": DOCUMENTED_TEXT.count("\n"),
            "typed": SIG_TYPED,
            "by": "typing",
            "expect": "COPY --from=<stage|image|context> ...",
        },
    )
    typed = DOCUMENTED_TEXT + SIG_TYPED
    expected = signature_help(Dockerfile(typed), len(typed))
    assert expected is not None and expected.active_parameter is not None
    sig = expected.signatures[expected.active_signature]
    assert seen["used"] == "typing" and seen["mode"] == "i" and seen["typed_line"] == SIG_TYPED
    assert sig.label in seen["lines"]
    assert seen["active"] == [sig.parameters[expected.active_parameter].label]
    assert seen["windows"] == 1, "each trigger character opened a window of its own"
