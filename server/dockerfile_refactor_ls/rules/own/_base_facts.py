"""What the rules of this package need to know about a stage's base image: is there a shell, and
which accounts does ``/etc/passwd`` hold.

One function, :func:`base_facts`, answers for a stage (following ``FROM <stage>`` chains and global
ARGs). It reads what the engine knows about base images; everything else in ``rules/own`` asks here,
so a better source of facts changes this module only. The answer is "unknown" (``None``) whenever
the image is not one we are sure of: a rule then stays silent rather than guess.

What the stages of the chain themselves add (a ``COPY`` of ``/etc/passwd`` or of a shell, a
``useradd``) is not part of the base image's facts; :func:`copies_into` helps rules see it.
"""

from __future__ import annotations

import posixpath
import weakref
from dataclasses import dataclass

# Everything the rules of this package use from the image and user helpers comes through here.
from ...engine.image_facts import facts_for
from ...engine.images import global_values, is_windows, root_image, stage_chain, substitute
from ...engine.model import Dockerfile, Stage
from ...engine.users import (
    CreatedUser,
    created_users,
    family,
    is_root_user,
    manages_privileges,
    shipped_user,
    users_in,
    uses_privilege_tools,
)

__all__ = [
    "BaseFacts",
    "CreatedUser",
    "base_facts",
    "chain",
    "copies_into",
    "created_users",
    "global_values",
    "is_root_user",
    "is_windows",
    "manages_privileges",
    "parent",
    "root_image",
    "root_stage",
    "stage_is_windows",
    "substitute",
    "users_in",
    "uses_privilege_tools",
]

# The accounts of the base system (``/etc/passwd`` of the distribution's minimal image). Packages
# installed later may add more; rules that rely on a complete list check for installs themselves.
_DEBIAN_ACCOUNTS = frozenset(
    ("root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data",
     "backup", "list", "irc", "gnats", "nobody", "_apt", "systemd-network", "systemd-timesync", "messagebus",
     "ubuntu")
)
_ALPINE_ACCOUNTS = frozenset(
    ("root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt", "mail", "news", "uucp", "operator", "man",
     "postmaster", "cron", "ftp", "sshd", "at", "squid", "xfs", "games", "cyrus", "vpopmail", "ntp", "smmsp",
     "guest", "nobody")
)
# gcr.io/distroless/* ship root, nonroot (65532) and nobody (65534). None has /bin/sh: the :debug
# tags add busybox at /busybox/sh, which RUN uses only after `SHELL ["/busybox/sh", "-c"]`.
_DISTROLESS_ACCOUNTS = frozenset(("root", "nonroot", "nobody"))
# Images whose /etc/passwd is the distribution's own (plus a user the image is known to ship): the
# distributions themselves and the official language images built on them. Service images (nginx,
# postgres, redis, ...) add accounts of their own and are not listed.
_PLAIN_ACCOUNTS = frozenset(
    ("alpine", "debian", "ubuntu", "python", "golang", "node", "ruby", "rust", "perl", "php", "buildpack-deps",
     "gcc", "pypy", "erlang", "elixir", "haskell", "julia", "swift", "dart", "r-base", "eclipse-temurin")
)


@dataclass(frozen=True, slots=True)
class BaseFacts:
    """What the image a stage starts from provides; ``None`` fields are unknown."""

    image: str | None  # the resolved base image ("scratch", "gcr.io/distroless/static-debian12", ...)
    kind: str  # "scratch", "distroless", "alpine", "debian", "windows" or "unknown"
    has_shell: bool | None  # whether /bin/sh exists
    accounts: frozenset[str] | None  # the names /etc/passwd holds (empty: no /etc/passwd at all)
    # Whether ``accounts`` lists every account of the image (so a name outside it does not exist),
    # as opposed to a few it is known to have.
    complete: bool = False
    uids: tuple[tuple[str, int], ...] = ()  # known numeric ids, for fixes that suggest one

    def uid_of(self, name: str) -> int | None:
        return dict(self.uids).get(name)


_UNKNOWN = BaseFacts(None, "unknown", None, None)


# Per document: each stage's parent, root stage, facts and Windows-ness, so that rules asking for
# every stage of a long FROM <stage> chain cost linear, not quadratic, time.
_MEMO: weakref.WeakKeyDictionary[Dockerfile, dict[tuple[str, int], object]] = weakref.WeakKeyDictionary()


def _memo(doc: Dockerfile) -> dict[tuple[str, int], object]:
    got = _MEMO.get(doc)
    if got is None:
        got = _MEMO[doc] = {}
    return got


def parent(doc: Dockerfile, stage: Stage) -> Stage | None:
    """The earlier stage ``stage`` is built FROM (also when an ARG names it), None for an image."""
    if stage.base_stage is not None:
        return stage.base_stage
    if stage.image is None or not stage.image.has_variables:
        return None
    memo = _memo(doc)
    values = memo.get(("globals", 0))
    if values is None:
        values = memo[("globals", 0)] = global_values(doc)
    assert isinstance(values, dict)
    text = substitute(stage.image.text, values)
    if text is None or text.isdigit():
        return None
    found = doc.stage_named(text.replace('"', "").replace("'", ""), before=stage.index)
    return found if found is not stage else None


def root_stage(doc: Dockerfile, stage: Stage) -> Stage:
    """The first stage of ``stage``'s chain: the one that starts from an image."""
    memo = _memo(doc)
    path: list[Stage] = []
    current = stage
    seen: set[int] = set()
    while True:
        got = memo.get(("root", id(current)))
        if isinstance(got, Stage):
            root = got
            break
        nxt = parent(doc, current)
        path.append(current)
        if nxt is None or id(nxt) in seen:
            root = current
            break
        seen.add(id(current))
        current = nxt
    for st in path:
        memo[("root", id(st))] = root
    return root


def stage_is_windows(doc: Dockerfile, stage: Stage) -> bool:
    """:func:`is_windows`, computed once per stage of a chain.

    A stage is Windows if the stage it is built on is (or, for one that names a later stage or
    none, if its own image is), or if a SHELL in it runs PowerShell or cmd. Walked up the chain
    first and computed down it, not by recursion: asked first about the last stage of a
    10,000-stage chain, the recursion ran out of stack and the rule asking was skipped.
    """
    memo = _memo(doc)
    chain: list[Stage] = []  # from ``stage`` up to the first stage whose answer is known or direct
    current: Stage | None = stage
    known: bool | None = None
    while current is not None:
        got = memo.get(("windows", id(current)))
        if isinstance(got, bool):
            known = got
            break
        chain.append(current)
        up = parent(doc, current)
        current = up if up is not None and up.index < current.index else None
    for st in reversed(chain):
        up = parent(doc, st)
        if known is None or up is None or up.index >= st.index:
            result = is_windows(doc, st)  # the top of the chain: what its own FROM says
        else:
            result = known
        if up is not None and not result:
            result = any(
                ins.cmd == "shell" and ins.args
                and posixpath.basename(ins.args[0].value.replace("\\", "/")).lower().startswith(("powershell", "pwsh", "cmd"))
                for ins in st.instructions
            )
        memo[("windows", id(st))] = result
        known = result
    assert known is not None
    return known


def base_facts(doc: Dockerfile, stage: Stage) -> BaseFacts:
    """The facts of the image ``stage`` really starts from."""
    root = root_stage(doc, stage)
    memo = _memo(doc)
    got = memo.get(("facts", id(root)))
    if isinstance(got, BaseFacts):
        return got
    facts = _facts(doc, root)
    memo[("facts", id(root))] = facts
    return facts


def _facts(doc: Dockerfile, stage: Stage) -> BaseFacts:
    image = root_image(doc, stage)
    if image is None:
        return _UNKNOWN
    kind = family(image)
    text = image.text
    if kind == "scratch":
        return BaseFacts(text, kind, False, frozenset(), complete=True)
    if kind == "distroless":
        if image.registry == "gcr.io" and image.repository.startswith("distroless/"):
            return BaseFacts(
                text, kind, False, _DISTROLESS_ACCOUNTS, complete=True,
                uids=(("root", 0), ("nonroot", 65532), ("nobody", 65534)),
            )
        # Chiseled Ubuntu images (.NET): no shell; their accounts are not listed here.
        return BaseFacts(text, kind, False, None)
    if kind == "windows":
        return BaseFacts(text, kind, None, None)
    # The one base-image table (engine/data/images.toml) knows shells and shipped users.
    table = facts_for(image)
    table_users = frozenset(table.users) if table is not None else frozenset()
    if table is not None and table.has_shell is False:
        return BaseFacts(text, kind, False, table_users or None, uids=tuple(sorted(table.users.items())))
    shipped = shipped_user(image)
    extra = (frozenset((shipped.user.split(":", 1)[0],)) if shipped else frozenset()) | table_users
    complete = image.official and image.repository in _PLAIN_ACCOUNTS
    if kind == "alpine":
        return BaseFacts(text, kind, True, _ALPINE_ACCOUNTS | extra, complete=complete,
                         uids=(("root", 0), ("nobody", 65534)))
    if kind == "debian":
        return BaseFacts(text, kind, True, _DEBIAN_ACCOUNTS | extra, complete=complete,
                         uids=(("root", 0), ("nobody", 65534)))
    return BaseFacts(text, kind, None, None)


def chain(doc: Dockerfile, stage: Stage) -> list[Stage]:
    """``stage`` and the stages it is built on, nearest first."""
    return stage_chain(stage, doc)


def copies_into(doc: Dockerfile, stage: Stage, paths: tuple[str, ...], before: int | None = None) -> bool:
    """Whether a COPY/ADD of the stage's chain (before offset ``before``) may write one of ``paths``
    (a destination that is one of them, a directory above one, or not a plain absolute path)."""
    for st in chain(doc, stage):
        for ins in st.instructions:
            if before is not None and ins.span.start >= before:
                break
            if ins.cmd not in ("copy", "add") or len(ins.args) < 2:
                continue
            dest = ins.args[-1].value
            if "$" in dest or not dest.startswith("/"):
                return True  # relative to a WORKDIR, or a variable: cannot tell
            d = posixpath.normpath(dest)
            for p in paths:
                if d == "/" or p == d or p.startswith(d.rstrip("/") + "/"):
                    return True
                if dest.endswith("/") and posixpath.dirname(p) == d:
                    return True
    return False
