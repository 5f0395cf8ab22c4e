from ._testing import flagged


def test_undefined_alias() -> None:
    text = "FROM golang:1.23 AS build\nRUN true\nFROM alpine:3.20\nCOPY --from=builder /out /out\n"
    assert flagged("DL3022", text) == ["builder"]


def test_later_stage_is_not_previous() -> None:
    text = "FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\n"
    assert flagged("DL3022", text) == ["b"]


def test_earlier_names_own_name_tagged_images_and_variables_pass() -> None:
    text = (
        "FROM golang:1.23 AS Build\nRUN true\nFROM alpine:3.20 AS final\n"
        "COPY --from=build /a /a\nCOPY --from=\"build\" /a /a\nCOPY --from=nginx:1.27 /a /a\n"
        "COPY --from=img@sha256:0123 /a /a\nCOPY --from=$STAGE /a /a\nCOPY --from=final /a /a\n"
    )
    assert flagged("DL3022", text) == []


def test_images_without_a_tag_are_reported_as_hadolint_does() -> None:
    # Also in a file without named stages: the value names no stage.
    assert flagged("DL3022", "FROM alpine:3.20\nCOPY --from=busybox /bin/busybox /bin/\n") == ["busybox"]
    text = "FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=ghcr.io/org/tool /t /t\n"
    assert flagged("DL3022", text) == ["ghcr.io/org/tool"]


def test_stage_indexes_count_the_froms_so_far() -> None:
    # hadolint counts the current FROM too: --from=0 in the first stage is accepted.
    assert flagged("DL3022", "FROM scratch\nCOPY --from=0 /a /a\n") == []
    assert flagged("DL3022", "FROM scratch AS build\nRUN foo\nFROM node\nCOPY --from=0 foo .\n") == []
    assert flagged("DL3022", "FROM scratch\nCOPY --from=1 /a /a\n") == ["1"]
    assert flagged("DL3022", "FROM a:1\nFROM b:1\nCOPY --from=2 /a /a\nFROM c:1\n") == ["2"]


def test_fragment_without_from_is_checked() -> None:
    assert flagged("DL3022", "COPY --from=foo bar .\n") == ["foo"]
    assert flagged("DL3022", "COPY --from=0 bar .\n") == ["0"]


def test_only_copy_is_checked() -> None:
    text = "FROM alpine:3.20\nONBUILD COPY --from=foo /a /a\nRUN --mount=from=foo,target=/x ls /x\n"
    assert flagged("DL3022", text) == []
