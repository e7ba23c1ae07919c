"""A first pull reads feeds ahead, a few calls at a time (core/sync/ttrss.py): against the real
tt-rss, a call failing mid-pull stops everything started ahead, and a rerun finishes the pull
with every article once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from proxy import TtrssProxy
from support.ttrss import TtrssSite
from test_sync_ttrss import Home

from blogtui.core.sync.run import sync_accounts
from blogtui.core.sync.ttrss import AHEAD, PARALLEL

FEEDS = AHEAD + 2 * PARALLEL + 1
"""More feeds than are read ahead, and not a whole number of pages."""


def seed(ttrss: TtrssSite) -> dict[int, list[int]]:
    return {
        feed: ttrss.add_articles(feed, 3 + n % 4)
        for n in range(FEEDS)
        if (feed := ttrss.add_feed(f"https://blog{n}.example.org/feed", f"Blog {n} „Ä“"))
    }


def test_a_failure_mid_pull_stops_the_feeds_read_ahead(tmp_path: Path, ttrss: TtrssSite):
    seeded = seed(ttrss)
    proxy = TtrssProxy(ttrss.api_url)
    try:
        home = Home(tmp_path, proxy.base_url, ttrss)
        proxy.faults["getHeadlines"] = f"down@{PARALLEL + 2}"

        async def sync_then_wait() -> tuple[str, int, int]:  # the loop lives on, as the TUI's
            report = (await sync_accounts(home.store, home.credentials))[0]
            asked = proxy.ops.count("getHeadlines")
            await asyncio.sleep(0.5)
            return report.error, asked, proxy.ops.count("getHeadlines")

        error, asked, later = asyncio.run(sync_then_wait())
        assert "cannot reach the server" in error
        assert PARALLEL + 2 <= asked <= AHEAD + PARALLEL + 2  # read ahead, not everything
        assert later == asked  # nothing left running
        kept = home.store.article_count()
        assert kept < sum(len(ids) for ids in seeded.values())
        proxy.faults.clear()
        assert home.sync().error == ""
    finally:
        proxy.close()
    every = {i for ids in seeded.values() for i in ids}
    assert set(home.read()) == every  # each article mapped once
    assert home.store.article_count() == len(every)
    per_feed = home.store.db.execute(
        "SELECT f.remote_id, count(*) FROM sync_feeds f JOIN articles a ON a.feed_id = f.feed_id"
        " GROUP BY f.remote_id"
    ).fetchall()
    assert {int(r): n for r, n in per_feed} == {f: len(ids) for f, ids in seeded.items()}


def test_a_first_pull_reads_every_feed_once(tmp_path: Path, ttrss: TtrssSite):
    seeded = seed(ttrss)
    proxy = TtrssProxy(ttrss.api_url)
    try:
        home = Home(tmp_path, proxy.base_url, ttrss)
        assert home.sync().error == ""
        assert proxy.ops.count("getHeadlines") == FEEDS  # small feeds: one call each
        assert proxy.ops.count("getFeeds") == 1  # the feed list serves the pull too
    finally:
        proxy.close()
    assert home.store.article_count() == sum(len(ids) for ids in seeded.values())
