from ._testing import flagged


def test_copied_archive_extracted_later() -> None:
    assert flagged("DL3010", "FROM a:1\nCOPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar\n") == [
        "packaged-app.tar"
    ]
    text = "FROM a:1\nCOPY packaged-app.tar /usr/src/app\nWORKDIR /usr/src/app\nRUN foo && echo x && tar -xf packaged-app.tar\n"
    assert flagged("DL3010", text) == ["packaged-app.tar"]
    assert flagged("DL3010", "FROM a:1\nCOPY app.tgz /opt/\nRUN tar --extract -z -f /opt/app.tgz\n") == ["app.tgz"]
    assert flagged("DL3010", "FROM a:1\nCOPY data.xz /d/\nRUN unxz /d/data.xz\n") == ["data.xz"]


def test_destination_names_the_archive() -> None:
    assert flagged("DL3010", "FROM a:1\nCOPY foo/bar/packaged-app.tar /foo.tar\nRUN tar -xf /foo.tar\n") == ["/foo.tar"]


def test_windows_paths() -> None:
    text = 'FROM a:1\nCOPY build\\foo\\bar.tar.gz "C:\\Program Files\\Foo"\nRUN tar -xf "C:\\Program Files\\Foo\\bar.tar.gz"\n'
    assert flagged("DL3010", text) == ["build\\foo\\bar.tar.gz"]


def test_fragment_without_from() -> None:
    assert flagged("DL3010", "COPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar\n") == [
        "packaged-app.tar"
    ]


def test_not_reported() -> None:
    for text in (
        "FROM a:1\nCOPY packaged-app.tar /usr/src/app\nFROM debian:11 AS newstage\nRUN tar -xf packaged-app.tar\n",
        "FROM a:1\nCOPY package.json /usr/src/app\n",
        "FROM a:1\nCOPY --from=builder /usr/local/share/some.tar /opt/some.tar\nRUN tar -xf /opt/some.tar\n",
        "FROM a:1\nCOPY app.tar /opt/\nRUN tar -cf other.tar /opt\n",  # creates, does not extract
        "FROM a:1\nCOPY app.tar /opt/\nRUN tar -xf other.tar\n",
        "FROM a:1\nCOPY app.zip /opt/\nRUN cp /opt/app.zip /x\n",
    ):
        assert flagged("DL3010", text) == [], text
