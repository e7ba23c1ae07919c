"""The sync accounts dialog (Y in the feeds pane) against the real tt-rss."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.app import press, record_toasts, running, wait_for
from support.ttrss import TtrssSite
from textual.widgets import Button, Input

from blogtui.core.config import Config
from blogtui.core.feeds.client import make_client
from blogtui.core.paths import places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.accounts import AccountsScreen


async def test_add_sync_and_remove_an_account_in_the_reader(
    tmp_path: Path, ttrss: TtrssSite, monkeypatch: pytest.MonkeyPatch
):
    feed = ttrss.add_feed("https://blog1.example.org/feed", "Blog Eins")
    ttrss.add_articles(feed, 7)
    where = places(tmp_path / "home")
    store = Store(where.database)
    store.add_feed("https://local.example.org/feed", "Lokal")
    toasts = record_toasts(monkeypatch)
    app = BlogtuiApp(store, Config(), where, lambda: make_client(4))
    async with running(app, size=(120, 44)) as pilot:
        app.screen.query_one("#feeds").focus()
        await press(pilot, "Y")
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        screen.query_one("#accounts-url", Input).value = ttrss.base_url
        screen.query_one("#accounts-user", Input).value = ttrss.user
        screen.query_one("#accounts-password", Input).value = "falsch"
        await push(pilot, "#accounts-add")
        await wait_for(
            pilot, lambda: "refused" in str(screen.query_one("#accounts-error").render())
        )
        assert store.account_states() == []
        screen.query_one("#accounts-password", Input).value = ttrss.password
        await push(pilot, "#accounts-add")
        await wait_for(pilot, lambda: store.account_states() != [])
        name = store.account_states()[0].account.name
        assert name == "127.0.0.1:8090"
        stored = CredentialStore(where.secrets_dir).get_entry(f"sync:{name}")
        assert stored is not None and stored.password.reveal() == ttrss.password
        assert screen.query_one("#accounts-password", Input).value == ""
        await press(pilot, "escape")
        await press(pilot, "R")
        await wait_for(pilot, lambda: any(t.startswith(name) for t in toasts))
        assert store.article_count() == 7 + 0
        app.screen.query_one("#feeds").focus()
        await press(pilot, "Y")
        await push(pilot, "#accounts-remove")
        await settle_click(pilot, "#choice-0")
        await settle_click(pilot, "#choice-drop")
        await wait_for(pilot, lambda: store.account_states() == [])
    assert [f.url for f in store.list_feeds()] == ["https://local.example.org/feed"]
    assert CredentialStore(where.secrets_dir).get_entry(f"sync:{name}") is None


async def push(pilot, selector: str) -> None:
    """Press the button (Button.press: two pilot clicks in a row make a double click)."""
    pilot.app.screen.query_one(selector, Button).press()
    await pilot.pause()


async def settle_click(pilot, selector: str) -> None:
    await wait_for(pilot, lambda: bool(pilot.app.screen.query(selector)))
    await push(pilot, selector)
