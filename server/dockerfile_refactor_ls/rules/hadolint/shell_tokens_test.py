"""The contract of ``engine.shell.tokens``, the one shell tokenizer (rules read it lenient, the
refactorings that cut RUNs at token bounds read it strict)."""

from __future__ import annotations

import pytest

from ...engine.ecosystems import commands_in
from ...engine.parser import Instruction, parse
from ...engine.shell import analyse, command_words, script_words, tokens


def spans(text: str, strict: bool = True) -> list[tuple[str, str, str, int, int]]:
    got = tokens(text, strict=strict)
    assert got is not None
    return [(t.kind, t.value, t.raw, t.start, t.end) for t in got]


def test_words_keep_value_raw_and_exact_spans() -> None:
    text = """A=1 sudo apt-get install -y "cu"'rl' x\\ y "$(uname -m)" ${V:-a b} `id -u`"""
    got = spans(text)
    assert got == [
        ("word", "A=1", "A=1", 0, 3),
        ("word", "sudo", "sudo", 4, 8),
        ("word", "apt-get", "apt-get", 9, 16),
        ("word", "install", "install", 17, 24),
        ("word", "-y", "-y", 25, 27),
        ("word", "curl", "\"cu\"'rl'", 28, 36),
        ("word", "x y", "x\\ y", 37, 41),
        ("word", "$(uname -m)", '"$(uname -m)"', 42, 55),
        ("word", "${V:-a b}", "${V:-a b}", 56, 65),
        ("word", "`id -u`", "`id -u`", 66, 73),
    ]
    for _, _, raw, start, end in got:
        assert text[start:end] == raw


def test_operators_and_a_redirections_fd_is_part_of_it() -> None:
    text = "make 2>/dev/null && a | b || c; d >>log 2>&1"
    got = spans(text)
    ops = [(v, raw, s, e) for kind, v, raw, s, e in got if kind == "op"]
    assert ops == [(">", "2>", 5, 7), ("&&", "&&", 17, 19), ("|", "|", 22, 23), ("||", "||", 26, 28),
                   (";", ";", 30, 31), (">>", ">>", 34, 36), (">&", "2>&", 40, 43)]
    words = [v for kind, v, *_ in got if kind == "word"]
    assert words == ["make", "/dev/null", "a", "b", "c", "d", "log", "1"]  # no "2" argument


def test_double_quotes_unescape_only_what_the_shell_unescapes() -> None:
    assert spans(r'"a\"b\$c\\d\ne"') == [("word", 'a"b$c\\d\\ne', r'"a\"b\$c\\d\ne"', 0, 15)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("echo 'abc", "unterminated single quote"),
        ('echo "abc', "unterminated double quote"),
        ('echo "abc\\"', "the closing quote is escaped"),
        ("echo $(date", "unterminated $("),
        ("echo ${HOME", "unterminated ${"),
        ("echo `date", "unterminated backtick"),
        ("apt-get update # refresh", "a comment"),
        ("# only a comment", "a comment at the start"),
        ("echo >#file", "a # where a token starts, after a redirection"),
        ("diff <(a) b", "process substitution"),
        ("tee >(gzip) x", "process substitution"),
        ("apt-get\xa0install", "a no-break space the shell does not split at"),
        ("a\vb", "a vertical tab"),
        ('echo "$(echo \\"x\\")"', "an escaped quote inside $( ) inside double quotes"),
        ('echo "`echo "x"`"', "a quote inside backticks inside double quotes"),
        ('x=$(a "$(b ")")")', "a quoted string in a $( ) that a flat reading ends elsewhere"),
        ('echo ${a:-"}"}', "a ${ } whose first } is inside quotes"),
        ("echo ${a:-${b} c}", "a ${ } whose first } is followed by a blank"),
        ("cat <<EOF\nbody\nEOF", "a heredoc body"),
    ],
)
def test_strict_refuses(text: str, why: str) -> None:
    assert tokens(text, strict=True) is None, why
    assert tokens(text) is not None  # the lenient reading never gives up


@pytest.mark.parametrize(
    "text",
    [
        'a="$(go env GOPATH)" && b',
        """x=$([ "$(apk --print-arch)" != 'ppc64le' ] && echo y)""",  # nested, but both readings agree
        "echo ${a:-${b}} ${c%%.*}",
        "echo a#b",  # a # inside a word is not a comment
        "printf '%s\\n' \"$(printf 'a\\nb')\"",  # a backslash that is not an escape inside "$( )"
        "cat <<EOF > /x",  # a heredoc operator on its own line: its body is not in the text
        "echo $((1 + 2))",
    ],
)
def test_strict_reads(text: str) -> None:
    got = tokens(text, strict=True)
    assert got is not None
    assert got == tokens(text)  # where strict reads, it reads what the rules read


def test_strict_heredoc_delimiter_is_an_ordinary_word() -> None:
    got = tokens("cat <<-'E F' >x", strict=True)
    assert got is not None
    assert [(t.kind, t.value) for t in got] == [("word", "cat"), ("op", "<<-"), ("word", "E F"), ("op", ">"),
                                                ("word", "x")]


def test_lenient_tokens_feed_the_analysis() -> None:
    # The analysis runs on the same tokens: the words of its commands are the tokenizer's words.
    text = "V=1 apt-get install -y 'a b' 2>/dev/null | tee log"
    toks = tokens(text)
    assert toks is not None
    words = [t for t in toks if t.kind == "word"]
    script = analyse(text)
    seen = [w for c in script.commands for w in (*c.assignments, c.word, *c.args)]
    assert [(w.value, w.raw, w.span.start, w.span.end) for w in seen] == [
        (t.value, t.raw, t.start, t.end) for t in words if t.value != "/dev/null"
    ]


def test_commands_in_reads_each_line_strictly() -> None:
    text = "useradd -m app 2>/dev/null && echo ok\n# useradd ghost\nadduser 'x y' # trailing\n"
    got = [(c.prog, c.values()) for c in commands_in(text)]
    # The fd is not an argument; the comment line and the line with a comment are not read.
    assert got[0] == ("useradd", ["-m", "app"])
    assert ("echo", ["ok"]) in got
    assert not any(prog in ("adduser", "ghost") or "ghost" in args for prog, args in got)


# -- command_words / script_words: how the refactorings read a CMD or a script ------------------


def _instruction(line: str) -> Instruction:
    return parse(f"FROM scratch\n{line}\n").instructions[1]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('CMD ["cargo", "run", "--", "a b"]', ["cargo", "run", "--", "a b"]),
        ('CMD cargo run -- "a b"', ["cargo", "run", "--", "a b"]),  # quotes removed, as sh does
        ("CMD cargo run \\\n  --release", ["cargo", "run", "--release"]),  # the logical line
        ("CMD cargo run && echo done", ["cargo", "run"]),  # the first simple command only
        ("ENTRYPOINT exec node 'server.js'", ["node", "server.js"]),  # exec is looked through
        ("CMD", []),
    ],
)
def test_command_words_are_the_first_command_as_the_shell_reads_it(line: str, words: list[str]) -> None:
    assert command_words(_instruction(line)) == words


def test_script_words_keep_every_command_and_operator() -> None:
    assert script_words("cd /app && java -jar 'my app.jar'") == ["cd", "/app", "&&", "java", "-jar", "my app.jar"]
    assert script_words("") == []
