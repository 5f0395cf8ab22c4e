from ._testing import flagged


def test_unpinned() -> None:
    text = "FROM python:3.12\nRUN pip install --no-cache-dir flask requests==2.32.3\n"
    assert flagged("DL3013", text) == ["pip install"]


def test_python_m_pip() -> None:
    assert flagged("DL3013", "FROM python:3.12\nRUN python3 -m pip install flask\n") == ["python3 -m pip install"]


def test_pinned_and_file_installs_pass() -> None:
    for cmd in (
        "pip install flask==3.0 'django>=5' requests~=2.32",
        "pip install -r requirements.txt",
        "pip install --requirement=requirements.txt",
        "pip install -c constraints.txt flask",
        "pip install .",
        "pip install -e ./lib",
        "pip install ./dist/app-1.0-py3-none-any.whl /tmp/pkg.tar.gz",
        "pip install git+https://github.com/org/repo@v1.2",
        "pip install $PACKAGES",
        "pip install --index-url https://example.com/simple flask==3.0",
        "pip download flask",
    ):
        assert flagged("DL3013", f"FROM python:3.12\nRUN {cmd}\n") == [], cmd


def test_vcs_and_url_installs_as_hadolint() -> None:
    for cmd in ("pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext",
                "pip install git+ssh://github.com/rtfd/read-ext.git#egg=read-ext"):
        assert flagged("DL3013", f"FROM python:3.12\nRUN {cmd}\n") == ["pip install"], cmd
    for cmd in ("pip install https://foo.bar/baz.zip",
                "pip install --no-cache-dir --root-user-action ignore poetry==1.8.5",
                "pip install git+https://github.com/rtfd/read-ext.git@v1.0#egg=read-ext"):
        assert flagged("DL3013", f"FROM python:3.12\nRUN {cmd}\n") == [], cmd
