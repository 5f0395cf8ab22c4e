"""hadolint's configuration for ``check``: where ``.hadolint.yaml`` is found, and how the file, the
``HADOLINT_*`` environment variables and the command line combine.

Lookup, for each checked file: ``.hadolint.yaml`` (or ``.yml``) in the file's folder and each parent
up to the project root, the nearest folder holding ``.git`` (or ``.hg``, ``.svn``, ``.jj``) or, when
there is none, a project manifest (``pyproject.toml``, ``package.json``, ``go.mod``…). Outside any
project the walk stops at the current directory (when the file is below it) or at the file's own
folder. A ``.hadolint.yaml`` in ``/tmp`` or ``$HOME`` therefore no longer changes every project
below it. When no project file exists, the user's config is used, where hadolint looks for it:
``$XDG_CONFIG_HOME/hadolint.yaml`` (``~/.config`` by default), ``~/.hadolint/hadolint.yaml`` or
``config.yaml``, then ``~/.hadolint.yaml``. ``--config FILE`` replaces the lookup.

Sources combine as in hadolint: the environment, then the file, then the command line; a later
scalar (``failure-threshold``, ``no-fail``…) wins, lists (``ignored``, ``trustedRegistries``) add
up, and a rule's ``override`` level comes from the latest source that names it. The result is one
``.hadolint.yaml``-shaped mapping, which ``Settings.with_hadolint_yaml`` interprets, so a key the
engine learns to read works from every source at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.findings import Severity
from ..engine.settings import Settings

CONFIG_NAMES = (".hadolint.yaml", ".hadolint.yml")
VCS_MARKERS = (".git", ".hg", ".svn", ".jj")
PROJECT_MARKERS = (
    "pyproject.toml",
    "setup.py",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "composer.json",
    "Gemfile",
)
LEVEL_KEYS = ("error", "warning", "info", "style")
# failure-threshold values that never fail, as in hadolint.
NEVER = ("none", "ignore")


class ConfigError(Exception):
    """A configuration that cannot be used: the command ends with status 2 and this one line."""


def parse_threshold(value: str) -> Severity | None:
    """hadolint's threshold names (error, warning, info, style, ignore, none) and the LSP's
    (information, hint); ``None`` means never fail. Raises ``ValueError`` for anything else."""
    v = value.strip().lower()
    if v in NEVER:
        return None
    sev = Severity.parse(v)
    if sev is None:
        raise ValueError(f"unknown failure threshold {value!r}: use error, warning, info, style or none")
    return sev


def truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "y", "on", "true", "yes")


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``HADOLINT_*`` variables that map onto our configuration, as a config mapping."""
    out: dict[str, Any] = {}

    def codes(name: str) -> list[str]:
        return [c.strip() for c in env.get(name, "").split(",") if c.strip()]

    for key, var in (
        ("no-fail", "HADOLINT_NOFAIL"),
        ("verbose", "HADOLINT_VERBOSE"),
        ("strict-labels", "HADOLINT_STRICT_LABELS"),
        ("disable-ignore-pragma", "HADOLINT_DISABLE_IGNORE_PRAGMA"),
    ):
        if var in env:
            out[key] = truthy(env[var])
    if "NO_COLOR" in env:
        out["no-color"] = True
    if env.get("HADOLINT_FORMAT"):
        out["format"] = env["HADOLINT_FORMAT"].split(",")[-1].strip()
    override = {level: codes(f"HADOLINT_OVERRIDE_{level.upper()}") for level in LEVEL_KEYS}
    if any(override.values()):
        out["override"] = {k: v for k, v in override.items() if v}
    if codes("HADOLINT_IGNORE"):
        out["ignored"] = codes("HADOLINT_IGNORE")
    if codes("HADOLINT_TRUSTED_REGISTRIES"):
        out["trustedRegistries"] = codes("HADOLINT_TRUSTED_REGISTRIES")
    labels = parse_labels(codes("HADOLINT_REQUIRE_LABELS"), strict=False)
    if labels:
        out["label-schema"] = labels
    threshold = env.get("HADOLINT_FAILURE_THRESHOLD", "").strip()
    if threshold:
        # hadolint ignores a value it cannot read; so do we.
        try:
            parse_threshold(threshold)
            out["failure-threshold"] = threshold
        except ValueError:
            pass
    return out


def parse_labels(items: list[str], strict: bool = True) -> dict[str, str]:
    """``--require-label name:format`` values as hadolint's ``label-schema`` mapping."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, kind = item.partition(":")
        if not sep or not name.strip() or not kind.strip():
            if strict:
                raise ConfigError(f"--require-label {item!r}: expected LABEL:FORMAT, e.g. maintainer:text")
            continue
        out[name.strip()] = kind.strip()
    return out


def merge(*sources: Mapping[str, Any]) -> dict[str, Any]:
    """Combine config mappings, later ones taking precedence (see the module docstring)."""
    merged: dict[str, Any] = {}
    levels: dict[str, str] = {}
    for src in sources:
        for key, value in src.items():
            if key == "override":
                if isinstance(value, Mapping):
                    for level in LEVEL_KEYS:
                        codes = value.get(level)
                        for code in codes if isinstance(codes, list) else ():
                            if _scalar(code):
                                levels[str(code)] = level
            elif key in ("ignored", "trustedRegistries"):
                if isinstance(value, list):
                    have = merged.setdefault(key, [])
                    have.extend(str(v) for v in value if _scalar(v) and str(v) not in have)
            elif key == "label-schema":
                if isinstance(value, Mapping):
                    merged.setdefault(key, {}).update({str(k): str(v) for k, v in value.items() if _scalar(k) and _scalar(v)})
            else:
                merged[key] = value
    if levels:
        merged["override"] = {lvl: [c for c, v in levels.items() if v == lvl] for lvl in LEVEL_KEYS if lvl in levels.values()}
    return merged


def _scalar(x: object) -> bool:
    # Only scalars are turned into text: str() of a nested YAML alias structure can be exponential.
    return isinstance(x, (str, int, float, bool))


def read_config_file(path: Path) -> dict[str, Any]:
    """A ``.hadolint.yaml`` as a mapping; raises ConfigError when it cannot be read or parsed."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}{where}: invalid configuration: {problem}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: invalid configuration: expected a mapping of keys such as 'ignored' or 'override'")
    return data


def project_root(directory: Path) -> Path | None:
    """The nearest folder at or above ``directory`` with a VCS marker, else with a project
    manifest, else None."""
    manifest: Path | None = None
    for d in (directory, *directory.parents):
        if any((d / m).exists() for m in VCS_MARKERS):
            return d
        if manifest is None and any((d / m).is_file() for m in PROJECT_MARKERS):
            manifest = d
    return manifest


def user_config_candidates(env: Mapping[str, str]) -> list[Path]:
    """Where hadolint looks for the user's configuration, in its order."""
    home = Path(env.get("HOME") or Path.home())
    xdg = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    return [
        xdg / "hadolint.yaml",
        xdg / "hadolint.yml",
        *(home / ".hadolint" / n for n in ("hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml")),
        home / ".hadolint.yaml",
        home / ".hadolint.yml",
    ]


@dataclass(slots=True)
class Resolved:
    """The configuration one file is checked with."""

    settings: Settings
    # Lowest severity that fails the run; None: never (failure-threshold none, or no-fail).
    threshold: Severity | None
    source: Path | None
    values: dict[str, Any]


class ConfigResolver:
    """Finds and combines configuration per folder, reading each file once."""

    def __init__(
        self,
        cli: Mapping[str, Any],
        explicit: Path | None = None,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.env = dict(os.environ if env is None else env)
        self.env_values = from_environment(self.env)
        self.cli = dict(cli)
        self.cwd = (cwd or Path.cwd()).resolve()
        self.explicit = explicit
        self._files: dict[Path, dict[str, Any]] = {}
        self._by_dir: dict[Path, Path | None] = {}
        self._resolved: dict[Path | None, Resolved] = {}
        if explicit is not None:
            if not explicit.is_file():
                raise ConfigError(f"{explicit}: configuration file not found")
            self._file(explicit)

    def _file(self, path: Path) -> dict[str, Any]:
        if path not in self._files:
            self._files[path] = read_config_file(path)
        return self._files[path]

    def config_path(self, directory: Path) -> Path | None:
        """The configuration file for files in ``directory``, or None for the defaults."""
        if self.explicit is not None:
            return self.explicit
        directory = directory.resolve()
        if directory in self._by_dir:
            return self._by_dir[directory]
        stop = project_root(directory)
        if stop is None:
            stop = self.cwd if directory.is_relative_to(self.cwd) else directory
        found: Path | None = None
        for d in (directory, *directory.parents):
            found = next((d / n for n in CONFIG_NAMES if (d / n).is_file()), None)
            if found is not None or d == stop:
                break
        if found is None:
            found = next((p for p in user_config_candidates(self.env) if p.is_file()), None)
        self._by_dir[directory] = found
        return found

    def for_directory(self, directory: Path) -> Resolved:
        source = self.config_path(directory)
        if source not in self._resolved:
            values = merge(self.env_values, self._file(source) if source is not None else {}, self.cli)
            self._resolved[source] = self._build(values, source)
        return self._resolved[source]

    @staticmethod
    def _build(values: dict[str, Any], source: Path | None) -> Resolved:
        import yaml

        settings = Settings().with_hadolint_yaml(yaml.safe_dump(values)) if values else Settings()
        raw = values.get("failure-threshold", "info")
        try:
            threshold = parse_threshold(str(raw))
        except ValueError as exc:
            raise ConfigError(f"{source}: {exc}" if source is not None else str(exc)) from None
        if values.get("no-fail") is True:
            threshold = None
        return Resolved(settings, threshold, source, values)
