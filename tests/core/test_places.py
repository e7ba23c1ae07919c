"""Places and configuration."""

from __future__ import annotations

import pytest

from blogtui.core.config import Config, Identity, dumps, load_config, save_config, with_identity
from blogtui.core.errors import ConfigError
from blogtui.core.paths import places


def test_home_puts_everything_under_one_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("BLOGTUI_HOME", raising=False)
    where = places(tmp_path)
    for path in (where.config_file, where.database, where.drafts_dir, where.cache_dir):
        assert path.is_relative_to(tmp_path)
    monkeypatch.setenv("BLOGTUI_HOME", str(tmp_path / "env"))
    assert places().database.is_relative_to(tmp_path / "env")


def test_default_places_use_platformdirs(monkeypatch, tmp_path):
    monkeypatch.delenv("BLOGTUI_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "k"))
    where = places()
    assert where.config_file == tmp_path / "c" / "blogtui" / "config.toml"
    assert where.database == tmp_path / "d" / "blogtui" / "blogtui.db"
    assert where.cache_dir == tmp_path / "k" / "blogtui"


def test_config_round_trip(tmp_path):
    path = tmp_path / "config.toml"
    config = with_identity(
        Config(theme="nord", keys={"refresh-all": "R"}), Identity("Jörg", "j@x.de")
    )
    config = with_identity(config, Identity('J. "Q"', "q@blog.de", "https://q.de"), "Blog.DE")
    save_config(path, config)
    loaded = load_config(path)
    assert loaded == config
    assert loaded.identity_for("blog.de").name == 'J. "Q"'
    assert loaded.identity_for("other.example").name == "Jörg"


def test_missing_config_gives_defaults_and_broken_one_a_clear_error(tmp_path):
    assert load_config(tmp_path / "none.toml") == Config()
    broken = tmp_path / "broken.toml"
    broken.write_text("[general\nconcurrency = ")
    with pytest.raises(ConfigError, match="broken.toml"):
        load_config(broken)


def test_toml_strings_escape_controls():
    text = dumps(Config(theme='a\x1b"b\n'))
    assert "\x1b" not in text and '\\"' in text
