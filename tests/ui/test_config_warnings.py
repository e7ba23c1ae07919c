"""The reader and config.toml: what the file holds that is not used is a notification naming the
file and the known names; `?` shows each binding's id (what `[keys]` remaps); `confirm_open`."""

from __future__ import annotations

from collections.abc import Callable

from support.app import press, running, wait_for
from textual.widgets import Static

from blogtui.core.config import Config, load_config
from blogtui.core.paths import Places
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import ConfirmScreen, HelpScreen


async def test_unknown_keys_ids_and_themes_are_notified(
    make_app: Callable[..., BlogtuiApp], home: Places, toasts: list[str]
) -> None:
    path = home.config_file
    path.parent.mkdir(parents=True)
    path.write_text(
        "[general]\ntheme = 'nordd'\nconcurency = 2\n[keys]\nrefresh-al = 'X'\n", encoding="utf-8"
    )
    app = make_app(load_config(path))
    async with running(app):
        shown = "\n".join(toasts)
    assert f'{path}: [general] unknown key "concurency" (did you mean concurrency?' in shown
    assert f'{path}: [keys] unknown binding id "refresh-al" (did you mean refresh-all' in shown
    assert "known); ? lists them" in shown
    assert f'{path}: [general] unknown theme "nordd" (did you mean nord?' in shown
    assert "textual-dark" in shown  # the known themes are named


async def test_a_clean_config_is_not_notified(
    make_app: Callable[..., BlogtuiApp], toasts: list[str]
) -> None:
    async with running(make_app()):
        assert not any("config.toml" in toast for toast in toasts)


async def test_help_shows_the_binding_ids(make_app: Callable[..., BlogtuiApp]) -> None:
    app = make_app()
    async with running(app, (120, 40)) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static)
        lines = [strip.text.strip() for strip in table.render_lines(table.size.region)]
    assert any(
        line.startswith("R") and line.endswith("Refresh all (refresh-all)") for line in lines
    )
    assert any(line.endswith("Blog password (store-password)") for line in lines)


async def test_confirm_open_off_opens_the_article_at_once(
    make_app: Callable[..., BlogtuiApp], keep_machine_out: list[str]
) -> None:
    app = make_app(Config(confirm_open=False))
    async with running(app) as pilot:
        await press(pilot, "tab", "enter", "o")
        await wait_for(pilot, lambda: keep_machine_out == ["https://blog.example.de/gruesse"])
        assert not isinstance(app.screen, ConfirmScreen)
