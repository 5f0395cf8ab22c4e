from ._testing import fixed, flagged


def test_missing_cache_clean() -> None:
    assert flagged("DL3060", "FROM node:22\nRUN yarn install --frozen-lockfile\n") == ["yarn install"]


def test_passes() -> None:
    for run in (
        "yarn install && yarn cache clean",
        "--mount=type=cache,target=/usr/local/share/.cache/yarn yarn install",
        "yarn build",
    ):
        assert flagged("DL3060", f"FROM node:22\nRUN {run}\n") == [], run


def test_fix() -> None:
    assert fixed("DL3060", "FROM node:22\nRUN yarn install\n") == "FROM node:22\nRUN yarn install && yarn cache clean\n"
