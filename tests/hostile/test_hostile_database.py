"""A damaged database, whatever the damage, takes one path (issue 12, item 6).

Every variant is built here from a real store. Found on open, it is moved aside whole (its bytes
and its log file unchanged) with one message saying why and where, in the CLI (every command that
opens the store) and through the store API; drafts, separate files, are never touched. Damage
found while running (a table dropped, pages gone bad) becomes one message naming the file and
what to do, never a traceback or an "internal error" stored as a feed's error, and the next open
moves the file aside.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from support.damaged_database import (
    VARIANTS,
    break_articles_root,
    drop_table,
    moved_files,
    populated,
    run_sql,
    snapshot,
    with_logs,
)

from blogtui.core.config import Config
from blogtui.core.drafts.store import DraftStore
from blogtui.core.errors import StoreError
from blogtui.core.feeds.refresh import refresh_sync
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.core.store.damage import DamagedDatabase
from tests.hostile.hostile_support import rss

MOVED = "blogtui: the database was damaged ("
"""How every moved-aside message starts on stderr."""


@pytest.fixture
def drafted(home: Places) -> dict[str, bytes]:
    """A reply draft in `home` (drafts are separate files); returns the drafts folder's bytes."""
    home.data_dir.mkdir(parents=True, exist_ok=True)
    DraftStore(home.drafts_dir).new(
        blog="http://127.0.0.1:9/", article_url="http://127.0.0.1:9/a1", text="Meine Antwort."
    )
    return drafts_of(home)


def drafts_of(home: Places) -> dict[str, bytes]:
    """The draft files (not `send`'s hidden lock file) with their bytes."""
    return {name: data for name, data in snapshot(home.drafts_dir).items() if name[0] != "."}


def blogtui(home: Places, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess, on `home`."""
    env = {**os.environ, "BLOGTUI_HOME": str(home.config_dir.parent), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "blogtui", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def assert_moved_aside(
    home: Places, before: dict[str, dict[str, bytes]], message: str, reason: str
):
    """One moved-aside file holding `before` exactly, named by `message` with `reason`."""
    (target,) = moved_files(home)
    assert "the database was damaged (" in message, message
    assert reason in message
    assert f"moved aside to {target}" in message
    assert "drafts are untouched" in message
    assert with_logs(target) == before
    assert not home.database.with_name("blogtui.db.damaged").exists()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_store_moves_every_damaged_variant_aside(variant: str, home: Places) -> None:
    make, reason = VARIANTS[variant]
    home.data_dir.mkdir(parents=True)
    make(home.database)
    before = with_logs(home.database)
    store = Store(home.database)
    try:
        assert store.recovered_from is not None
        assert_moved_aside(home, before, store.recovery_note, reason)
        assert store.list_feeds() == []
        assert store.integrity_ok()
    finally:
        store.close()
    reopened = Store(home.database)  # the new one is whole: nothing moves again
    assert reopened.recovered_from is None
    reopened.close()
    assert len(moved_files(home)) == 1


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_cli_moves_every_damaged_variant_aside(
    variant: str, home: Places, drafted: dict[str, bytes]
) -> None:
    make, reason = VARIANTS[variant]
    make(home.database)
    before = with_logs(home.database)
    result = blogtui(home, "refresh")
    assert "Traceback" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("blogtui:")]
    assert line.startswith(MOVED), line
    assert_moved_aside(home, before, line, reason)
    assert result.returncode == 0, result.stderr
    assert "No feeds to refresh" in result.stdout
    assert drafts_of(home) == drafted
    again = blogtui(home, "feeds")
    assert (again.returncode, again.stderr) == (0, "")


@pytest.mark.parametrize(
    "command", [["feeds"], ["send"], ["export"], ["replies"], ["remove", "1"], ["add", "FEED"]]
)
def test_every_command_that_opens_the_store_says_the_same(
    command: list[str], home: Places, drafted: dict[str, bytes], feed_server
) -> None:
    feed_url = feed_server.route("/feed.xml", body=rss("Neu", []))
    drop_table(home.database)
    before = with_logs(home.database)
    result = blogtui(home, *[feed_url if part == "FEED" else part for part in command])
    assert "Traceback" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("blogtui:"))
    assert_moved_aside(home, before, line, "no table outbox")
    assert drafts_of(home) == drafted
    expected = 2 if command[0] == "remove" else 0  # feed 1 was in the moved-aside file
    assert result.returncode == expected, result.stderr


def test_a_newer_schema_is_refused_and_not_moved(home: Places, drafted: dict[str, bytes]) -> None:
    populated(home.database)
    run_sql(home.database, "PRAGMA user_version = 999")
    before = with_logs(home.database)
    result = blogtui(home, "refresh")
    assert result.returncode == 2
    assert "newer blogtui" in result.stderr and "Traceback" not in result.stderr
    assert moved_files(home) == [] and with_logs(home.database) == before


def test_pages_gone_bad_found_by_refresh_name_the_file_then_move_aside(
    home: Places, drafted: dict[str, bytes], feed_server
) -> None:
    feed_url = feed_server.route(
        "/feed.xml", body=rss("Blog", [{"title": "Neu", "guid": "n1", "link": "http://x/n1"}])
    )
    store = Store(home.database)
    store.add_feed(feed_url, "Blog", "", "")
    store.close()
    break_articles_root(home.database)
    result = blogtui(home, "refresh")
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    assert f"blogtui: the database {home.database} is damaged (" in result.stderr
    assert "quit blogtui and start it again" in result.stderr
    assert "internal error" not in result.stdout + result.stderr
    before = with_logs(home.database)
    listing = blogtui(home, "feeds")
    assert_moved_aside(home, before, listing.stderr.strip(), "malformed")
    assert drafts_of(home) == drafted


def test_a_table_dropped_while_refreshing_is_one_error_not_a_feed_error(
    home: Places, feed_server
) -> None:
    feed_url = feed_server.route(
        "/feed.xml", body=rss("Blog", [{"title": "Neu", "guid": "n1", "link": "http://x/n1"}])
    )
    store = Store(home.database)
    feed, _ = store.add_feed(feed_url, "Blog", "", "")
    run_sql(home.database, "DROP TABLE articles")
    with pytest.raises(DamagedDatabase) as raised:
        refresh_sync(store, [feed], Config(), processes=0, force=True)
    assert str(home.database) in raised.value.message
    assert "no table articles" in raised.value.message
    assert isinstance(raised.value, StoreError)
    stored = store.get_feed(feed.id)
    assert stored is not None and "internal error" not in stored.last_error
    store.close()
    before = with_logs(home.database)
    reopened = Store(home.database)
    assert reopened.recovered_from is not None
    assert_moved_aside(home, before, reopened.recovery_note, "no table articles")
    reopened.close()


def test_a_query_naming_a_missing_column_on_a_whole_schema_is_a_bug_not_damage(
    home: Places,
) -> None:
    populated(home.database)
    store = Store(home.database)
    with pytest.raises(sqlite3.OperationalError, match="no such column"):
        store.db.execute("SELECT no_such_thing FROM feeds")
    assert not home.database.with_name("blogtui.db.damaged").exists()
    store.close()
    reopened = Store(home.database)
    assert reopened.recovered_from is None and len(reopened.list_feeds()) == 1
    reopened.close()


def test_a_new_database_is_never_left_empty(home: Places) -> None:
    store = Store(home.database)
    store.close()
    assert home.database.stat().st_size > 0
    assert sorted(p.name for p in home.data_dir.iterdir()) == ["blogtui.db"]


def test_a_log_left_by_a_crash_is_no_damage(home: Places) -> None:
    """Committed pages only in the write-ahead log (the writer died): the store opens them."""
    other = home.data_dir / "other.db"
    home.data_dir.mkdir(parents=True)
    populated(other, articles=3)
    writer = sqlite3.connect(other, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE feeds SET title = 'Nur im Log'")
    for suffix in ("", "-wal"):
        home.database.with_name(home.database.name + suffix).write_bytes(
            other.with_name(other.name + suffix).read_bytes()
        )
    writer.close()
    store = Store(home.database)
    assert store.recovered_from is None
    assert [feed.title for feed in store.list_feeds()] == ["Nur im Log"]
    store.close()


def test_a_log_of_zeros_is_no_damage(home: Places) -> None:
    """What a crash can leave of a log never synced: SQLite ignores it, and so does the check."""
    home.data_dir.mkdir(parents=True)
    populated(home.database, articles=3)
    home.database.with_name("blogtui.db-wal").write_bytes(bytes(4096 + 32))
    store = Store(home.database)
    assert store.recovered_from is None and len(store.list_feeds()) == 1
    store.close()


def test_a_store_open_elsewhere_is_no_damage(home: Places) -> None:
    """The reader running while a cron job refreshes: its live log is no reason to move."""
    home.data_dir.mkdir(parents=True)
    populated(home.database, articles=3)
    running = Store(home.database)
    running.add_feed("http://127.0.0.1:9/zwei.xml", "Zwei", "", "")
    assert home.database.with_name("blogtui.db-wal").stat().st_size > 0
    second = subprocess.run(
        [sys.executable, "-c", "import sys; from blogtui.core.store import Store; "
         "s = Store(sys.argv[1]); print(s.recovered_from, len(s.list_feeds()))",
         str(home.database)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    running.close()
    assert second.stdout.split() == ["None", "2"], second.stderr


def test_a_mark_left_for_a_file_since_deleted_is_dropped(home: Places) -> None:
    home.data_dir.mkdir(parents=True)
    home.database.with_name("blogtui.db.damaged").write_text("database disk image is malformed\n")
    store = Store(home.database)
    assert store.recovered_from is None and moved_files(home) == []
    store.close()
    assert not home.database.with_name("blogtui.db.damaged").exists()
    reopened = Store(home.database)
    assert reopened.recovered_from is None
    reopened.close()


def test_the_cli_names_damage_sqlite_reports_past_the_store(home: Places) -> None:
    """An error raised while reading rows (not by a statement) reaches the CLI as it is."""
    from blogtui.cli.common import database_damage

    home.data_dir.mkdir(parents=True)
    populated(home.database, articles=3)
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    message = database_damage(malformed, home)
    assert message is not None and f"the database {home.database} is damaged (" in message
    assert home.database.with_name("blogtui.db.damaged").exists()
    assert database_damage(sqlite3.OperationalError("database is locked"), home) is None
    assert database_damage(ValueError("malformed"), home) is None
