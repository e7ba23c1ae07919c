"""A synced article's comment thread still comes from the blog: tt-rss gives the article, the
real WordPress of .ci/wordpress.sh its comments."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from support.ttrss import TtrssSite

from blogtui.core.comments.loading import load_thread_sync
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.core.sync.base import Account
from blogtui.core.sync.run import sync_accounts


def test_a_synced_articles_thread_comes_from_its_blog(
    tmp_path: Path, ttrss: TtrssSite, wordpress: dict[str, Any]
):
    post = wordpress["posts"]["nested"]
    feed = ttrss.add_feed(wordpress["feed_url"], wordpress["site_title"])
    (article_id,) = ttrss.add_articles(feed, 1)
    ttrss.sql(f"UPDATE ttrss_entries SET link = '{post['url']}' WHERE id = {article_id}")
    store = Store(tmp_path / "blogtui.db")
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    account = Account("home", "ttrss", ttrss.base_url, ttrss.user)
    store.add_account(account)
    credentials.set_entry(account.credential_key, ttrss.user, ttrss.password)
    (report,) = asyncio.run(sync_accounts(store, credentials))
    assert report.error == "" and report.new_articles == 1
    article = store.get_article(store.article_ids()[0])
    assert article is not None and article.link == post["url"]
    result = load_thread_sync(store, article)
    assert result.error == "" and result.provider == "wordpress"
    assert len(result.comments) == wordpress["comment_counts"]["nested"]
