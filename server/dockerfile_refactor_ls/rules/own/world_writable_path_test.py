from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ..base import RuleContext
from .world_writable_path import RULE, world_writable


def found(text: str) -> list[tuple[str, str]]:
    doc = Dockerfile(text)
    out = []
    for f in RULE.check(RuleContext(doc)):
        assert f.severity is Severity.WARNING and f.fixes == []
        out.append((text[f.span.start : f.span.end], f.message))
    return out


def test_chmod_777_on_an_app_directory() -> None:
    text = (
        "FROM python:3.12-slim\nRUN useradd --create-home app\nWORKDIR /app\nCOPY . .\n"
        "RUN mkdir -p /app/data && chmod -R 777 /app/data\nUSER app\n"
    )
    [(reported, message)] = found(text)
    assert reported == "777"
    assert message == (
        "chmod 777 makes /app/data writable by every user; give it to app instead (COPY --chown, RUN chown) "
        "and keep the mode 755/644"
    )


@pytest.mark.parametrize(
    ("run", "reported"),
    [
        ("chmod 666 /srv/app/config.json", "666"),
        ("chmod 0777 /var/www/html", "0777"),
        ("chmod -R a+w /var/www/html/storage", "a+w"),
        ("chmod o+rwx /opt/app", "o+rwx"),
        ("chmod u=rwx,go=rwx /opt/app", "u=rwx,go=rwx"),
        ("mkdir -m 777 /data", "777"),
        ("mkdir --mode=0777 -p /data", "0777"),
        ("install -d -m 0777 /var/cache/app", "0777"),
        ("chmod 2777 /shared $APP_HOME", "2777"),
        ("chmod 0666 /etc/app.conf", "0666"),
    ],
)
def test_reported(run: str, reported: str) -> None:
    [(span_text, _)] = found(f"FROM debian:12\nRUN {run}\n")
    assert span_text == reported


def test_copy_chmod() -> None:
    [(reported, message)] = found("FROM debian:12\nCOPY --chmod=777 tool /usr/local/bin/tool\n")
    assert reported == "777"
    assert message.startswith("COPY --chmod=777 makes /usr/local/bin/tool writable by every user")


@pytest.mark.parametrize(
    "run",
    [
        "chmod 755 /app",
        "chmod 775 /app/data",
        "chmod +x /entrypoint.sh",
        "chmod +w /app/data",  # the umask keeps it from others
        "chmod 1777 /tmp",
        "chmod 1777 /var/www/html",
        "install -d -m 3777 /var/run/postgresql",
        "chmod a+rwxt /srv/shared",
        "chmod -R 777 /tmp/cache /var/tmp",
        "chmod 666 /dev/null",
        "chmod go-w /app",
        "chmod a+rwx,o-w /app",
        "chmod --reference=/etc/hosts /app/hosts",
        "chmod $MODE /app",
        "mkdir -p /app/data",
        "echo chmod 777 /app",
    ],
)
def test_not_reported(run: str) -> None:
    assert found(f"FROM debian:12\nRUN {run}\n") == []


def test_modes() -> None:
    assert world_writable("777") and world_writable("o=w") and world_writable("a+rw")
    assert not world_writable("775") and not world_writable("u+w") and not world_writable("o+r")
