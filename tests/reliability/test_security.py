"""Security: nothing from a document runs, the server writes no file, opens no network connection,
and reads only the workspace's own configuration files, never following a path out of it.

The server runs with HOME, TMPDIR, XDG_* and its working directory inside a sandbox directory that
is snapshotted before and after. Where ``strace`` works, one session also runs under it and every
execve, connect/bind, file creation and file open is checked (the test is skipped otherwise).
"""

from __future__ import annotations

import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dockerfile_refactor_ls.rules.own.shellcheck import find_shellcheck

from .lsp_client import LspProcess

# Every place a command could hide in a Dockerfile; MARK is replaced with a path per occurrence.
INJECTION = r"""# syntax=docker/dockerfile:1
# escape=\
# check=skip=$(touch MARK)
ARG A=$(touch MARK)
ARG B=`touch MARK`
FROM alpine:$(touch MARK) AS `touch MARK`
FROM ${A:-$(touch MARK)} AS second
ENV X="$(touch MARK)" Y=`touch MARK` Z=${Q:-$(touch MARK)}
RUN touch MARK
RUN $(touch MARK) && `touch MARK` ; touch MARK | sh ; eval "touch MARK"
RUN ["sh", "-c", "touch MARK"]
RUN --mount=type=bind,source=$(touch MARK),target=/x touch MARK
RUN <<EOF
touch MARK
$(touch MARK)
EOF
RUN <<'EOF' bash -c "touch MARK"
`touch MARK`
EOF
COPY --from=$(touch MARK) --chown=`touch MARK` . .
COPY <<EOF /etc/x
$(touch MARK)
EOF
HEALTHCHECK --interval=$(touch MARK) CMD touch MARK
SHELL ["/bin/sh", "-c", "touch MARK"]
ONBUILD RUN touch MARK
CMD touch MARK
ENTRYPOINT ["touch", "MARK"]
WORKDIR $(touch MARK)
USER `touch MARK`
LABEL x="$(touch MARK)" y='`touch MARK`'
ADD https://127.0.0.1:9/MARK /x
EXPOSE $(touch MARK)
VOLUME ["$(touch MARK)"]
STOPSIGNAL `touch MARK`
RUN apt-get update && apt-get install -y curl && cd $(touch MARK) && pip install `touch MARK` \
    && npm install $(touch MARK) && go build -o `touch MARK`
"""


@dataclass
class Sandbox:
    root: Path
    home: Path
    cwd: Path
    tmp: Path
    ws: Path
    outside: Path
    marks: Path
    env: dict[str, str]

    def injection(self) -> tuple[str, list[Path]]:
        paths: list[Path] = []
        token = secrets.token_hex(4)

        def mark(_: re.Match[str]) -> str:
            p = self.marks / f"pwned-{token}-{len(paths)}"
            paths.append(p)
            return str(p)

        return re.sub("MARK", mark, INJECTION), paths


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    dirs = {name: tmp_path / name for name in ("home", "cwd", "tmp", "ws", "outside", "marks")}
    for d in dirs.values():
        d.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTHON"))}
    env.update(
        HOME=str(dirs["home"]),
        TMPDIR=str(dirs["tmp"]),
        XDG_CONFIG_HOME=str(dirs["home"] / ".config"),
        XDG_CACHE_HOME=str(dirs["home"] / ".cache"),
        XDG_DATA_HOME=str(dirs["home"] / ".local/share"),
        XDG_STATE_HOME=str(dirs["home"] / ".local/state"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return Sandbox(tmp_path, dirs["home"], dirs["cwd"], dirs["tmp"], dirs["ws"], dirs["outside"], dirs["marks"], env)


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            kind = "l" if p.is_symlink() else "d" if p.is_dir() else "f"
            out[str(p.relative_to(root))] = (st.st_size if kind == "f" else 0, st.st_mtime_ns if kind == "f" else 0, kind)
    return out


def _exercise(srv: LspProcess, uri: str, text: str) -> None:
    """Every feature the server has, all over the document."""
    caps = srv.initialize(root=Path(uri[len("file://"):]).parent)["capabilities"]
    srv.open(uri, text)
    srv.wait_diagnostics(uri, 1, timeout=120)
    lines = text.split("\n")
    td = {"uri": uri}
    ids = []
    for li, line in enumerate(lines):
        for ch in sorted({0, 1, len(line) // 2, len(line)}):
            pos = {"line": li, "character": ch}
            for method, extra in [
                ("textDocument/completion", {"position": pos}),
                ("textDocument/hover", {"position": pos}),
                ("textDocument/definition", {"position": pos}),
                ("textDocument/references", {"position": pos, "context": {"includeDeclaration": True}}),
                ("textDocument/documentHighlight", {"position": pos}),
                ("textDocument/prepareRename", {"position": pos}),
                ("textDocument/rename", {"position": pos, "newName": "$(touch x)"}),
            ]:
                ids.append(srv.send_request(method, {"textDocument": td, **extra}))
        rng = {"start": {"line": li, "character": 0}, "end": {"line": li, "character": len(line)}}
        for only in (None, ["quickfix"], ["refactor"], ["source.fixAll"], ["source"]):
            ctx: dict[str, Any] = {"diagnostics": srv.diagnostics[uri]["diagnostics"]}
            if only:
                ctx["only"] = only
            ids.append(srv.send_request("textDocument/codeAction", {"textDocument": td, "range": rng, "context": ctx}))
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    for only in (None, ["source.fixAll"], ["refactor"]):
        ctx = {"diagnostics": srv.diagnostics[uri]["diagnostics"], **({"only": only} if only else {})}
        ids.append(srv.send_request("textDocument/codeAction", {"textDocument": td, "range": whole, "context": ctx}))
    for method, extra in [
        ("textDocument/formatting", {"options": {"tabSize": 4, "insertSpaces": True}}),
        ("textDocument/rangeFormatting", {"range": whole, "options": {"tabSize": 2, "insertSpaces": False}}),
        ("textDocument/documentSymbol", {}),
        ("textDocument/foldingRange", {}),
        ("textDocument/semanticTokens/full", {}),
        ("textDocument/documentLink", {}),
        ("textDocument/codeLens", {}),
    ]:
        ids.append(srv.send_request(method, {"textDocument": td, **extra}))
    commands = (caps.get("executeCommandProvider") or {}).get("commands") or []
    for command in [*commands, "$(touch x)"]:
        for args in ([], [uri], [{"uri": uri}], [uri, {"start": {"line": 0, "character": 0}}]):
            ids.append(srv.send_request("workspace/executeCommand", {"command": command, "arguments": args}))
    for rid in ids:
        srv.response(rid, timeout=300)
    # Apply nothing: the edits come back to the client; the server itself must not have acted.
    srv.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}]})
    srv.notify("workspace/didChangeConfiguration", {"settings": {"dockerfileRefactor": {"rules": {}}}})
    srv.close_doc(uri)


def _socket_report(pid: int) -> list[str]:
    """Sockets of ``pid`` other than unnamed Unix ones (asyncio's self-pipe is a socketpair)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        m = re.fullmatch(r"socket:\[(\d+)\]", target)
        if m:
            inodes.add(m.group(1))
    bad = []
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6"):
        try:
            rows = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[9] in inodes:
                bad.append(f"{table}: {row.strip()}")
    for row in Path(f"/proc/{pid}/net/unix").read_text().splitlines()[1:]:
        cols = row.split()
        if len(cols) >= 7 and cols[6] in inodes and len(cols) >= 8:
            bad.append(f"named unix socket: {cols[7]}")
    return bad


def test_nothing_from_the_document_is_executed_and_nothing_is_written(sandbox: Sandbox) -> None:
    text, marks = sandbox.injection()
    doc = sandbox.ws / "Dockerfile"
    doc.write_text(text, encoding="utf-8")
    (sandbox.ws / ".hadolint.yaml").write_text("ignored: [DL3008]\n", encoding="utf-8")
    (sandbox.ws / ".dockerignore").write_text("node_modules\n", encoding="utf-8")
    before = _snapshot(sandbox.root)
    with LspProcess(cwd=sandbox.cwd, env=sandbox.env) as srv:
        assert _socket_report(srv.pid) == []
        _exercise(srv, doc.as_uri(), text)
        assert _socket_report(srv.pid) == []
        assert srv.proc.poll() is None
        assert srv.shutdown_and_exit() == 0
        assert srv.violations == []
        assert srv.tracebacks() == [], "\n\n".join(srv.tracebacks())
    assert [p for p in marks if p.exists()] == []
    assert _snapshot(sandbox.root) == before, "the server created, changed or removed files"


def test_cli_executes_nothing_and_writes_nothing_without_write(sandbox: Sandbox) -> None:
    text, marks = sandbox.injection()
    doc = sandbox.ws / "Dockerfile"
    doc.write_text(text, encoding="utf-8")
    before = _snapshot(sandbox.root)
    cli = [sys.executable, "-m", "dockerfile_refactor_ls"]
    runs = [["check", str(sandbox.ws)], ["check", "--format", "sarif", str(doc)], ["fix", "--all", "--diff", str(doc)]]
    from dockerfile_refactor_ls.refactors.registry import all_refactorings

    runs += [["fix", "--action", r.name, str(doc)] for r in all_refactorings()]
    for args in runs:
        proc = subprocess.run(cli + args, cwd=sandbox.cwd, env=sandbox.env, capture_output=True, timeout=300)
        assert proc.returncode in (0, 1), (args, proc.stderr.decode()[-2000:])
        assert b"Traceback" not in proc.stderr, (args, proc.stderr.decode()[-3000:])
    assert [p for p in marks if p.exists()] == []
    assert _snapshot(sandbox.root) == before


# -- configuration files: the workspace's own, never through a path out of it ----------------------

RULE = "WorkdirRelativePath"
DOCKERFILE = "FROM alpine\nWORKDIR relative/dir\n"
IGNORE_RULE = f"ignored:\n  - {RULE}\n"


def _codes(sandbox: Sandbox, doc_path: Path, uri: str | None = None, root: Path | None = None) -> set[str]:
    with LspProcess(cwd=sandbox.cwd, env=sandbox.env) as srv:
        srv.initialize(root=root or sandbox.ws)
        uri = uri or doc_path.as_uri()
        srv.open(uri, DOCKERFILE)
        codes = {d["code"] for d in srv.wait_diagnostics(uri, 1, timeout=120)}
        assert srv.shutdown_and_exit() == 0
        assert srv.tracebacks() == [], "\n\n".join(srv.tracebacks())
        return codes


def test_workspace_hadolint_yaml_is_honoured(sandbox: Sandbox) -> None:
    """The control for the tests below: a real .hadolint.yaml in the workspace silences the rule."""
    (sandbox.ws / ".hadolint.yaml").write_text(IGNORE_RULE, encoding="utf-8")
    (sandbox.ws / "sub").mkdir()
    assert RULE not in _codes(sandbox, sandbox.ws / "Dockerfile")
    assert RULE not in _codes(sandbox, sandbox.ws / "sub" / "Dockerfile")  # found walking up, inside
    assert RULE in _codes(sandbox, sandbox.outside / "Dockerfile")  # a document outside the workspace


def test_symlinked_hadolint_yaml_pointing_outside_is_not_read(sandbox: Sandbox) -> None:
    target = sandbox.outside / "hadolint.yaml"
    target.write_text(IGNORE_RULE, encoding="utf-8")
    (sandbox.ws / ".hadolint.yaml").symlink_to(target)
    assert RULE in _codes(sandbox, sandbox.ws / "Dockerfile")
    (sandbox.ws / ".hadolint.yaml").unlink()
    (sandbox.ws / ".hadolint.yml").symlink_to(Path("..") / "outside" / "hadolint.yaml")  # relative link
    assert RULE in _codes(sandbox, sandbox.ws / "Dockerfile")


def test_symlink_inside_the_workspace_is_followed(sandbox: Sandbox) -> None:
    (sandbox.ws / "configs").mkdir()
    (sandbox.ws / "configs" / "hadolint.yaml").write_text(IGNORE_RULE, encoding="utf-8")
    (sandbox.ws / ".hadolint.yaml").symlink_to(sandbox.ws / "configs" / "hadolint.yaml")
    assert RULE not in _codes(sandbox, sandbox.ws / "Dockerfile")


def test_config_above_the_workspace_root_is_not_read(sandbox: Sandbox) -> None:
    (sandbox.root / ".hadolint.yaml").write_text(IGNORE_RULE, encoding="utf-8")
    assert RULE in _codes(sandbox, sandbox.ws / "Dockerfile")


@pytest.mark.parametrize("spelling", ["{ws}/../outside/Dockerfile", "{ws}/%2E%2E/outside/Dockerfile",
                                      "{ws}/./sub/../../outside/Dockerfile"])
def test_dot_dot_uris_do_not_escape_the_workspace(sandbox: Sandbox, spelling: str) -> None:
    (sandbox.outside / ".hadolint.yaml").write_text(IGNORE_RULE, encoding="utf-8")
    (sandbox.ws / "sub").mkdir()
    uri = "file://" + spelling.format(ws=sandbox.ws.as_posix())
    assert RULE in _codes(sandbox, sandbox.ws / "Dockerfile", uri=uri)


def test_symlinked_directory_out_of_the_workspace_is_not_followed(sandbox: Sandbox) -> None:
    (sandbox.outside / ".hadolint.yaml").write_text(IGNORE_RULE, encoding="utf-8")
    (sandbox.ws / "linked").symlink_to(sandbox.outside, target_is_directory=True)
    assert RULE in _codes(sandbox, sandbox.ws / "linked" / "Dockerfile")


def test_special_files_as_configuration_do_not_block(sandbox: Sandbox) -> None:
    os.mkfifo(sandbox.ws / ".hadolint.yaml")  # reading a FIFO with no writer would block forever
    os.mkfifo(sandbox.ws / ".dockerignore")
    assert RULE in _codes(sandbox, sandbox.ws / "Dockerfile")


def test_oversized_and_binary_configuration_is_ignored(sandbox: Sandbox) -> None:
    with open(sandbox.ws / ".hadolint.yaml", "wb") as fh:
        fh.write(IGNORE_RULE.encode())
        fh.truncate(50_000_000)  # sparse: 50 MB of NULs after the valid part
    (sandbox.ws / ".dockerignore").write_bytes(b"\xff\xfe\x00garbage\x00" * 1000)
    assert RULE in _codes(sandbox, sandbox.ws / "Dockerfile")


def _yaml_bomb(levels: int) -> str:
    """A 'billion laughs' document: tiny, but 9**levels leaves once aliases are expanded."""
    lines = ['l0: &l0 ["DL3008","DL3008","DL3008","DL3008","DL3008","DL3008","DL3008","DL3008","DL3008"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    lines.append(f"ignored: *l{levels - 1}")
    lines.append(f"trustedRegistries: *l{levels - 1}")
    lines.append(f"override:\n  error: *l{levels - 1}")
    return "\n".join(lines) + "\n"


def _limit_memory() -> None:
    # 1.5 GiB of address space: a bomb that expands fails fast with MemoryError instead of
    # swallowing the machine.
    resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))


def test_hadolint_yaml_lists_take_scalars_only() -> None:
    """Only scalar list items count: a nested list is never turned into a string (the bomb's fuse)."""
    from dockerfile_refactor_ls.engine.settings import Settings

    s = Settings().with_hadolint_yaml(
        "ignored: [[DL3008, DL3009], DL3010]\ntrustedRegistries: [[a, b], c]\noverride:\n  error: [[DL1], DL2]\n")
    assert s.ignore == frozenset({"DL3010"})
    assert s.trusted_registries == ("c",)
    assert set(s.severity) == {"DL2"}


def test_yaml_alias_bomb_does_not_kill_the_server(sandbox: Sandbox) -> None:
    # 9**7 leaves: big enough to hurt (seconds of str()), small enough for the suite; `make fuzz`
    # measures 9**10 (see docs/reliability.md).
    (sandbox.ws / ".hadolint.yaml").write_text(_yaml_bomb(7), encoding="utf-8")
    with LspProcess(cwd=sandbox.cwd, env=sandbox.env, preexec_fn=_limit_memory) as srv:
        srv.initialize(root=sandbox.ws)
        uri = (sandbox.ws / "Dockerfile").as_uri()
        srv.open(uri, DOCKERFILE)
        assert RULE in {d["code"] for d in srv.wait_diagnostics(uri, 1, timeout=300)}
        assert srv.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": 1, "character": 3}}).ok
        assert srv.shutdown_and_exit() == 0


# -- under strace: every exec, connection, file creation and open ---------------------------------


def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    try:
        return subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", os.devnull, "true"],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.fixture
def traced(sandbox: Sandbox) -> Iterator[tuple[Sandbox, Path]]:
    if not _strace_works():
        pytest.skip("strace is not installed or not permitted here")
    yield sandbox, sandbox.root / "strace.log"


_CALL = re.compile(r"^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)")
_UNFINISHED = re.compile(r"^(\d+)\s+(.*?)\s*<unfinished \.\.\.>$")
_RESUMED = re.compile(r"^(\d+)\s+<\.\.\. \w+ resumed>(.*)$")


def _strace_calls(lines: list[str]) -> list[tuple[str, str, str]]:
    """(name, arguments, result) of each traced call. With threads, strace splits a call that
    another thread interrupts into ``open(... <unfinished ...>`` and ``<... open resumed>) = 3``
    lines: they are joined, else a busy machine hides exactly the calls this test looks for."""
    pending: dict[str, str] = {}
    calls = []
    for line in lines:
        unfinished = _UNFINISHED.match(line)
        if unfinished:
            pending[unfinished.group(1)] = unfinished.group(2)
            continue
        resumed = _RESUMED.match(line)
        if resumed and resumed.group(1) in pending:
            line = f"{resumed.group(1)} {pending.pop(resumed.group(1))}{resumed.group(2)}"
        m = _CALL.match(line)
        if m:
            calls.append((m.group(2), m.group(3), m.group(4)))
    # A call still unfinished when the process ended (a thread stopped at exit) is still a call.
    for pid, head in pending.items():
        m = _CALL.match(f"{pid} {head}) = ?")
        if m:
            calls.append((m.group(2), m.group(3), m.group(4)))
    return calls


def test_strace_calls_joins_calls_split_by_threads() -> None:
    lines = [
        '101 openat(AT_FDCWD, "/ws/.dockerignore", O_RDONLY|O_CLOEXEC <unfinished ...>',
        '102 openat(AT_FDCWD, "/x", O_WRONLY|O_CREAT, 0666) = 4',
        '101 <... openat resumed>) = 3',
        '--- SIGCHLD {si_signo=SIGCHLD} ---',
    ]
    assert _strace_calls(lines) == [
        ("openat", 'AT_FDCWD, "/x", O_WRONLY|O_CREAT, 0666', "4"),
        ("openat", 'AT_FDCWD, "/ws/.dockerignore", O_RDONLY|O_CLOEXEC', "3"),
    ]


def test_under_strace_no_exec_no_network_no_writes_and_only_workspace_config_read(traced: tuple[Sandbox, Path]) -> None:
    sandbox, log = traced
    text, marks = sandbox.injection()
    doc = sandbox.ws / "Dockerfile"
    doc.write_text(text, encoding="utf-8")
    (sandbox.ws / ".hadolint.yaml").symlink_to(sandbox.outside / "hadolint.yaml")
    (sandbox.outside / "hadolint.yaml").write_text(IGNORE_RULE, encoding="utf-8")
    (sandbox.ws / ".dockerignore").write_text("x\n", encoding="utf-8")
    (sandbox.ws / "secret.txt").write_text("do not read\n", encoding="utf-8")
    cmd = ["strace", "-f", "-qq", "-s", "256", "-o", str(log), "-e",
           "trace=execve,execveat,fork,vfork,socket,connect,bind,listen,open,openat,creat,mkdir,mkdirat,"
           "rename,renameat,renameat2,unlink,unlinkat,symlink,symlinkat,link,linkat,truncate",
           sys.executable, "-m", "dockerfile_refactor_ls"]
    with LspProcess(cmd=cmd, cwd=sandbox.cwd, env=sandbox.env) as srv:
        _exercise(srv, doc.as_uri(), text)
        assert srv.shutdown_and_exit(timeout=60) == 0
    assert [p for p in marks if p.exists()] == []
    calls = _strace_calls(log.read_text(errors="replace").splitlines())
    execs = [c for c in calls if c[0].startswith("execve") or c[0] in ("fork", "vfork")]
    assert execs and sys.executable.split("/")[-1] in execs[0][1], f"processes started: {execs[:20]}"
    # The one program the server starts is ShellCheck (on by default, as in hadolint): the binary
    # that comes with the project, by its path, never through a shell.
    shellcheck = find_shellcheck(None)
    others = [c for c in execs[1:] if not (shellcheck and c[0].startswith("execve") and c[1].startswith(f'"{shellcheck}"'))]
    assert others == [], f"processes started: {others[:20]}"
    # asyncio's self-pipe is a socketpair(AF_UNIX); any other socket, or any connect/bind/listen, is
    # the network (or a local service) being reached.
    net = [c for c in calls if (c[0] == "socket" and not c[1].startswith(("AF_UNIX", "AF_LOCAL")))
           or c[0] in ("connect", "bind", "listen")]
    assert net == [], f"network calls: {net[:20]}"
    writes = []
    reads_in_sandbox = []
    for name, args, ret in calls:
        if name in ("open", "openat", "creat"):
            path_m = re.search(r'"([^"]*)"', args)
            path = path_m.group(1) if path_m else ""
            if name == "creat" or re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND", args):
                if path not in ("/dev/null", "/dev/tty"):
                    writes.append((name, args, ret))
            elif path.startswith(str(sandbox.root)) and ret != "-1":
                reads_in_sandbox.append(path)
        elif name in ("mkdir", "mkdirat", "rename", "renameat", "renameat2", "unlink", "unlinkat", "symlink",
                      "symlinkat", "link", "linkat", "truncate"):
            writes.append((name, args, ret))
    assert writes == [], f"the server wrote to the file system: {writes[:20]}"
    allowed = {str(sandbox.ws / ".dockerignore"), str(sandbox.ws / ".hadolint.yaml"), str(sandbox.ws / ".hadolint.yml"),
               str(sandbox.ws), str(sandbox.cwd)}
    assert [p for p in reads_in_sandbox if p not in allowed] == [], f"files read: {sorted(set(reads_in_sandbox))[:40]}"
    assert str(sandbox.ws / ".dockerignore") in reads_in_sandbox, "the trace does not show the server's reads"
    assert str(sandbox.ws / ".hadolint.yaml") not in reads_in_sandbox, "opened the symlink out of the workspace"
    assert str(sandbox.outside / "hadolint.yaml") not in reads_in_sandbox

