from ._testing import fixed, flagged


def test_missing_no_cache_dir() -> None:
    assert flagged("DL3042", "FROM python:3.12\nRUN pip install -r requirements.txt\n") == ["pip install"]


def test_passes() -> None:
    for pre, run in (
        ("", "pip install --no-cache-dir -r requirements.txt"),
        ("ENV PIP_NO_CACHE_DIR=1\n", "pip install -r requirements.txt"),
        ("", "PIP_NO_CACHE_DIR=1 pip install -r requirements.txt"),
        ("", "--mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt"),
        ("", "pipx install black==24.1"),
        ("", "pipenv install --system --deploy"),
        ("", "python -m pipx install black"),
    ):
        assert flagged("DL3042", f"FROM python:3.12\n{pre}RUN {run}\n") == [], run


def test_env_in_base_stage_counts() -> None:
    text = "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=yes\nFROM base\nRUN pip install flask==3.0\n"
    assert flagged("DL3042", text) == []


def test_fix() -> None:
    assert fixed("DL3042", "FROM python:3.12\nRUN pip3 install flask==3.0\n") == "FROM python:3.12\nRUN pip3 install --no-cache-dir flask==3.0\n"


def test_pip_no_cache_dir_values() -> None:
    for value in ("1", "on", "yes", "true", "TRUE"):
        assert flagged("DL3042", f"FROM python:3.12\nENV PIP_NO_CACHE_DIR={value}\nRUN pip install flask==3.0\n") == [], value
        assert flagged("DL3042", f"FROM python:3.12\nRUN PIP_NO_CACHE_DIR={value} pip install flask==3.0\n") == [], value
    for value in ("0", "off", "no", "false"):
        # These turn pip's cache on.
        assert flagged("DL3042", f"FROM python:3.12\nENV PIP_NO_CACHE_DIR={value}\nRUN pip install flask==3.0\n") != [], value
        assert flagged("DL3042", f"FROM python:3.12\nRUN PIP_NO_CACHE_DIR={value} pip install flask==3.0\n") != [], value
        assert flagged("DL3042", f"FROM python:3.12\nRUN export PIP_NO_CACHE_DIR={value} && pip install x\n") != [], value


def test_env_in_an_unrelated_stage_does_not_count() -> None:
    text = "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask==3.0\n"
    assert flagged("DL3042", text) == ["pip install"]
    text = "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM a\nRUN pip install flask==3.0\n"
    assert flagged("DL3042", text) == []


def test_env_through_a_chain_of_stages_and_the_last_value_wins() -> None:
    text = (
        "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base AS mid\nRUN true\n"
        "FROM mid\nRUN pip install flask==3.0\n"
    )
    assert flagged("DL3042", text) == []
    # A child stage turning the cache back on, or an ENV after the RUN, does not count.
    assert flagged("DL3042", text.replace("FROM mid\n", "FROM mid\nENV PIP_NO_CACHE_DIR=off\n")) == ["pip install"]
    late = "FROM python:3.12\nRUN pip install flask==3.0\nENV PIP_NO_CACHE_DIR=1\n"
    assert flagged("DL3042", late) == ["pip install"]


def test_build_arguments_count() -> None:
    assert flagged("DL3042", "FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0\n") == []
    # A stage ARG without a default takes the global ARG's, as BuildKit hands it to the RUN.
    text = "ARG PIP_NO_CACHE_DIR=true\nFROM python:3.12\nARG PIP_NO_CACHE_DIR\nRUN pip install flask==3.0\n"
    assert flagged("DL3042", text) == []
    # A global ARG that the stage does not declare is not in the RUN's environment.
    text = "ARG PIP_NO_CACHE_DIR=true\nFROM python:3.12\nRUN pip install flask==3.0\n"
    assert flagged("DL3042", text) == ["pip install"]
    assert flagged("DL3042", "FROM python:3.12\nARG PIP_NO_CACHE_DIR=0\nRUN pip install flask==3.0\n") == ["pip install"]


def test_fragment_without_from() -> None:
    assert flagged("DL3042", "ENV PIP_NO_CACHE_DIR=1\nRUN pip install MySQL_python\n") == []
    assert flagged("DL3042", "ENV PIP_NO_CACHE_DIR=0\nRUN pip install MySQL_python\n") == ["pip install"]
    assert flagged("DL3042", "RUN pip install MySQL_python\nENV PIP_NO_CACHE_DIR=1\n") == ["pip install"]


def test_onbuild_run_is_checked() -> None:
    assert flagged("DL3042", "FROM python:3.12\nONBUILD RUN pip install flask==3.0\n") == ["pip install"]
