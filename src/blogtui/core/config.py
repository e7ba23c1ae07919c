"""The user's configuration: `config.toml` in the config dir.

Read with tomllib; written by a small writer for the flat shapes blogtui stores (tables of strings,
numbers and booleans), atomically.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from blogtui.core.errors import ConfigError


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

    def identity_for(self, host: str) -> Identity:
        """The identity to use on `host`."""
        return self.blog_identities.get(host.lower(), self.identity)


def _identity(data: Any) -> Identity:
    if not isinstance(data, dict):
        return Identity()
    return Identity(**{k: str(data.get(k, "")) for k in ("name", "email", "website")})


def load_config(path: Path) -> Config:
    """Load `path`; a missing file gives the defaults, a broken one raises ConfigError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ConfigError(f"{path}: {error}") from error
    general = data.get("general", {})
    try:
        return Config(
            concurrency=max(1, min(int(general.get("concurrency", 16)), 256)),
            fetch_timeout=max(1.0, float(general.get("fetch_timeout", 30.0))),
            max_feed_bytes=max(1024, int(general.get("max_feed_bytes", 5 * 1024 * 1024))),
            theme=str(general.get("theme", "")),
            keys={str(k): str(v) for k, v in data.get("keys", {}).items()},
            identity=_identity(data.get("identity", {})),
            blog_identities={
                str(host).lower(): _identity(value) for host, value in data.get("blogs", {}).items()
            },
            feeds_width=max(0, min(int(data.get("layout", {}).get("feeds_width", 0)), 90)),
            list_width=max(0, min(int(data.get("layout", {}).get("list_width", 0)), 90)),
        )
    except (TypeError, ValueError, AttributeError) as error:
        raise ConfigError(f"{path}: {error}") from error


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
        (
            "general",
            {
                "concurrency": config.concurrency,
                "fetch_timeout": config.fetch_timeout,
                "max_feed_bytes": config.max_feed_bytes,
                "theme": config.theme,
            },
        ),
        ("keys", config.keys),
        ("identity", vars(config.identity)),
        ("layout", {"feeds_width": config.feeds_width, "list_width": config.list_width}),
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
