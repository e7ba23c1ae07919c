"""SQLite plumbing: one connection per thread, short BEGIN IMMEDIATE writes, migrations on open."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from blogtui.core.errors import StoreError
from blogtui.core.store.migrations import MIGRATIONS
from blogtui.core.store.storable import StorableConnection

BUSY_TIMEOUT_MS = 10_000
"""How long a connection waits for another writer before giving up."""
CHECKPOINT_PAGES = 4000
"""Log pages (4 KB) written before SQLite copies the log into the database."""
WAL_LIMIT_BYTES = 32 * 2**20
"""The log file is cut back to this size after a checkpoint."""


class StoreBase:
    """Connections, transactions and migrations shared by the store's parts."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.recovered_from: Path | None = None
        """Where a corrupt database was moved aside on open, if it was."""
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self._migrate()
        except sqlite3.DatabaseError as error:
            if str(self.path) == ":memory:" or not self._is_corrupt(error):
                raise StoreError(f"cannot open {self.path}: {error}") from error
            self._move_aside()
            self._migrate()

    @staticmethod
    def _is_corrupt(error: sqlite3.DatabaseError) -> bool:
        text = str(error).lower()
        return "not a database" in text or "malformed" in text or "corrupt" in text

    def _move_aside(self) -> None:
        self.close()
        self._local = threading.local()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        self.path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        self.recovered_from = target

    @property
    def recovery_note(self) -> str:
        """What to tell the user when a damaged database was moved aside on open ("" if not)."""
        if self.recovered_from is None:
            return ""
        return (
            f"the database was damaged; it was moved aside to {self.recovered_from}"
            " and a new one was started (drafts are untouched)"
        )

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
        return connection

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            str(self.path),
            isolation_level=None,
            check_same_thread=False,
            timeout=10,
            factory=StorableConnection,  # every string bound is made storable
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if str(self.path) != ":memory:":
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            # Checkpoint (copy the log into the database, with an fsync) every ~16 MB rather
            # than every 4 MB: a refresh writes that much in seconds, and each fsync costs.
            connection.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            connection.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
        with self._lock:
            self._connections.append(connection)
        return connection

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction, taken at once (BEGIN IMMEDIATE) so it never deadlocks."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _migrate(self) -> None:
        db = self.db
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer blogtui (schema {version}); please upgrade"
            )
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.write() as tx:
                if tx.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                migration(tx)
                tx.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        """How many migrations this database has."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        """Run SQLite's integrity check."""
        return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            for connection in self._connections:
                try:
                    connection.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()
