"""Posting with an Application Password: WordPress shows the account's name, not the one typed,
so the send confirmation names the account as the REAL WordPress (`.ci/wordpress.sh`) gives it
(`GET wp/v2/users/me`). Nothing is posted here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.app import main_screen, press, running, wait_for

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.feeds.client import make_client
from blogtui.core.models import EntryData
from blogtui.core.paths import places
from blogtui.core.posting import credentials as credentials_module
from blogtui.core.posting.credentials import Credential, CredentialStore, Secret
from blogtui.core.posting.rest import account_name
from blogtui.core.store import Store
from blogtui.ui.app import build_app
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.drafts_screen import DraftsScreen

TYPED = Identity("Jörg Prüfer", "joerg.pruefer@example.org", "")


async def test_account_name_is_the_name_wordpress_shows(wordpress: dict[str, Any]) -> None:
    post = wordpress["posts"]["nested"]["url"]
    right = Credential(wordpress["app_user"], Secret(wordpress["app_password"]))
    wrong = Credential(wordpress["app_user"], Secret("xxxx xxxx xxxx xxxx xxxx xxxx"))
    async with make_client(4) as client:
        assert await account_name(client, post, right) == wordpress["app_user_display_name"]
        assert await account_name(client, post, wrong) == ""


async def test_the_send_confirmation_names_the_account(
    wordpress: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(credentials_module, "_usable_keyring", lambda: None)  # the 0600 file
    home = places(tmp_path / "home")
    post = wordpress["posts"]["nested"]
    store = Store(home.database)
    feed, _ = store.add_feed(wordpress["feed_url"], "Testblog")
    store.upsert_articles(feed.id, [EntryData(key=post["url"], title=post["title"],
                                              link=post["url"])])  # fmt: skip
    DraftStore(home.drafts_dir).new(blog="wp", article_url=post["url"], article_title=post["title"],
                                    identity=TYPED, text="Nur eine Frage.")  # fmt: skip
    CredentialStore(home.secrets_dir).set(post["url"], wordpress["app_user"],
                                          wordpress["app_password"])  # fmt: skip
    app = build_app(home, config=Config(identity=TYPED), store=store)
    try:
        async with running(app, (120, 40)) as pilot:
            main_screen(app).feed_list.focus()
            await press(pilot, "D")
            assert isinstance(app.screen, DraftsScreen)
            await press(pilot, "s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            shown = str(app.screen.query_one(".dialog-message").render())
            name, user = wordpress["app_user_display_name"], wordpress["app_user"]
            assert f"From: {name} · your account “{user}” on this blog" in shown, shown
            assert "Jörg Prüfer" not in shown
            await press(pilot, "n")
            assert store.outbox() == []
    finally:
        store.close()
