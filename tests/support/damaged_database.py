"""Damaged databases, each variant built from a real store (issue 12, item 6), and how to
compare a file before and after it was moved aside."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

from blogtui.core.models import EntryData
from blogtui.core.paths import Places
from blogtui.core.store import Store

FEED_URL = "http://127.0.0.1:9/feed.xml"
"""A feed nobody serves (port 9 discards): the store only needs its row."""


def populated(path: Path, articles: int = 300) -> None:
    """A real store at `path` with one feed and `articles` articles, closed cleanly."""
    store = Store(path)
    feed, _ = store.add_feed(FEED_URL, "Ein Blog", "http://127.0.0.1:9/", "")
    text = "Schöne Grüße aus dem Blog. " * 40
    store.upsert_articles(
        feed.id,
        [EntryData(key=f"a{n}", title=f"Artikel {n}", content=text) for n in range(articles)],
    )
    store.close()


def garbage(size: int, seed: int = 12) -> bytes:
    """`size` bytes of deterministic noise."""
    return random.Random(seed).randbytes(size)


def run_sql(path: Path, sql: str) -> None:
    """Run `sql` on `path` with a plain connection, closed at once."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(sql)
    finally:
        db.close()


def drop_table(path: Path) -> None:
    populated(path)
    run_sql(path, "DROP TABLE outbox")


def drop_column(path: Path) -> None:
    populated(path)
    run_sql(path, "ALTER TABLE feeds DROP COLUMN etag")


def drop_table_left_in_the_log(path: Path) -> None:
    """The table dropped by a process that died: the change is only in the write-ahead log."""
    other = path.with_name("other.db")
    populated(other)
    db = sqlite3.connect(other, isolation_level=None)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("DROP TABLE outbox")
    for suffix in ("", "-wal"):  # copied while open: closing would merge and delete the log
        path.with_name(path.name + suffix).write_bytes(
            other.with_name(other.name + suffix).read_bytes()
        )
    db.close()


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def truncated_at_a_page(path: Path) -> None:
    populated(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 // 4096 * 4096])


def truncated_mid_page(path: Path) -> None:
    populated(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])


def random_bytes(path: Path) -> None:
    path.write_bytes(garbage(64 * 1024))


def header_ok_pages_garbage(path: Path) -> None:
    populated(path)
    data = path.read_bytes()
    path.write_bytes(data[:100] + garbage(len(data) - 100))


def a_directory(path: Path) -> None:
    path.mkdir()
    (path / "something").write_text("not a database\n")


def log_of_noise(path: Path) -> None:
    populated(path)
    path.with_name(path.name + "-wal").write_bytes(garbage(4096 + 32 + 24))


def log_of_another_database(path: Path) -> None:
    """A real write-ahead log, of a database with another page size, next to ours."""
    populated(path)
    other = path.with_name("other.db")
    db = sqlite3.connect(other, isolation_level=None)
    db.execute("PRAGMA page_size = 1024")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES ('hallo')")
    log = other.with_name("other.db-wal").read_bytes()  # read while open: closing deletes it
    db.close()
    path.with_name(path.name + "-wal").write_bytes(log)


def log_of_another_store(path: Path) -> None:
    """A real log of another blogtui store (same page size, frames SQLite would apply)."""
    populated(path)
    other = path.with_name("other.db")
    populated(other, articles=50)
    db = sqlite3.connect(other, isolation_level=None)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("UPDATE articles SET title = title || ' x'")
    db.execute("DELETE FROM articles WHERE id % 3 = 0")
    path.with_name(path.name + "-wal").write_bytes(other.with_name("other.db-wal").read_bytes())
    db.close()


def garbage_schema_version(path: Path) -> None:
    populated(path)
    run_sql(path, "PRAGMA user_version = -3")


VARIANTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing table": (drop_table, "no table outbox"),
    "missing table, in the log": (drop_table_left_in_the_log, "no table outbox"),
    "missing column": (drop_column, "no column feeds.etag"),
    "0 bytes": (empty_file, "an empty file"),
    "truncated at a page": (truncated_at_a_page, "truncated"),
    "truncated mid-page": (truncated_mid_page, "truncated"),
    "random bytes": (random_bytes, "not an SQLite database"),
    "header ok, pages garbage": (header_ok_pages_garbage, "malformed"),
    "a directory": (a_directory, "not a file"),
    "log of noise": (log_of_noise, "log file is not an SQLite log"),
    "log of another database": (log_of_another_database, "belongs to another database"),
    "log of another blogtui store": (log_of_another_store, "malformed"),
    "garbage schema version": (garbage_schema_version, "schema version -3"),
}
"""Each variant: how it is made, and the words its message gives as the reason."""


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file under (or at) `path` by its relative name, with its bytes."""
    if path.is_file():
        return {"": path.read_bytes()}
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def with_logs(path: Path) -> dict[str, dict[str, bytes]]:
    """`path` and its write-ahead log, as snapshots (a missing log left out). The -shm file
    is SQLite's shared-memory index of the log, rebuilt by any reader: not data."""
    return {
        suffix: snapshot(side)
        for suffix in ("", "-wal")
        if (side := path.with_name(path.name + suffix)).exists()
    }


def moved_files(home: Places) -> list[Path]:
    """The databases moved aside in `home` (not their log files)."""
    return sorted(
        p
        for p in home.data_dir.glob("blogtui.db.corrupt-*")
        if not p.name.endswith(("-wal", "-shm"))
    )


def break_articles_root(path: Path) -> None:
    """Overwrite the articles table's first page: the schema reads whole, the table does not."""
    with sqlite3.connect(path) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[
            0
        ]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)
