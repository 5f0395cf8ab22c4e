#!/usr/bin/env python3
"""Write engine/data/images.json, the parsed copy of engine/data/images.toml the server reads.

images.toml stays the source (each entry cites where its facts come from); parsing it with tomllib
cost about 20 ms of the first diagnostics, reading the JSON copy 0.2 ms. The copy records the
SHA-256 of the TOML it was made from, and the server falls back on the TOML when they differ, so
a stale copy is slow, never wrong. ``--check`` (run by ``make test``) fails when it is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from dockerfile_refactor_ls.engine import image_facts  # noqa: E402

DATA = ROOT / "server" / "dockerfile_refactor_ls" / "engine"


def render() -> str:
    source = (DATA / image_facts.TABLE_SOURCE).read_bytes()
    parsed = image_facts.parse_source(source)
    # A TOML date or time has no JSON form: the table keeps such values as strings.
    text = json.dumps({"source_sha256": image_facts.source_digest(source), "table": parsed}, sort_keys=True, indent=1)
    if json.loads(text)["table"] != parsed:
        raise SystemExit("images.toml holds values JSON cannot carry (dates?): write them as strings")
    return text + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail when images.json is not made from images.toml")
    args = ap.parse_args()
    target = DATA / image_facts.TABLE_PARSED
    text = render()
    if args.check:
        if not target.exists() or target.read_text() != text:
            print(f"{target.relative_to(ROOT)} is stale: run python scripts/gen_image_table.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
