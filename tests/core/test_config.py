"""config.toml against its schema: wrong types are errors that name the file, key and type;
unknown names and numbers out of range are warnings naming the known names."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogtui.core.config import (
    GENERAL,
    SCHEMA,
    Config,
    Identity,
    dumps,
    load_config,
    unknown_name,
)
from blogtui.core.errors import ConfigError


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[general]\nconcurrency = "many"',
            '[general] concurrency must be an integer (got "many")',
        ),
        ("[general]\nconcurrency = 2.5", "[general] concurrency must be an integer (got 2.5)"),
        ("[general]\nconcurrency = true", "[general] concurrency must be an integer (got true)"),
        ('[general]\nfetch_timeout = "1m"', '[general] fetch_timeout must be a number (got "1m")'),
        ("[general]\nfetch_timeout = nan", "[general] fetch_timeout must be a number (got nan)"),
        ("[general]\ntheme = 3", "[general] theme must be a string (got 3)"),
        ("[keys]\nrefresh-all = ['R']", "[keys] refresh-all must be a string (got a list)"),
        ("[identity]\nname = {first = 'Jo'}", "[identity] name must be a string (got a table)"),
        ('[blogs."a.example"]\nemail = 1', '[blogs."a.example"] email must be a string (got 1)'),
        ('general = "x"', '[general] must be a table (got "x")'),
    ],
)
def test_a_wrong_type_names_file_key_and_type(tmp_path, text, message):
    path = config_file(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.message == f"{path}: {message}"
    assert "invalid literal" not in raised.value.message


def test_unknown_names_warn_with_the_known_ones_and_the_rest_is_used(tmp_path):
    path = config_file(
        tmp_path,
        "concurrency = 3\n"
        "[general]\nconcurency = 4\nfetch_timeout = 5\n"
        "[identity]\nname = 'Jo'\nmail = 'jo@example.org'\n"
        '[blogs."Blog.Example"]\nname = "J"\nsite = "x"\n'
        "[colours]\nbackground = 'red'\n",
    )
    config = load_config(path)
    assert (config.concurrency, config.fetch_timeout) == (16, 5.0)
    assert config.identity == Identity(name="Jo")
    assert config.identity_for("blog.example") == Identity(name="J")
    known = ", ".join(GENERAL)
    sections = ", ".join(f"[{name}]" for name in SCHEMA)
    assert config.warnings == (
        f"{path}: concurrency belongs in [general], not at the top; ignored",
        f'{path}: [general] unknown key "concurency" (did you mean concurrency? known: {known})',
        f'{path}: [identity] unknown key "mail" (did you mean email? known: name, email, website)',
        f'{path}: [blogs."Blog.Example"] unknown key "site"'
        " (did you mean website? known: name, email, website)",
        f'{path}: unknown section "colours" (known: {sections})',
    )


def test_numbers_out_of_range_are_clamped_with_a_warning(tmp_path):
    path = config_file(tmp_path, "[general]\nconcurrency = 1000\nfetch_timeout = 0\n")
    config = load_config(path)
    assert (config.concurrency, config.fetch_timeout) == (256, 1.0)
    assert config.warnings == (
        f"{path}: [general] concurrency must be at most 256 (got 1000); using 256",
        f"{path}: [general] fetch_timeout must be at least 1.0 (got 0.0); using 1.0",
    )


def test_a_clean_file_has_no_warnings_and_round_trips(tmp_path):
    written = Config(concurrency=4, theme="nord", keys={"refresh-all": "R,ctrl+r"})
    path = config_file(tmp_path, dumps(written))
    loaded = load_config(path)
    assert loaded == written and loaded.warnings == ()


def test_many_known_names_are_narrowed_to_the_closest():
    ids = [f"binding-{n}" for n in range(30)] + ["refresh-all"]
    text = unknown_name(Path("config.toml"), "[keys]", "refresh-al", ids, "binding id")
    close = "(did you mean refresh-all? 31 known)"
    assert text == f'config.toml: [keys] unknown binding id "refresh-al" {close}'
