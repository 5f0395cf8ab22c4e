"""Cases ported from the editor tests of rcjsuen/dockerfile-language-service (the engine of
dockerfile-language-server-nodejs), as data: the document, the cursor, and what their suite
expects. ``evaluate`` runs one case against our engine; ``python -m tests.parity.nodejs_cases``
prints how many match. Cases where we deliberately differ carry ``differs`` with the reason
(BuildKit agrees with us there); for those our own behaviour is what the test checks.

The expected values were transcribed from the Node suite's assertions (test/dockerHighlight,
dockerDefinition, dockerRename, dockerAssist, dockerHover, dockerLinks, dockerSignatures); the
code under test is ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

R = tuple[int, int, int, int]  # line, character, line, character


@dataclass(frozen=True)
class Case:
    name: str  # "<their test file>: <their test name>"
    feature: str  # highlight | definition | rename | complete | no_complete | hover | links | signature
    text: str
    line: int
    character: int
    expected: Any
    differs: str | None = None  # why we deliberately differ (then ``ours`` is what we check)
    ours: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def _var_highlights(kw: str, sep: str) -> list[Case]:
    base = f"dockerHighlight: {kw} no FROM"
    decl = (0, 4, 0, 7)
    return [
        Case(f"{base} referenced variable ${{var}}", "highlight", f"{kw} var{sep}value\nSTOPSIGNAL ${{var}}\nUSER ${{var}}\nWORKDIR ${{var}}", 1, 13, [decl, (1, 13, 1, 16), (2, 7, 2, 10), (3, 10, 3, 13)]),
        Case(f"{base} referenced variable ${{var}} no value", "highlight", f"{kw} var\nSTOPSIGNAL ${{var}}\nUSER ${{var}}\nWORKDIR ${{var}}", 3, 11, [decl, (1, 13, 1, 16), (2, 7, 2, 10), (3, 10, 3, 13)]) if kw == "ARG" else None,
        Case(f"{base} referenced variable ${{var:modifier}}", "highlight", f"{kw} var{sep}value\nSTOPSIGNAL ${{var:+var}}\nUSER ${{var:+var}}\nWORKDIR ${{var:+var}}", 2, 7, [decl, (1, 13, 1, 16), (2, 7, 2, 10), (3, 10, 3, 13)]),
        Case(f"{base} referenced variable $var", "highlight", f"{kw} var{sep}value\nSTOPSIGNAL $var\nUSER $var\nWORKDIR $var", 0, 5, [decl, (1, 12, 1, 15), (2, 6, 2, 9), (3, 9, 3, 12)]),
        Case(f"{base} $var in LABEL value with double quotes", "highlight", f'{kw} var{sep}value\nLABEL label="$var"', 1, 15, [decl, (1, 14, 1, 17)]),
        Case(f"{base} $var in LABEL value with single quotes", "highlight", f"{kw} var{sep}value\nLABEL label='$var'", 1, 15, []),
        Case(f"{base} multiline reference \\n", "highlight", f"{kw} port{sep}8080\nEXPOSE $po\\\nrt", 2, 1, [(0, 4, 0, 8), (1, 8, 2, 2)]),
        Case(f"{base} multiline reference escape=`", "highlight", f"#escape=`\n{kw} port{sep}8080\nEXPOSE $po`\nrt", 3, 1, [(1, 4, 1, 8), (2, 8, 3, 2)]),
        Case(f"{base} multiline reference ${{}}", "highlight", f"{kw} port{sep}8080\nEXPOSE ${{po\\\nrt}}", 2, 0, [(0, 4, 0, 8), (1, 9, 2, 2)]),
        Case(f"{base} multiline reference in LABEL", "highlight", f'{kw} port{sep}8080\nLABEL key="$po\\\nrt"', 2, 2, [(0, 4, 0, 8), (1, 12, 2, 2)]),
        Case(f"{base} multiline reference \\r\\n", "highlight", f"{kw} port{sep}8080\r\nEXPOSE $po\\\r\nrt", 2, 1, [(0, 4, 0, 8), (1, 8, 2, 2)]),
        Case(f"{base} multiline reference \\n spaced", "highlight", f"{kw} port{sep}8080\nEXPOSE $po\\ \t\nrt", 2, 1, [(0, 4, 0, 8), (1, 8, 2, 2)]),
        Case(f"dockerHighlight: {kw} build stage referenced variable ${{var}}", "highlight", f"FROM alpine\n{kw} var{sep}value\nSTOPSIGNAL ${{var}}", 2, 13, [(1, 4, 1, 7), (2, 13, 2, 16)]),
    ]


def _heredocs(ins: str) -> list[Case]:
    o = len(ins)
    out = []
    for marker, start in (("<<file", 8), ("<<-file", 9), ("<<'file'", 9), ("<<-'file'", 10), ('<<"file"', 9), ('<<-"file"', 10)):
        text = f"FROM alpine\n{ins} echo {marker}\nabc\nfile"
        out.append(Case(f"dockerHighlight: {ins} heredoc {marker}", "highlight", text, 3, 2, [(1, o + start, 1, o + start + 4), (3, 0, 3, 4)]))
    return out


CASES: list[Case] = [c for kw, sep in (("ARG", "="), ("ENV", "=")) for c in _var_highlights(kw, sep) if c is not None]
CASES += _heredocs("RUN") + _heredocs("COPY")
CASES += [
    Case("dockerHighlight: FROM AS name COPY", "highlight", "FROM node AS bootstrap\nFROM node\nCOPY --from=bootstrap /git/bin/app .", 2, 16, [(0, 13, 0, 22), (2, 12, 2, 21)]),
    Case("dockerHighlight: FROM AS name COPY case-insensitive", "highlight", "FROM node AS bootstrap\nFROM node\nCOPY --from=BOOTSTRAP /git/bin/app .", 0, 17, [(0, 13, 0, 22), (2, 12, 2, 21)]),
    Case(
        "dockerHighlight: before FROM ARG FROM lookup",
        "highlight",
        "ARG image=alpine\nFROM $image",
        1, 7,
        [(0, 4, 0, 9), (1, 6, 1, 11)],
    ),
    Case(
        "dockerHighlight: RUN single-quoted $var",
        "highlight",
        "FROM busybox\nARG var\nRUN echo '$var'",
        2, 12,
        [(2, 11, 2, 14)],
        differs="The shell does not expand inside single quotes in RUN; BuildKit passes '$var' through, so it is no use of the ARG and we show nothing",
        ours=[],
    ),
    # -- definition
    Case("dockerDefinition: ARG ${var}", "definition", "ARG var=value\nSTOPSIGNAL ${var}", 1, 13, [(0, 4, 0, 7)]),
    Case("dockerDefinition: ENV $var", "definition", "FROM alpine\nENV var=value\nSTOPSIGNAL $var", 2, 12, [(1, 4, 1, 7)]),
    Case("dockerDefinition: multiline reference", "definition", "ARG port=8080\nEXPOSE $po\\\nrt", 2, 1, [(0, 4, 0, 8)]),
    Case("dockerDefinition: multiline reference escape=`", "definition", "#escape=`\nARG port=8080\nEXPOSE $po`\nrt", 3, 1, [(1, 4, 1, 8)]),
    Case("dockerDefinition: multiline declaration", "definition", "ARG po\\\nrt=8080\nEXPOSE $port", 2, 9, [(0, 4, 1, 2)]),
    Case("dockerDefinition: COPY --from stage", "definition", "FROM node AS bootstrap\nFROM node\nCOPY --from=bootstrap /git/bin/app .", 2, 16, [(0, 13, 0, 22)]),
    Case("dockerDefinition: heredoc terminator", "definition", "FROM alpine\nRUN <<EOT\nabc\nEOT", 3, 1, [(1, 6, 1, 9)]),
    Case("dockerDefinition: heredoc marker", "definition", "FROM alpine\nRUN <<EOT\nabc\nEOT", 1, 7, [(1, 6, 1, 9)], differs="On the marker we go to its terminator (the other end), as the two are each other's definition", ours=[(3, 0, 3, 3)]),
    Case(
        "dockerDefinition: redeclared ARG uses the nearest",
        "definition",
        "FROM alpine\nARG a=1\nARG a=2\nRUN echo $a",
        3, 10,
        [(1, 4, 1, 5)],
        differs="BuildKit reads the nearest earlier declaration (a=2), which is where we go; the Node server goes to the first",
        ours=[(2, 4, 2, 5)],
    ),
    Case("dockerDefinition: no FROM ENV", "definition", "ENV var=value\nSTOPSIGNAL $var", 1, 12, [(0, 4, 0, 7)]),
    # -- rename
    Case("dockerRename: multiline reference", "rename", "ARG port=8080\nEXPOSE $po\\\nrt", 2, 1, [(0, 4, 0, 8), (1, 8, 2, 2)], extra={"new_name": "x"}),
    Case("dockerRename: heredoc", "rename", "FROM alpine\nRUN <<EOT\nabc\nEOT", 1, 7, [(1, 6, 1, 9), (3, 0, 3, 3)], extra={"new_name": "END"}),
    Case("dockerRename: stage", "rename", "FROM node AS bootstrap\nFROM node\nCOPY --from=bootstrap /git/bin/app .", 2, 16, [(0, 13, 0, 22), (2, 12, 2, 21)], extra={"new_name": "base"}),
    Case("dockerRename: no FROM ENV", "rename", "ENV var=value\nSTOPSIGNAL $var", 1, 12, [(0, 4, 0, 7), (1, 12, 1, 15)], extra={"new_name": "v2"}),
    # -- completion
    Case("dockerAssist: escape COPY \\ then new line", "complete", "FROM node\nCOPY \\\n", 2, 0, ["--from", "--chown", "--chmod", "--link"]),
    Case("dockerAssist: escape ADD \\ then new line", "complete", "FROM node\nADD \\\n", 2, 0, ["--chown", "--chmod", "--link", "--keep-git-dir", "--checksum"]),
    Case("dockerAssist: escape FROM \\ then new line", "complete", "FROM node\nFROM \\\n", 2, 0, ["--platform"]),
    Case("dockerAssist: escape HEALTHCHECK \\ then new line", "complete", "FROM node\nHEALTHCHECK \\\n", 2, 0, ["--interval", "--retries", "--start-period", "--timeout", "CMD", "NONE"]),
    Case("dockerAssist: escape no instruction", "no_complete", "FROM node\n\\", 1, 1, []),
    Case("dockerAssist: EXPOSE continuation", "no_complete", "FROM busybox\nEXPOSE 8080 \\ \n 8081", 1, 14, []),
    Case("dockerAssist: ADD flags full", "complete", "FROM busybox\nADD ", 1, 4, ["--chown", "--chmod", "--link", "--keep-git-dir", "--checksum"]),
    Case("dockerAssist: ONBUILD ADD flags full", "complete", "FROM busybox\nONBUILD ADD ", 1, 12, ["--chown", "--chmod"]),
    Case("dockerAssist: COPY flags full", "complete", "FROM busybox\nCOPY ", 1, 5, ["--from", "--chown", "--chmod", "--link"]),
    Case("dockerAssist: COPY flags prefix", "complete", "FROM busybox\nCOPY -", 1, 6, ["--from", "--chown"]),
    Case("dockerAssist: FROM flags full", "complete", "FROM ", 0, 5, ["--platform"]),
    Case("dockerAssist: HEALTHCHECK full", "complete", "FROM busybox\nHEALTHCHECK ", 1, 12, ["--interval", "--retries", "--start-period", "--timeout", "CMD", "NONE"]),
    Case("dockerAssist: ADD workdir after one argument", "complete", "FROM busybox\nWORKDIR /tmp\nADD tmp.txt ", 2, 12, ["/tmp/"]),
    Case("dockerAssist: ADD workdir honours prefix", "complete", "FROM busybox\nWORKDIR /tmp\nWORKDIR /build\nADD tmp.txt /b", 3, 14, ["/build/"], extra={"exact": True}),
    Case("dockerAssist: ADD workdir inside second of three", "no_complete", "FROM busybox\nWORKDIR /tmp\nADD tmp.txt tmp2.txt tmp3.txt", 2, 15, []),
    Case("dockerAssist: COPY workdir after one argument", "complete", "FROM busybox\nWORKDIR /tmp\nCOPY tmp.txt ", 2, 13, ["/tmp/"]),
    Case("dockerAssist: ADD none after --from=", "no_complete", "FROM busybox\nADD --from=", 1, 11, []),
    Case("dockerAssist: ADD flag after arguments", "no_complete", "FROM busybox\nADD app --fr app", 1, 13, []),
    Case("dockerAssist: COPY --from= build stages", "complete", "FROM busybox AS setup\nFROM busybox\nCOPY --from=", 2, 12, ["setup"]),
    Case("dockerAssist: directives #", "complete", "#", 0, 1, ["escape", "syntax", "check"]),
    Case("dockerAssist: directives # ", "complete", "# ", 0, 2, ["escape", "syntax", "check"]),
    Case("dockerAssist: directives after a directive", "complete", "# syntax=docker/dockerfile\n#", 1, 1, ["escape", "check"]),
    Case("dockerAssist: no directive after a comment", "no_complete", "# This is a comment\n#", 1, 1, []),
    Case("dockerAssist: heredoc body no instructions", "no_complete", "FROM alpine\nRUN <<eot\n", 2, 0, []),
    Case("dockerAssist: $ proxy ARGs", "complete", "FROM busybox\nRUN echo $", 1, 10, ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]),
    Case("dockerAssist: ${ proxy ARGs", "complete", "FROM busybox\nRUN echo ${", 1, 11, ["HTTP_PROXY", "NO_PROXY"]),
    Case("dockerAssist: $ ARG from no FROM document", "complete", "ARG var=value\nRUN echo $", 1, 10, ["var"]),
    Case("dockerAssist: keywords with no FROM", "complete", "ENV a=b\n", 1, 0, ["RUN", "COPY", "FROM", "ARG", "ENV"]),
    Case("dockerAssist: ONBUILD W", "complete", "FROM busybox\nONBUILD W", 1, 9, ["WORKDIR"]),
    # -- hover
    Case("dockerHover: multiline ARG reference", "hover", "ARG port=8080\nEXPOSE $po\\\nrt", 2, 1, "8080"),
    Case("dockerHover: ARG in FROM", "hover", "ARG image=alpine\nFROM $image", 1, 8, "alpine"),
    Case("dockerHover: ENV no FROM", "hover", "ENV var=value\nSTOPSIGNAL $var", 1, 12, "value"),
    # -- links
    Case("dockerLinks: FROM node", "links", "FROM node", 0, 0, [((0, 5, 0, 9), "https://hub.docker.com/_/node")]),
    Case("dockerLinks: FROM node:latest", "links", "FROM node:latest", 0, 0, [((0, 5, 0, 9), "https://hub.docker.com/_/node")]),
    Case("dockerLinks: FROM microsoft/dotnet", "links", "FROM microsoft/dotnet", 0, 0, [((0, 5, 0, 21), "https://hub.docker.com/r/microsoft/dotnet")]),
    Case("dockerLinks: ghcr.io", "links", "FROM ghcr.io/super-linter/super-linter", 0, 0, [((0, 5, 0, 38), "https://github.com/super-linter/super-linter/pkgs/container/super-linter")]),
    Case("dockerLinks: ghcr.io without owner", "links", "FROM ghcr.io/super-linter", 0, 0, []),
    Case("dockerLinks: mcr.microsoft.com", "links", "FROM mcr.microsoft.com/windows/servercore:ltsc2025", 0, 0, [((0, 5, 0, 41), "https://mcr.microsoft.com/artifact/mar/windows/servercore")]),
    Case("dockerLinks: quay.io", "links", "FROM quay.io/prometheus/node-exporter:v1.9.1", 0, 0, [((0, 5, 0, 37), "https://quay.io/repository/prometheus/node-exporter")]),
    Case("dockerLinks: stage is not linked", "links", "FROM node AS base\nFROM base", 0, 0, [((0, 5, 0, 9), "https://hub.docker.com/_/node")]),
    Case("dockerLinks: wrong stage name", "links", "FROM node AS base\nFROM base2", 0, 0, [((0, 5, 0, 9), "https://hub.docker.com/_/node"), ((1, 5, 1, 10), "https://hub.docker.com/_/base2")]),
    # -- signature help
    Case("dockerSignatures: ADD source", "signature", "FROM busybox\nADD ", 1, 4, ("src", 1)),  # their "source" is our "<src>..."
    Case("dockerSignatures: ADD dest", "signature", "FROM busybox\nADD a ", 1, 6, ("dest", 2)),
    Case("dockerSignatures: COPY --from=", "signature", "FROM busybox\nCOPY --from=", 1, 12, ("stage", 0)),
    Case("dockerSignatures: HEALTHCHECK CMD", "signature", "FROM busybox\nHEALTHCHECK ", 1, 12, ("CMD", 1)),
    Case("dockerSignatures: HEALTHCHECK --interval=", "signature", "FROM busybox\nHEALTHCHECK --interval=", 1, 23, ("duration", 0)),
    Case("dockerSignatures: ARG name", "signature", "FROM busybox\nARG ", 1, 4, ("name", 0)),
    Case("dockerSignatures: ARG defaultValue", "signature", "FROM busybox\nARG a=", 1, 6, ("default", 1)),
    Case("dockerSignatures: ENV value", "signature", "FROM busybox\nENV a=", 1, 6, ("value", 1)),
    Case("dockerSignatures: FROM image", "signature", "FROM ", 0, 5, ("image", 1)),
    Case("dockerSignatures: FROM AS name", "signature", "FROM a AS ", 0, 10, ("name", 3)),
    Case("dockerSignatures: USER group", "signature", "FROM busybox\nUSER a:", 1, 7, ("group", 1)),
    Case("dockerSignatures: ONBUILD nested", "signature", "FROM busybox\nONBUILD COPY a ", 1, 15, ("dest", 2)),
    Case("dockerSignatures: escape directive", "signature", "#escape=", 0, 8, ("\\", 0)),
    Case("dockerSignatures: continuation line", "signature", "FROM busybox\nCOPY a \\\n", 2, 0, ("dest", 2)),
]


def _ranges(doc: Any, spans: Any) -> list[R]:
    out = []
    for s in spans:
        r = doc.range(s)
        out.append((r.start.line, r.start.character, r.end.line, r.end.character))
    return sorted(out)


def evaluate(case: Case) -> Any:
    """What our engine gives for the case, in the shape of ``case.expected``."""
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import Position
    from dockerfile_refactor_ls.rules.registry import all_rules

    doc = Dockerfile(case.text)
    offset = doc.lines.offset(Position(case.line, case.character))
    f = case.feature
    if f == "highlight":
        from dockerfile_refactor_ls.engine import navigation

        return _ranges(doc, [s for s, _ in navigation.highlights(doc, offset)])
    if f == "definition":
        from dockerfile_refactor_ls.engine import navigation

        return _ranges(doc, navigation.definition(doc, offset))
    if f == "rename":
        from dockerfile_refactor_ls.engine import navigation

        try:
            edits = navigation.rename(doc, offset, case.extra["new_name"])
        except navigation.RenameError:
            return None
        return _ranges(doc, [e.span for e in edits])
    if f in ("complete", "no_complete"):
        from dockerfile_refactor_ls.engine.completion import complete

        return [i.label for i in complete(doc, offset, snippets=False, rules=all_rules())]
    if f == "hover":
        from dockerfile_refactor_ls.engine.hover import hover

        result = hover(doc, offset)
        return result.markdown if result is not None else None
    if f == "links":
        from dockerfile_refactor_ls.engine.links import document_links

        return [(_ranges(doc, [link.span])[0], link.target) for link in document_links(doc, all_rules())]
    if f == "signature":
        from dockerfile_refactor_ls.engine.signatures import signature_help

        result = signature_help(doc, offset)
        if result is None or result.active_parameter is None:
            return None
        sig = result.signatures[result.active_signature]
        return sig.parameters[result.active_parameter].label, result.active_parameter
    raise ValueError(f)


def matches(case: Case, got: Any, expected: Any) -> bool:
    f = case.feature
    if f in ("highlight", "definition", "rename"):
        return got == sorted(expected)
    if f == "complete":
        if got is None:
            return False
        if case.extra.get("exact"):
            return list(got) == list(expected)
        return set(expected) <= set(got)
    if f == "no_complete":
        return got == []
    if f == "hover":
        return got is not None and expected in got
    if f == "links":
        # Their Docker Hub targets end with a slash; the page is the same.
        norm = {(r, t.rstrip("/")) for r, t in got}
        return norm == {(r, t.rstrip("/")) for r, t in expected}
    if f == "signature":
        # Our labels are <placeholders>; their parameter names are the same words.
        return got is not None and got[1] == expected[1] and expected[0].lower() in got[0].lower()
    raise ValueError(f)


def run_case(case: Case) -> tuple[bool, bool]:
    """(matches their expectation, matches what we intend); an engine without the feature fails."""
    try:
        got = evaluate(case)
    except Exception:
        return False, False
    theirs = matches(case, got, case.expected)
    ours = theirs if case.differs is None else matches(case, got, case.ours)
    return theirs, ours


def main() -> None:
    by_feature: dict[str, list[int]] = {}
    for case in CASES:
        theirs, _ = run_case(case)
        counts = by_feature.setdefault(case.feature, [0, 0])
        counts[0] += theirs
        counts[1] += 1
    total = sum(c[0] for c in by_feature.values()), sum(c[1] for c in by_feature.values())
    for feature, (ok, n) in sorted(by_feature.items()):
        print(f"{feature:12} {ok:3}/{n}")
    deliberate = sum(1 for c in CASES if c.differs)
    print(f"{'total':12} {total[0]:3}/{total[1]}  (deliberate differences: {deliberate})")


if __name__ == "__main__":
    main()
