from ._testing import findings, flagged


def test_unpinned_packages() -> None:
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39\n"
    [f] = findings("DL3008", text)
    assert text[f.span.start : f.span.end] == "apt-get install"
    assert "`curl`" in f.message and "git" not in f.message


def test_pinned_release_deb_and_variables_pass() -> None:
    text = (
        "FROM debian:12\n"
        "RUN apt-get install -y curl=7.88 nginx/bookworm-backports ./local.deb $EXTRA -t bookworm-backports\n"
    )
    assert flagged("DL3008", text) == []


def test_target_release_value_is_not_a_package() -> None:
    assert flagged("DL3008", "FROM debian:12\nRUN apt-get install -y -t stable curl=1\n") == []


def test_continuation_and_sudo() -> None:
    text = "FROM debian:12\nRUN sudo apt-get install \\\n    -y curl\n"
    assert flagged("DL3008", text) == ["apt-get install"]


def test_other_commands_ignored() -> None:
    assert flagged("DL3008", "FROM debian:12\nRUN echo apt-get install curl && apt install curl\n") == []
