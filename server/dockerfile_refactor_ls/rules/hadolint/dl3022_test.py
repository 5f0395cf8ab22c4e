from ._testing import flagged


def test_undefined_alias() -> None:
    text = "FROM golang:1.23 AS build\nRUN true\nFROM alpine:3.20\nCOPY --from=builder /out /out\n"
    assert flagged("DL3022", text) == ["builder"]


def test_later_stage_is_not_previous() -> None:
    text = "FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\n"
    assert flagged("DL3022", text) == ["b"]


def test_passes() -> None:
    text = (
        "FROM golang:1.23 AS Build\nRUN true\nFROM alpine:3.20 AS final\n"
        "COPY --from=build /a /a\nCOPY --from=0 /a /a\nCOPY --from=nginx:1.27 /a /a\n"
        "COPY --from=ghcr.io/org/img /a /a\nCOPY --from=$STAGE /a /a\nCOPY --from=final /a /a\n"
    )
    assert flagged("DL3022", text) == []


def test_file_without_named_stages_is_not_checked() -> None:
    assert flagged("DL3022", "FROM alpine:3.20\nCOPY --from=busybox /bin/busybox /bin/\n") == []
