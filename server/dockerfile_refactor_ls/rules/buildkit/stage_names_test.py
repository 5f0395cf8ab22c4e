"""DuplicateStageName, ReservedStageName, StageNameCasing and FromAsCasing."""

from ...engine.findings import Severity
from ._testing import diagnosed, fixed, flagged, messages


def test_duplicate_is_a_warning_with_buildkit_message() -> None:
    (f,) = diagnosed("DuplicateStageName", "FROM alpine AS Build\nFROM alpine AS build\n")
    # BuildKit's message, then the note that it also stands for hadolint's DL3024.
    assert f.message == 'Duplicate stage name "build", stage names should be unique'
    assert f.shown_message == f.message + " (also hadolint DL3024)"
    assert f.severity == Severity.WARNING


def test_reserved_is_a_warning_and_case_insensitive() -> None:
    (f,) = diagnosed("ReservedStageName", "FROM alpine AS Scratch\n")
    assert f.message.startswith('Stage name should not use the same name as reserved stage "scratch"')
    assert f.severity == Severity.WARNING


def test_error_true_makes_them_errors() -> None:
    (f,) = diagnosed("DuplicateStageName", "# check=error=true\nFROM alpine AS b\nFROM alpine AS b\n")
    assert f.severity == Severity.ERROR


def test_stage_name_casing() -> None:
    assert messages("StageNameCasing", "FROM alpine AS Builder\n") == ["Stage name 'Builder' should be lowercase"]
    assert fixed("StageNameCasing", "FROM alpine AS Builder\nFROM Builder\n") == "FROM alpine AS builder\nFROM builder\n"


def test_from_as_casing() -> None:
    assert flagged("FromAsCasing", "FROM alpine as b\n") == ["as"]
    assert flagged("FromAsCasing", "from alpine AS b\n") == ["AS"]
    # A mixed-case FROM is ConsistentInstructionCasing's business only.
    assert flagged("FromAsCasing", "From alpine as b\n") == []
