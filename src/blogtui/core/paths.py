"""Where blogtui keeps its files. The only user of platformdirs; nothing is created at import."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "blogtui"


@dataclass(frozen=True)
class Places:
    """The directories blogtui uses. Directories are created on first use, not here."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        """The TOML configuration file."""
        return self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        """The SQLite database."""
        return self.data_dir / "blogtui.db"

    @property
    def drafts_dir(self) -> Path:
        """One plain-text file per reply draft."""
        return self.data_dir / "drafts"

    @property
    def secrets_dir(self) -> Path:
        """Credentials when no system keyring exists."""
        return self.data_dir / "secrets"


def places(home: str | os.PathLike[str] | None = None) -> Places:
    """Return blogtui's places: all under `home` or $BLOGTUI_HOME when set, else platformdirs'."""
    root = home or os.environ.get("BLOGTUI_HOME")
    if root:
        base = Path(root).expanduser().resolve()
        return Places(base / "config", base / "data", base / "cache")
    return Places(
        Path(platformdirs.user_config_dir(APP_NAME)),
        Path(platformdirs.user_data_dir(APP_NAME)),
        Path(platformdirs.user_cache_dir(APP_NAME)),
    )


def ensure_dir(path: Path, mode: int = 0o700) -> Path:
    """Create `path` (and parents) if missing and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=mode)
    return path
