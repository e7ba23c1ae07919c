"""Sync against the real Tiny Tiny RSS of .ci/ttrss.sh (Debian's tt-rss package).

tt-rss refuses 127.0.0.1 feeds, so its feeds and articles are seeded through its database
(tests/support/ttrss.py); everything blogtui does goes through tt-rss's own JSON API, some of
it through a proxy that breaks chosen calls (tests/e2e_ttrss/proxy.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from proxy import TtrssProxy
from support.ttrss import TtrssSite

from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.core.sync.base import Account
from blogtui.core.sync.engine import SyncReport
from blogtui.core.sync.run import sync_accounts


class Home:
    """A blogtui database and credential store with one tt-rss account."""

    def __init__(self, root: Path, url: str, site: TtrssSite, password: str = "") -> None:
        self.store = Store(root / "blogtui.db")
        self.credentials = CredentialStore(root / "secrets", use_keyring=False)
        self.account = Account("home", "ttrss", url, site.user)
        self.store.add_account(self.account)
        self.credentials.set_entry(
            self.account.credential_key, site.user, password or site.password
        )

    def sync(self, **options: bool) -> SyncReport:
        return asyncio.run(sync_accounts(self.store, self.credentials, **options))[0]

    def remote(self, article_id: int) -> int:
        """The local id of tt-rss article `article_id`."""
        row = self.store.db.execute(
            "SELECT article_id FROM sync_articles WHERE remote_id = ?", (str(article_id),)
        ).fetchone()
        return int(row[0])

    def read(self) -> dict[int, bool]:
        rows = self.store.db.execute(
            "SELECT m.remote_id, a.read FROM sync_articles m JOIN articles a ON a.id = m.article_id"
        )
        return {int(r[0]): bool(r[1]) for r in rows}


@pytest.fixture
def seeded(ttrss: TtrssSite) -> dict[str, list[int]]:
    """Two feeds (one in a folder), 250 unread and 5 read articles, two of them starred."""
    folder = ttrss.add_category("Technik")
    first = ttrss.add_feed("https://blog1.example.org/feed", "Blog „Eins“", folder)
    second = ttrss.add_feed("https://blog2.example.org/feed", "Blog Zwei")
    return {
        "feeds": [first, second],
        "unread": ttrss.add_articles(first, 250),
        "read": ttrss.add_articles(second, 5, unread=False),
    }


@pytest.fixture
def home(tmp_path: Path, ttrss: TtrssSite) -> Home:
    return Home(tmp_path, ttrss.base_url, ttrss)


@pytest.fixture
def proxy(ttrss: TtrssSite) -> Iterator[TtrssProxy]:
    proxy = TtrssProxy(ttrss.api_url)
    yield proxy
    proxy.close()


@pytest.fixture
def proxied(tmp_path: Path, ttrss: TtrssSite, proxy: TtrssProxy) -> Home:
    return Home(tmp_path, proxy.base_url, ttrss)


def test_first_sync_takes_feeds_folders_articles_and_their_state(home, ttrss, seeded):
    ttrss.set_flag(seeded["read"][:2], "marked", True)
    report = home.sync()
    assert report.error == "" and report.new_articles == 255
    feeds = {f.url: f for f in home.store.list_feeds()}
    assert set(feeds) == ttrss.feed_urls()
    one = feeds["https://blog1.example.org/feed"]
    assert (one.title, one.folder, one.unread, one.total) == ("Blog „Eins“", "Technik", 250, 250)
    assert home.store.article_count(unread_only=True) == 250
    starred = home.store.db.execute("SELECT count(*) FROM articles WHERE starred = 1").fetchone()
    assert starred[0] == 2
    article = home.store.get_article(home.remote(seeded["unread"][0]))
    assert article is not None and article.title.endswith("Grüße aus „Köln“")
    assert "Umlauten" in article.content  # tt-rss's sanitiser writes entities: &auml;
    assert article.link == f"https://blog{seeded['feeds'][0]}.example.org/{seeded['unread'][0]}"


def test_incremental_sync_takes_only_what_is_new(home, ttrss, seeded):
    home.sync()
    new = ttrss.add_articles(seeded["feeds"][1], 3, prefix="neu-")
    report = home.sync()
    assert report.new_articles == 3 and report.fetched == 0
    assert {home.remote(i) for i in new} and home.store.article_count() == 258


def test_marks_go_both_ways(home, ttrss, seeded):
    home.sync()
    unread = seeded["unread"]
    home.store.set_read([home.remote(i) for i in unread[:10]])
    home.store.set_starred([home.remote(unread[10])])
    ttrss.set_flag(unread[20:30], "unread", False)  # read on the phone
    ttrss.set_flag(seeded["read"][:1], "unread", True)  # kept unread on the phone
    report = home.sync()
    assert report.error == "" and report.pushed == 11
    assert ttrss.unread_ids() == set(unread[10:20] + unread[30:] + seeded["read"][:1])
    assert ttrss.starred_ids() == {unread[10]}
    local = home.read()
    assert all(local[i] for i in unread[:10] + unread[20:30])
    assert not local[seeded["read"][0]] and home.store.queued_count() == 0


def test_mark_feed_read_catches_up_on_the_server_with_a_time(home, ttrss, seeded):
    home.sync()
    feed = seeded["feeds"][0]
    never_downloaded = ttrss.add_articles(feed, 4, published=time.time() - 60, prefix="alt-")
    home.store.mark_feed_read(home.store.remote_feeds("home")[str(feed)])
    later = ttrss.add_articles(feed, 2, published=time.time() + 3600, prefix="spaeter-")
    report = home.sync()
    assert report.error == ""
    unread = ttrss.unread_ids()
    assert not unread & set(seeded["unread"] + never_downloaded)  # never seen here: read too
    assert unread >= set(later)  # newer than the click: still unread
    assert home.store.queued_count() == 0


def test_subscription_changes_through_the_api(home, ttrss, seeded):
    home.sync()
    extra = ttrss.add_feed("https://blog3.example.org/feed", "Neu auf dem Server")
    ttrss.add_articles(extra, 2)
    report = home.sync()
    assert report.feeds_added == 1 and "https://blog3.example.org/feed" in {
        f.url for f in home.store.list_feeds()
    }
    home.store.remove_feed(home.store.remote_feeds("home")[str(seeded["feeds"][1])])
    assert home.sync().error == ""
    assert "https://blog2.example.org/feed" not in ttrss.feed_urls()
    ttrss.sql(f"DELETE FROM ttrss_feeds WHERE id = {extra}")  # removed on the phone
    report = home.sync()
    assert report.feeds_removed == 1
    assert [f.url for f in home.store.list_feeds()] == ["https://blog1.example.org/feed"]


def test_subscribing_to_a_loopback_feed_is_refused_with_tt_rss_reason(home, ttrss, seeded):
    from blogtui.core.feeds.client import make_client
    from blogtui.core.sync.base import SyncError
    from blogtui.core.sync.engine import subscribe
    from blogtui.core.sync.ttrss import TtrssBackend

    backend = TtrssBackend(home.account, ttrss.password)

    async def attempt() -> None:
        async with make_client(2) as client:
            await subscribe(home.store, backend, client, "http://127.0.0.1:9/feed.xml")

    with pytest.raises(SyncError, match="tt-rss refused the URL|could not download"):
        asyncio.run(attempt())
    assert ttrss.feed_urls() == {f"https://blog{n}.example.org/feed" for n in (1, 2)}


def test_an_expired_session_logs_in_again(home, ttrss, seeded):
    from blogtui.core.feeds.client import make_client
    from blogtui.core.sync.engine import Sync
    from blogtui.core.sync.ttrss import TtrssBackend

    backend = TtrssBackend(home.account, ttrss.password)

    async def twice() -> list[SyncReport]:
        async with make_client(2) as client:
            first = await Sync(home.store, backend, client).run()
            old = backend.sid
            ttrss.expire_sessions()
            home.store.set_read([home.remote(seeded["unread"][0])])
            second = await Sync(home.store, backend, client).run()
            assert backend.sid != old
            return [first, second]

    first, second = asyncio.run(twice())
    assert second.pushed == 1 and seeded["unread"][0] not in ttrss.unread_ids()


def test_a_wrong_password_or_disabled_api_is_said_plainly(tmp_path, ttrss, seeded):
    report = Home(tmp_path / "a", ttrss.base_url, ttrss, password="falsch").sync()
    assert report.error == "tt-rss refused the user name or password"
    ttrss.sql("UPDATE ttrss_user_prefs SET value = 'false' WHERE pref_name = 'ENABLE_API_ACCESS'")
    try:
        report = Home(tmp_path / "b", ttrss.base_url, ttrss).sync()
    finally:
        ttrss.sql(
            "UPDATE ttrss_user_prefs SET value = 'true' WHERE pref_name = 'ENABLE_API_ACCESS'"
        )
    assert "API access is disabled" in report.error


def test_the_server_going_down_mid_sync_keeps_the_queue(proxied, proxy, ttrss, seeded):
    proxied.sync()
    proxied.store.set_read([proxied.remote(i) for i in seeded["unread"][:5]])
    proxy.faults["updateArticle"] = "down"
    report = proxied.sync()
    assert "cannot reach the server" in report.error
    assert proxied.store.queued_count() == 5
    assert proxied.store.get_account("home").last_error == report.error
    proxy.faults.clear()
    assert proxied.sync().error == "" and proxied.store.queued_count() == 0
    assert not ttrss.unread_ids() & set(seeded["unread"][:5])


def test_garbage_instead_of_json_stops_the_account_cleanly(proxied, proxy, ttrss, seeded):
    proxy.faults["getHeadlines"] = "garbage@2"
    report = proxied.sync()
    assert report.error.startswith("tt-rss getHeadlines: expected JSON")
    assert "text/html" in report.error
    proxy.faults.clear()
    assert proxied.sync().error == "" and proxied.store.article_count() == 255


def test_unread_contradicting_acknowledged_reads_aborts(proxied, proxy, ttrss, seeded):
    proxied.sync()
    ttrss.set_flag(seeded["unread"][100:110], "unread", False)
    proxied.store.set_read([proxied.remote(seeded["unread"][0])])
    proxy.faults["updateArticle"] = "swallow"  # acknowledged, never applied
    report = proxied.sync()
    assert "just taken as read" in report.error
    assert not any(proxied.read()[i] for i in seeded["unread"][100:110])  # nothing reconciled


def test_mass_read_aborts_unless_allowed(home, ttrss, seeded):
    home.sync()
    ttrss.set_flag(seeded["unread"][:200], "unread", False)
    report = home.sync()
    assert "200 of 250 unread" in report.error and "--allow-mass-read" in report.error
    assert home.store.article_count(unread_only=True) == 250
    assert home.sync(allow_mass_read=True).error == ""
    assert home.store.article_count(unread_only=True) == 50
