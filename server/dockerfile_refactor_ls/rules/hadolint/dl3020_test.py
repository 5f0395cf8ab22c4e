from ._testing import findings, fixed, flagged


def test_add_for_files() -> None:
    assert flagged("DL3020", "FROM alpine:3.20\nADD app.py requirements.txt /app/\n") == ["ADD"]


def test_urls_archives_and_variables_pass() -> None:
    for args in (
        "https://example.com/a.tar.gz /tmp/",
        "rootfs.tar.xz /",
        "git@github.com:org/repo.git /src",
        "$SRC /app/",
        "http://example.com/file.txt /tmp/file.txt",
    ):
        assert flagged("DL3020", f"FROM alpine:3.20\nADD {args}\n") == [], args


def test_fix() -> None:
    assert fixed("DL3020", "FROM alpine:3.20\nADD --chown=1:1 app.py /app/\n") == "FROM alpine:3.20\nCOPY --chown=1:1 app.py /app/\n"
    assert fixed("DL3020", "from alpine:3.20\nadd app.py /app/\n") == "from alpine:3.20\ncopy app.py /app/\n"


def test_no_fix_with_add_only_flags() -> None:
    [f] = findings("DL3020", "FROM alpine:3.20\nADD --unpack=false app.py /app/\n")
    assert f.fixes == []
