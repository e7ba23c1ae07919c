"""The user's configuration: `config.toml` in the config dir.

Read with tomllib and checked against one schema (`SCHEMA`): a value of the wrong type is an
error naming the file, the key and the type expected; an unknown section or key, or a number out
of its range, is a warning (`Config.warnings`) and the rest is used. Written by a small writer
for the flat shapes blogtui stores (tables of strings, numbers and booleans), atomically.

A new setting of `[general]` is one line in `GENERAL` and a field of `Config` of the same name.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from blogtui.core.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    """One key of config.toml: its type and, for numbers, its range."""

    kind: type[int] | type[float] | type[str] | type[bool]
    low: float | None = None
    high: float | None = None

    @property
    def noun(self) -> str:
        """The type as the error message says it."""
        return _NOUNS[self.kind]


_NOUNS: dict[type, str] = {
    int: "an integer", float: "a number", str: "a string", bool: "true or false"
}  # fmt: skip

GENERAL: dict[str, Setting] = {
    "concurrency": Setting(int, 1, 256),
    "fetch_timeout": Setting(float, 1.0),
    "max_feed_bytes": Setting(int, 1024),
    "theme": Setting(str),
    "confirm_open": Setting(bool),
    "sort": Setting(str),
}
"""`[general]`: each key is the `Config` field of the same name."""

IDENTITY: dict[str, Setting] = {
    "name": Setting(str),
    "email": Setting(str),
    "website": Setting(str),
}
"""`[identity]` and each `[blogs."HOST"]`: who a reply is from."""

LAYOUT: dict[str, Setting] = {
    "feeds_width": Setting(int, 0, 85),
    "list_width": Setting(int, 0, 85),
}
"""`[layout]`: each key is the `Config` field of the same name (percent of the width; 0: the
reader's default)."""

BINDING_KEYS = Setting(str)
"""Each value of `[keys]` (binding id = "key,key"); the ids are the reader's to check."""

SCHEMA: dict[str, dict[str, Setting] | Setting] = {
    "general": GENERAL,
    "keys": BINDING_KEYS,
    "identity": IDENTITY,
    "blogs": IDENTITY,
    "layout": LAYOUT,
}
"""Every section of config.toml: a table of known keys, or (`keys`) any names whose values
share one Setting, or (`blogs`) one table per host of the keys given."""

PER_HOST = frozenset({"blogs"})
"""Sections holding one sub-table per blog host."""


@dataclass(frozen=True)
class Identity:
    """Who a reply is from."""

    name: str = ""
    email: str = ""
    website: str = ""

    @property
    def complete(self) -> bool:
        """True when a name and an email are set (what WordPress requires)."""
        return bool(self.name.strip() and self.email.strip())


@dataclass(frozen=True)
class Config:
    """blogtui's settings."""

    concurrency: int = 16
    """How many feeds are fetched at once."""
    fetch_timeout: float = 30.0
    """Total seconds one fetch may take, body included."""
    max_feed_bytes: int = 5 * 1024 * 1024
    """Largest feed body accepted, after decompression."""
    theme: str = ""
    """The Textual theme last chosen; empty for the default."""
    confirm_open: bool = True
    """Whether `o` shows the article's address and asks before opening the browser."""
    sort: str = "date"
    """The article list's order: "date" (newest first), "title", "feed" or "unread" (first)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. {"refresh-all": "R,ctrl+r"}."""
    identity: Identity = field(default_factory=Identity)
    """The default identity for replies."""
    blog_identities: dict[str, Identity] = field(default_factory=dict)
    """Per-blog identities, keyed by the blog's host."""
    feeds_width: int = 0
    """The feeds pane's share of the terminal's width, in percent; 0 for the default."""
    list_width: int = 0
    """The article list's share of the terminal's width, in percent; 0 for the default."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What loading the file found odd but not fatal (unknown names, values out of range)."""

    def identity_for(self, host: str) -> Identity:
        """The identity to use on `host`."""
        return self.blog_identities.get(host.lower(), self.identity)


def shown(value: object) -> str:
    """A config value as TOML spells it, short: "many", 16, true, a table."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        return '"' + text.replace("\n", " ") + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def unknown_name(path: Path, place: str, name: str, known: list[str], what: str = "key") -> str:
    """The warning about an unknown `what` (key, section, theme, binding id) at `place` (e.g.
    "[general]"), naming the known ones (or the closest few when there are many)."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3)
    listed = ", ".join(known) if len(known) <= 24 else ", ".join(close)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    known_text = f"known: {listed}" if len(known) <= 24 else f"{len(known)} known"
    where = f"{place} " if place else ""
    return f"{path}: {where}unknown {what} {shown(name)} ({hint}{known_text})"


class _Checker:
    """Checks the parsed file against SCHEMA, collecting warnings; raises on a wrong type."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

    def value(self, place: str, key: str, raw: object, setting: Setting) -> Any:
        """`raw` as `setting`'s type, within its range (clamped, with a warning)."""
        kind = setting.kind
        fits = isinstance(raw, kind) and not (kind is int and isinstance(raw, bool))
        if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
            raw, fits = float(raw), True
        if kind is float and fits and not math.isfinite(raw):  # type: ignore[arg-type]
            fits = False
        if not fits:
            raise ConfigError(
                f"{self.path}: {place} {key} must be {setting.noun} (got {shown(raw)})"
            )
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return self._in_range(place, key, raw, setting)
        return raw

    def _in_range(self, place: str, key: str, number: float, setting: Setting) -> float:
        bound = None
        if setting.low is not None and number < setting.low:
            bound, word = setting.low, "at least"
        elif setting.high is not None and number > setting.high:
            bound, word = setting.high, "at most"
        if bound is None:
            return number
        used = int(bound) if setting.kind is int else float(bound)
        self.warnings.append(
            f"{self.path}: {place} {key} must be {word} {used} (got {shown(number)}); using {used}"
        )
        return used

    def table(self, place: str, raw: object, settings: Mapping[str, Setting]) -> dict[str, Any]:
        """The known keys of the table `raw`, checked; unknown keys warned about."""
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.path}: {place} must be a table (got {shown(raw)})")
        values = {}
        for key, item in raw.items():
            if key in settings:
                values[key] = self.value(place, key, item, settings[key])
            else:
                self.warnings.append(unknown_name(self.path, place, key, list(settings)))
        return values

    def any_keys(self, place: str, raw: object, setting: Setting) -> dict[str, Any]:
        """Every key of the table `raw`, each value checked against `setting`."""
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.path}: {place} must be a table (got {shown(raw)})")
        return {str(key): self.value(place, str(key), item, setting) for key, item in raw.items()}

    def per_host(self, name: str, raw: object, settings: Mapping[str, Setting]) -> dict[str, Any]:
        """`[name."HOST"]` tables, keyed by the lowercased host, each checked by `settings`."""
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.path}: [{name}] must be a table (got {shown(raw)})")
        return {
            str(host).lower(): self.table(f"[{name}.{shown(str(host))}]", value, settings)
            for host, value in raw.items()
        }

    def _unknown_section(self, name: str, raw: object) -> str:
        known = [f"[{section}]" for section in SCHEMA]
        if isinstance(raw, dict):
            return unknown_name(self.path, "", name, known, "section")
        homes = [
            f"[{section}]"
            for section, keys in SCHEMA.items()
            if isinstance(keys, dict) and section not in PER_HOST and name in keys
        ]
        if homes:
            return f"{self.path}: {name} belongs in {' or '.join(homes)}, not at the top; ignored"
        return unknown_name(self.path, "", name, known, "top-level key")

    def sections(self, data: dict[str, Any]) -> dict[str, Any]:
        """Each known section of `data` checked; unknown ones warned about."""
        checked: dict[str, Any] = {}
        for name, raw in data.items():
            schema = SCHEMA.get(name)
            if schema is None:
                self.warnings.append(self._unknown_section(name, raw))
            elif isinstance(schema, Setting):
                checked[name] = self.any_keys(f"[{name}]", raw, schema)
            elif name in PER_HOST:
                checked[name] = self.per_host(name, raw, schema)
            else:
                checked[name] = self.table(f"[{name}]", raw, schema)
        return checked


def load_config(path: Path) -> Config:
    """Load `path`: a missing file gives the defaults; a broken file or a value of the wrong
    type raises ConfigError naming the file and key; unknown names become `warnings`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ConfigError(f"{path}: {error}") from error
    checker = _Checker(path)
    checked = checker.sections(data)
    return Config(
        **checked.get("general", {}),
        **checked.get("layout", {}),
        keys=checked.get("keys", {}),
        identity=Identity(**checked.get("identity", {})),
        blog_identities={
            host: Identity(**values) for host, values in checked.get("blogs", {}).items()
        },
        warnings=tuple(checker.warnings),
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    escaped = "".join(
        {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch)
        or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in text
    )
    return f'"{escaped}"'


def _toml_key(key: str) -> str:
    if key and all(ch.isalnum() or ch in "-_" for ch in key) and key.isascii():
        return key
    return _toml_value(key)


def dumps(config: Config) -> str:
    """Serialise `config` as TOML."""
    tables: list[tuple[str, dict[str, Any]]] = [
        ("general", {name: getattr(config, name) for name in GENERAL}),
        ("keys", config.keys),
        ("identity", vars(config.identity)),
        ("layout", {name: getattr(config, name) for name in LAYOUT}),
    ]
    for host, identity in config.blog_identities.items():
        tables.append((f"blogs.{_toml_key(host)}", vars(identity)))
    parts = []
    for name, values in tables:
        lines = [f"[{name}]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in values.items()]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def save_config(path: Path, config: Config) -> None:
    """Write `config` to `path` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(dumps(config))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def with_identity(config: Config, identity: Identity, host: str = "") -> Config:
    """Return `config` with `identity` as the default, or for `host` when given."""
    if not host:
        return replace(config, identity=identity)
    return replace(config, blog_identities={**config.blog_identities, host.lower(): identity})
