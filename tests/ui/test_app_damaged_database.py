"""The reader and a damaged database (issue 12, item 6): on start the file is moved aside whole
and a notification says why and where; damage a refresh runs into is one notification naming
the file and what to do, never "internal error" as a feed's error."""

from __future__ import annotations

import pytest
from support.app import main_screen, running, wait_for
from support.damaged_database import VARIANTS, break_articles_root, moved_files, with_logs

from blogtui.core.config import Config
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import build_app


@pytest.mark.parametrize(
    "variant", ["missing table", "missing column", "0 bytes", "truncated at a page", "log of noise"]
)
async def test_the_reader_moves_a_damaged_database_aside_and_says_why(
    variant: str, home: Places, toasts: list[str]
) -> None:
    make, reason = VARIANTS[variant]
    home.data_dir.mkdir(parents=True)
    make(home.database)
    before = with_logs(home.database)
    app = build_app(home, config=Config())
    async with running(app):
        assert app.main_opened
        (target,) = moved_files(home)
        shown = [m for m in toasts if "moved aside" in m]
        assert len(shown) == 1, toasts
        assert shown[0].startswith("The database was damaged (") and reason in shown[0]
        assert str(target) in shown[0] and "drafts are untouched" in shown[0]
        assert app.store.list_feeds() == []
    assert with_logs(target) == before


async def test_damage_a_refresh_runs_into_names_the_file(
    home: Places, toasts: list[str], feed_server
) -> None:
    feed_url = feed_server.route(
        "/feed.xml",
        body=b"<rss version='2.0'><channel><title>Blog</title><item><title>Neu</title>"
        b"<guid>n1</guid></item></channel></rss>",
    )
    seeded = Store(home.database)
    seeded.add_feed(feed_url, "Blog", "", "")
    seeded.close()
    break_articles_root(home.database)
    app = build_app(home, config=Config())
    async with running(app) as pilot:
        main_screen(app).action_refresh_all()
        bar = main_screen(app).refresh_bar
        await wait_for(pilot, lambda: feed_server.requests and not bar.running)
    damaged = [m for m in toasts if f"the database {home.database} is damaged" in m]
    assert damaged, toasts
    assert all("quit blogtui and start it again" in m for m in damaged)
    assert not any("internal error" in m or "DatabaseError" in m for m in toasts), toasts
    assert home.database.with_name("blogtui.db.damaged").exists()
