"""Rule links point into the repository pyproject.toml declares (issue 17: they used to point to
a URL the project did not declare)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dockerfile_refactor_ls.rules.base import DOCS_BASE_URL
from dockerfile_refactor_ls.rules.registry import all_rules
from dockerfile_refactor_ls.wire import doc_url

ROOT = Path(__file__).resolve().parent.parent


def test_rule_links_use_the_declared_repository() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    repo = urls["Repository"]
    assert DOCS_BASE_URL == f"{repo}/blob/main/docs/rules/"
    assert doc_url("NoSuchRule", None) == urls["Documentation"]
    for rule in all_rules():
        if rule.url is not None and rule.url.startswith("https://github.com/"):
            assert rule.url.startswith(repo + "/")
            # ... and the page exists in the docs that ship with the repository.
            assert (ROOT / rule.url[len(repo) + len("/blob/main/") :]).is_file(), rule.url
