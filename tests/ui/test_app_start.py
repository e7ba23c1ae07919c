"""Start-up: the app opens the database itself after its first frame, and says when it can't."""

from __future__ import annotations

import gc
import sqlite3

from support.app import main_screen, running

from blogtui.core.config import Config
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import build_app


async def test_the_app_opens_its_store_after_the_first_frame(home: Places) -> None:
    seeded = Store(home.database)
    seeded.add_feed("https://blog.example/feed/", "Gespeichert")
    seeded.close()
    app = build_app(home, config=Config())
    assert not app.has_store  # nothing opened before the app runs
    async with running(app):
        screen = main_screen(app)
        assert [feed.title for feed in screen.feed_list.feeds] == ["Gespeichert"]


async def test_a_newer_database_ends_the_app_with_the_reason(home: Places, capfd) -> None:
    home.database.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(home.database)
    db.execute("PRAGMA user_version = 999")
    db.close()
    app = build_app(home, config=Config())
    async with running(app):
        pass  # the app ends itself, with the reason
    assert app.return_code == 2
    assert "written by a newer blogtui" in capfd.readouterr().err
    assert gc.isenabled()  # the collector, paused for start-up, is back


async def test_a_damaged_database_is_replaced_and_the_user_told(
    home: Places, toasts: list[str]
) -> None:
    home.database.parent.mkdir(parents=True, exist_ok=True)
    home.database.write_bytes(b"kein SQLite" * 500)
    app = build_app(home, config=Config())
    async with running(app):
        assert app.main_opened  # (the welcome screen is on top: the new store has no feeds)
        messages = list(toasts)
        assert any("moved aside" in m and "corrupt" in m for m in messages), messages
        assert app.store.integrity_ok()


async def test_the_collector_is_paused_for_start_up_then_keeps_start_up_objects_out(
    home: Places,
) -> None:
    app = build_app(home, config=Config())
    async with running(app) as pilot:
        await pilot.pause(0.1)
        assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0  # all collectable again after exit


async def test_a_data_folder_that_cannot_be_made_ends_the_app_with_the_reason(
    tmp_path, capfd
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    where = Places(tmp_path / "config", blocked / "data", tmp_path / "cache")
    app = build_app(where, config=Config())
    async with running(app):
        pass  # the app ends itself, with the reason
    assert app.return_code == 2
    assert "cannot open" in capfd.readouterr().err
