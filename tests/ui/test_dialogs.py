"""Pilot tests of the feed dialogs, links, help, palette, keymap, themes and first launch."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, settle
from textual.pilot import Pilot

from blogtui.core.config import Config, load_config
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import ConfirmScreen, HelpScreen
from blogtui.ui.screens.feed_dialogs import FeedDetailsScreen
from blogtui.ui.screens.welcome import WelcomeScreen


async def on_feed(pilot: Pilot[None], feed_id: int) -> None:
    """Put the feeds cursor on `feed_id`."""
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    assert screen.feed_list.select_key(f"feed:{feed_id}")
    await settle(pilot)


async def test_d_removes_a_feed_after_confirming(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int]
) -> None:
    app = pilot.app
    await on_feed(pilot, feed_ids["plain"])
    await press(pilot, "d")
    assert isinstance(app.screen, ConfirmScreen)
    await press(pilot, "n")
    assert store.get_feed(feed_ids["plain"]) is not None
    await press(pilot, "d", "y")
    assert store.get_feed(feed_ids["plain"]) is None
    assert len(main_screen(app).article_list.ids) == 3


async def test_e_renames_a_feed(pilot: Pilot[None], store: Store, feed_ids: dict[str, int]) -> None:
    app = pilot.app
    await on_feed(pilot, feed_ids["plain"])
    await press(pilot, "e", "ctrl+u")
    await pilot.press(*"Schön")
    await press(pilot, "enter")
    assert store.get_feed(feed_ids["plain"]).title == "Schön"  # type: ignore[union-attr]
    assert main_screen(app).feed_list.current_feed.title == "Schön"  # type: ignore[union-attr]


async def test_i_shows_details_with_the_error_literally(
    pilot: Pilot[None], feed_ids: dict[str, int]
) -> None:
    app = pilot.app
    await on_feed(pilot, feed_ids["hostile"])
    await press(pilot, "i")
    assert isinstance(app.screen, FeedDetailsScreen)
    shown = str(app.screen.query_one("#feed-details").render())
    assert "HTTP 500 [b]Internal[/b] Server Error" in shown
    assert "https://evil.example/feed" in shown
    await press(pilot, "escape")
    main_screen(app)


async def test_A_marks_the_feed_read(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int]
) -> None:
    app = pilot.app
    await on_feed(pilot, feed_ids["plain"])
    await press(pilot, "A")
    assert store.get_feed(feed_ids["plain"]).unread == 0  # type: ignore[union-attr]
    feed = main_screen(app).feed_list.current_feed
    assert feed is not None and feed.unread == 0


async def test_o_shows_the_url_then_opens_it(
    pilot: Pilot[None], keep_machine_out: list[str]
) -> None:
    app = pilot.app
    await press(pilot, "tab", "enter", "o")
    assert isinstance(app.screen, ConfirmScreen)
    assert "https://blog.example.de/gruesse" in str(
        app.screen.query_one(".dialog-message").render()
    )
    assert keep_machine_out == []
    await press(pilot, "y")
    assert keep_machine_out == ["https://blog.example.de/gruesse"]


async def test_f_follows_numbered_links_and_refuses_other_schemes(
    make_app: Callable[..., BlogtuiApp], keep_machine_out: list[str]
) -> None:
    app = make_app()
    notes: list[str] = []
    async with running(app) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await press(pilot, "tab", "enter")
        for number in ("2", "3"):  # javascript: and file:
            await press(pilot, "f", number, "enter")
            main_screen(app)
        assert any("javascript" in note for note in notes)
        assert any("file" in note for note in notes)
        await press(pilot, "f", "1", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "enter")
        assert keep_machine_out == ["https://blog.example.de/x"]


async def test_help_lists_every_binding(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "question_mark")
    assert isinstance(app.screen, HelpScreen)
    described = [row for _, rows in app.help_sections() for row in rows]
    assert all(keys and description for keys, description in described)
    descriptions = {description for _, description in described}
    assert {
        "Refresh all",
        "Add feed",
        "Search",
        "Toggle read",
        "Follow link [n]",
    } <= descriptions
    await press(pilot, "escape")
    main_screen(app)


def test_every_binding_has_an_id_and_a_description(make_app: Callable[..., BlogtuiApp]) -> None:
    app = make_app()
    bindings = app.all_bindings()
    assert all(b.description for b in bindings)
    ids = [b.id for b in bindings]
    assert all(ids) and len(ids) == len(set(ids))


async def test_palette_offers_every_main_action(pilot: Pilot[None]) -> None:
    app = pilot.app
    titles = {command.title for command in app.get_system_commands(app.screen)}
    assert {"Refresh all", "Add feed", "Remove feed", "Next unread", "Theme"} <= titles


async def test_keys_remap_through_config(
    make_app: Callable[..., BlogtuiApp], store: Store, feed_ids: dict[str, int], toasts: list[str]
) -> None:
    app = make_app(Config(keys={"mark-feed-read": "X", "no-such-binding": "z"}))
    async with running(app) as pilot:
        await on_feed(pilot, feed_ids["plain"])
        await press(pilot, "X")
        assert store.get_feed(feed_ids["plain"]).unread == 0  # type: ignore[union-attr]
        assert any("no-such-binding" in shown for shown in toasts)


async def test_theme_choice_is_remembered(make_app: Callable[..., BlogtuiApp], home) -> None:
    app = make_app()
    async with running(app) as pilot:
        app.theme = "nord"
        await settle(pilot)
    assert load_config(home.config_file).theme == "nord"
    again = make_app(load_config(home.config_file))
    async with running(again) as pilot:
        assert again.theme == "nord"


async def test_no_color_is_respected(make_app: Callable[..., BlogtuiApp], monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with running(app):
        assert app.no_color


async def test_first_launch_welcomes_and_a_adds_a_feed(empty_app: BlogtuiApp) -> None:
    async with running(empty_app) as pilot:
        assert isinstance(empty_app.screen, WelcomeScreen)
        await press(pilot, "a")
        assert empty_app.screen.query_one("#prompt-input") is not None
        await press(pilot, "escape")
        main_screen(empty_app)
