from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ...refactors.cache_dependencies import KIND
from ...refactors.registry import resolving
from ..base import RuleContext
from .install_after_source_copy import RULE


def flagged(text: str) -> list[str]:
    doc = Dockerfile(text)
    return [doc.text[f.span.start : f.span.end] for f in RULE.check(RuleContext(doc))]


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n", "npm ci"),
        ("FROM node:20\nADD . /app\nWORKDIR /app\nRUN yarn install --frozen-lockfile\n", "yarn install --frozen-lockfile"),
        ("FROM python:3.12\nWORKDIR /app\nCOPY --chown=1000 . .\nRUN pip install -r requirements.txt\n",
         "pip install -r requirements.txt"),
        ("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-interaction\n", "poetry install --no-interaction"),
        ("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n", "CGO_ENABLED=0 go build -o /app ."),
        ("FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n", "cargo build --release"),
        ("FROM maven:3-eclipse-temurin-21\nWORKDIR /src\nCOPY . .\nRUN mvn -B package\n", "mvn -B package"),
        ("FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install\n", "bundle install"),
        ("FROM composer:2\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev\n", "composer install --no-dev"),
        ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN [\"npm\", \"ci\"]\n", "[\"npm\", \"ci\"]"),
    ],
)
def test_reported(text: str, command: str) -> None:
    assert flagged(text) == [command]
    [finding] = RULE.check(RuleContext(Dockerfile(text)))
    assert finding.severity is Severity.WARNING
    assert finding.refactorable and [r.kind for r in resolving(finding.code)] == [KIND]
    assert "(line " in finding.message


@pytest.mark.parametrize(
    "text",
    [
        # manifests copied and installed first: the good pattern
        "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n",
        "FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build .\n",
        # not a whole-source copy
        "FROM node:20\nWORKDIR /app\nCOPY src ./src\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY --from=build . .\nRUN npm ci\n",
        # install before the copy, or in another directory
        "FROM node:20\nRUN npm install -g pnpm\nCOPY . /app\n",
        "FROM node:20\nCOPY . /src\nWORKDIR /other\nRUN npm ci\n",
        # global tools and local installs are not manifest installs
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install -g typescript\n",
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install .\n",
        # in another stage
        "FROM node:20 AS src\nWORKDIR /app\nCOPY . .\nFROM src\nRUN npm ci\n",
        # Windows
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:/app\nCOPY . .\nRUN npm ci\n",
        # vendored Go modules
        "FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nWORKDIR /app\nCOPY . .\nRUN go build .\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert flagged(text) == []


def test_every_install_of_the_stage_is_reported() -> None:
    text = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN npm ci\n"
    assert flagged(text) == ["pip install -r requirements.txt", "npm ci"]
