import pytest

from ._testing import flagged


@pytest.mark.parametrize(
    "cmd",
    [
        "go install example.com/pkg",
        "go install example.com/pkg@latest",
        "go get example.com/pkg",
        "go get -u example.com/pkg@none",
        "go get -tool foobar",
        "go get -tool foobar@latest",
        "go run example.com/pkg",
        "go run example.com/pkg@latest arg",
    ],
)
def test_unpinned(cmd: str) -> None:
    assert flagged("DL3062", f"FROM golang:1.23\nRUN {cmd}\n") == [cmd.split()[-1] if "arg" not in cmd else "example.com/pkg@latest"]


@pytest.mark.parametrize(
    "cmd",
    [
        "go install example.com/pkg@v1.2.3",
        "go install /go/app/foobar",
        "go install ./app/foobar",
        "go install .",
        "go get example.com/pkg@v1.2.3",
        "go get -d ./...",
        "go get -tool foobar@v1.2.3",
        "go run example.com/pkg@v1.2.3 -f --foobar",
        "go run example.com/pkg@v1.2.3 foobar --foo bar",
        "go run /go/app/foobar",
        "go run ./app/foobar",
        "go run .",
        "go run main.go",
        "go install $TOOL",
        "go build -o /app ./cmd/app",
        "go mod download",
    ],
)
def test_pinned_or_local(cmd: str) -> None:
    assert flagged("DL3062", f"FROM golang:1.23\nRUN {cmd}\n") == []


def test_onbuild_and_chains() -> None:
    assert flagged("DL3062", "FROM golang:1.23\nONBUILD RUN go install example.com/pkg\n") == ["example.com/pkg"]
    text = "FROM golang:1.23\nRUN go mod download && go install a.io/x b.io/y@v1 c.io/z@latest\n"
    assert flagged("DL3062", text) == ["a.io/x", "c.io/z@latest"]
