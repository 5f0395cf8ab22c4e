"""The Makefile reader splitStages follows ``RUN make <goal>`` with: what ``make`` would run, never a guess."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dockerfile_refactor_ls.refactors import _makefile as mk
from dockerfile_refactor_ls.refactors._makefile import UNKNOWN


def lines(text: str, goals: list[str] | None = None, env: dict[str, str | None] | None = None,
          overrides: dict[str, str] | None = None) -> list[str] | None:
    got = mk.recipe(mk.parse(text), goals or [], env or {}, overrides)
    return None if got is None else [x.text for x in got]


MAKEFILE = """\
BINARY ?= server
VERSION := $(shell git describe --tags)
LDFLAGS = -s -w -X main.version=$(VERSION)
GO ?= go

.PHONY: all build deps

all: build

build: deps
\t@echo "building $(BINARY) for $@"
\t$(GO) build -ldflags "$(LDFLAGS)" \\
\t\t-o bin/$(BINARY) ./cmd/server

deps:
\t-$(GO) mod download

%.o: %.c
\t$(CC) -c $<
"""


def test_the_default_goal_runs_prerequisites_first_with_variables_expanded() -> None:
    assert lines(MAKEFILE) == [
        "go mod download",
        'echo "building server for build"',
        f'go build -ldflags "-s -w -X main.version={UNKNOWN}"  \t\t-o bin/server ./cmd/server',
    ]


def test_command_line_beats_the_makefile_which_beats_the_environment() -> None:
    text = "OUT = bin\nNAME ?= app\nb:\n\tgo build -o $(OUT)/$(NAME)\n"
    assert lines(text, ["b"]) == ["go build -o bin/app"]
    assert lines(text, ["b"], env={"OUT": "env", "NAME": "fromenv"}) == ["go build -o bin/fromenv"]
    assert lines(text, ["b"], env={"OUT": "env"}, overrides={"OUT": "cli"}) == ["go build -o cli/app"]
    # A Dockerfile variable whose value is unknown stays unknown.
    assert lines(text, ["b"], env={"NAME": None}) == [f"go build -o bin/{UNKNOWN}"]


def test_override_beats_the_command_line_and_is_visible_in_the_recipe_environment() -> None:
    text = "override CGO_ENABLED = 1\nb:\n\tgo build -o app\n"
    got = mk.recipe(mk.parse(text), ["b"], {}, {"CGO_ENABLED": "0"})
    assert got is not None and got[0].env["CGO_ENABLED"] == "1"


def test_exported_and_appended_variables_reach_the_recipe_environment() -> None:
    text = "export GOFLAGS := -mod=mod\nTAGS = a\nTAGS += b\nexport TAGS\nb:\n\tgo build -tags '$(TAGS)' -o x\n"
    got = mk.recipe(mk.parse(text), ["b"], {"HOME": "/root"})
    assert got is not None
    assert got[0].text == "go build -tags 'a b' -o x"
    assert got[0].env == {"HOME": "/root", "GOFLAGS": "-mod=mod", "TAGS": "a b"}


def test_values_a_conditional_or_an_include_may_set_are_unknown() -> None:
    text = "ifeq ($(OS),Windows_NT)\nEXT = .exe\nendif\nb:\n\tgo build -o app$(EXT) $(MAIN)\n"
    assert lines(text, ["b"]) == [f"go build -o app{UNKNOWN}"]
    assert lines("include common.mk\n" + text, ["b"]) == [f"go build -o app{UNKNOWN} {UNKNOWN}"]


def test_sub_make_goals_are_followed_in_the_same_makefile() -> None:
    text = "all:\n\t$(MAKE) gen\n\tmake bin\ngen:\n\tgo generate ./...\nbin:\n\tgo build -o out/app .\n"
    assert lines(text) == ["go generate ./...", "go build -o out/app ."]
    # Another directory's Makefile is not read: the line is kept as it is.
    assert lines("all:\n\t$(MAKE) -C sub\n") == ["make -C sub"]


def test_a_goal_that_is_not_a_rule_is_refused() -> None:
    assert lines(MAKEFILE, ["release"]) is None
    assert lines(MAKEFILE, ["x.o"]) is None  # pattern rules are not followed
    assert lines("# nothing\n") is None


def test_targets_named_by_variables_and_inline_recipes() -> None:
    text = "BIN := bin/app\n$(BIN): main.go ; go build -o $@ .\nall: $(BIN)\n"
    assert lines(text, ["all"]) == ["go build -o bin/app ."]
    assert lines(text) == ["go build -o bin/app ."]  # the default goal is bin/app itself


def test_the_command_line() -> None:
    assert mk.command_line(["-C", "src", "-j4", "build", "VERSION=1.2", "--no-print-directory"]) == (
        ["build"], {"VERSION": "1.2"}, "src", None)
    assert mk.command_line(["-fbuild.mk", "--directory=x"]) == ([], {}, "x", "build.mk")
    assert mk.command_line(["-e", "build"]) is None


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_what_it_reads_is_what_gnu_make_runs(tmp_path: Path) -> None:
    """The oracle: ``make -n`` (which prints the recipe without running it) on the same Makefile,
    without the one ``$(shell ...)`` call this reader leaves unknown."""
    text = MAKEFILE.replace("$(shell git describe --tags)", "v1")
    (tmp_path / "Makefile").write_text(text)
    for goals, overrides in (([], {}), (["build"], {"BINARY": "api", "GO": "go1.22"}), (["deps"], {})):
        args = [*goals, *(f"{k}={v}" for k, v in overrides.items())]
        made = subprocess.run(["make", "-n", "-s", *args], cwd=tmp_path, capture_output=True, text=True,
                              check=True, env={"PATH": "/usr/bin:/bin"}).stdout
        ours = lines(text, goals, overrides=overrides)
        assert ours is not None
        assert [" ".join(x.split()) for x in ours] == [" ".join(x.replace("\\\n", " ").split()) for x in
                                                       made.replace("\\\n", " ").splitlines()]
