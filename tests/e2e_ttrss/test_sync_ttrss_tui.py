"""The TUI syncs as part of R, in the background; start-up never syncs; errors per account."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.app import press, record_toasts, running, wait_for
from support.ttrss import TtrssSite

from blogtui.core.config import Config
from blogtui.core.feeds.client import make_client
from blogtui.core.paths import places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.core.sync.base import Account
from blogtui.ui.app import BlogtuiApp


async def test_r_syncs_every_account_in_the_background(
    tmp_path: Path, ttrss: TtrssSite, monkeypatch: pytest.MonkeyPatch
):
    feed = ttrss.add_feed("https://blog1.example.org/feed", "Blog Eins")
    ttrss.add_articles(feed, 30)
    where = places(tmp_path / "home")
    store = Store(where.database)
    credentials = CredentialStore(where.secrets_dir)
    for name, password in (("home", ttrss.password), ("falsch", "kein-Passwort")):
        account = Account(name, "ttrss", ttrss.base_url, ttrss.user)
        store.add_account(account)
        credentials.set_entry(account.credential_key, ttrss.user, password)
    toasts = record_toasts(monkeypatch)
    app = BlogtuiApp(store, Config(), where, lambda: make_client(4))
    async with running(app) as pilot:
        assert store.article_count() == 0  # start-up never syncs
        await press(pilot, "R")
        await wait_for(
            pilot, lambda: len([t for t in toasts if t.startswith(("home", "falsch"))]) == 2
        )
    assert store.article_count(unread_only=True) == 30
    assert "falsch: tt-rss refused the user name or password" in toasts
    assert any(t.startswith("home: 0 changes sent, 30 new articles") for t in toasts)
