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


def test_clean_before_install_does_not_count() -> None:
    assert flagged("DL3060", "FROM node:22\nRUN yarn cache clean && yarn install foo\n") == ["yarn install"]
    assert flagged("DL3060", "FROM node:22\nRUN yarn install a && yarn cache clean && yarn install b\n") == ["yarn install"]


def test_only_stages_that_end_up_in_an_image() -> None:
    unused = "FROM node:lts-alpine AS foo\nRUN yarn install foo\nFROM scratch\nRUN hey!\n"
    assert flagged("DL3060", unused) == []
    # Built on by a later stage, or the final stage: its layers are shipped.
    assert flagged("DL3060", "FROM node:22 AS foo\nRUN yarn install\nFROM foo\nRUN hey!\n") == ["yarn install"]
    assert flagged("DL3060", "FROM node:22 AS foo\nRUN hey!\nFROM scratch\nRUN yarn install\n") == ["yarn install"]
    # An ONBUILD RUN runs in the images built on this one.
    assert flagged("DL3060", "FROM node:22 AS foo\nONBUILD RUN yarn install\nFROM scratch\n") == ["yarn install"]


def test_yarn_berry_is_reported_without_a_fix() -> None:
    # Yarn 2+ keeps the packages Plug'n'Play loads in its cache: cleaning it breaks the app.
    from ._testing import findings

    for text in (
        "FROM node:22\nRUN yarn install --immutable\n",
        "FROM node:22\nCOPY .yarnrc.yml package.json yarn.lock ./\nRUN yarn install\n",
        "FROM node:22\nRUN yarn set version stable && yarn install\n",
    ):
        found = findings("DL3060", text)
        assert [f.code for f in found] == ["DL3060"], text
        assert found[0].fixes == [], text
    # Yarn 1 keeps its fix.
    assert findings("DL3060", "FROM node:22\nRUN yarn install --frozen-lockfile\n")[0].fixes
