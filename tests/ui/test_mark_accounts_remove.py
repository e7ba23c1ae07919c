"""Removing a sync account in the reader (Y, Remove…) writes the store in a worker, never on the
UI thread, like every other store write of the UI (issue 17: the screen never waits)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from support.app import main_screen, press, wait_for
from textual.pilot import Pilot
from textual.widgets import Button

from blogtui.core.store import Store
from blogtui.core.sync.base import Account
from blogtui.ui.screens.accounts import AccountsScreen


async def push(pilot: Pilot[None], selector: str) -> None:
    await wait_for(pilot, lambda: bool(pilot.app.screen.query(selector)))
    pilot.app.screen.query_one(selector, Button).press()
    await pilot.pause()


async def test_removing_an_account_writes_off_the_ui_thread(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_account(Account("rss.example.org", "ttrss", "https://rss.example.org/", "jörg"))
    with store.applying() as db:
        db.execute(
            "INSERT INTO sync_feeds (account, remote_id, feed_id) VALUES (?, ?, ?)",
            ("rss.example.org", "17", feed_ids["plain"]),
        )
    threads: list[threading.Thread] = []
    remove = Store.remove_account

    def noted(self: Store, name: str, **options: Any) -> int:
        threads.append(threading.current_thread())
        return remove(self, name, **options)

    monkeypatch.setattr(Store, "remove_account", noted)
    screen = main_screen(pilot.app)
    screen.focus_pane("feeds")
    await press(pilot, "Y")
    dialog = pilot.app.screen
    assert isinstance(dialog, AccountsScreen)
    assert "rss.example.org" in str(dialog.query_one("#accounts-list").render())
    await push(pilot, "#accounts-remove")
    await push(pilot, "#choice-0")
    await push(pilot, "#choice-drop")
    await wait_for(pilot, lambda: store.account_states() == [])
    assert threads and threads[0] is not threading.main_thread()
    await wait_for(
        pilot, lambda: "No accounts yet" in str(dialog.query_one("#accounts-list").render())
    )
    assert feed_ids["plain"] not in {feed.id for feed in store.list_feeds()}
    assert dialog.changed
