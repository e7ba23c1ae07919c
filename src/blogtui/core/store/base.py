"""SQLite plumbing: one connection per thread, short BEGIN IMMEDIATE writes, migrations on open."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from blogtui.core.errors import StoreError
from blogtui.core.store.damage import (
    SIDE_FILES,
    DamagedDatabase,
    damage_found,
    error_damage,
    file_damage,
    migration_damage,
    move_aside,
    moved_aside_message,
    schema_damage,
    side_file,
)
from blogtui.core.store.migrations import MIGRATIONS
from blogtui.core.store.storable import StorableConnection

BUSY_TIMEOUT_MS = 10_000
"""How long a connection waits for another writer before giving up."""
CHECKPOINT_PAGES = 4000
"""Log pages (4 KB) written before SQLite copies the log into the database."""
WAL_LIMIT_BYTES = 32 * 2**20
"""The log file is cut back to this size after a checkpoint."""


class StoreConnection(StorableConnection):
    """A storable connection whose errors that mean damage become `DamagedDatabase`."""

    on_damage: Callable[[sqlite3.DatabaseError], DamagedDatabase | None] | None = None
    """The store's judge of an error (None: errors pass as they are)."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """Run one statement; damage is raised as `DamagedDatabase`."""
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as error:
            if (damage := self._damage(error)) is None:
                raise
            raise damage from error

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        """Run one statement per parameter set; damage is raised as `DamagedDatabase`."""
        try:
            return super().executemany(sql, parameters)
        except sqlite3.DatabaseError as error:
            if (damage := self._damage(error)) is None:
                raise
            raise damage from error

    def _damage(self, error: sqlite3.DatabaseError) -> DamagedDatabase | None:
        return None if self.on_damage is None else self.on_damage(error)


class StoreBase:
    """Connections, transactions and migrations shared by the store's parts."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._opened = False
        self._found_side_files: set[str] = set()
        self.recovered_from: Path | None = None
        """Where a damaged database was moved aside on open, if it was."""
        self.damage_reason = ""
        """What was wrong with the database moved aside on open ("" if none was)."""
        if str(self.path) == ":memory:":
            self._migrate()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if (reason := self._damage_on_open()) is not None:
                try:
                    self._move_aside(reason)
                except (OSError, sqlite3.Error) as error:
                    raise StoreError(
                        f"{self.path} is damaged ({reason}) and cannot be moved aside: {error}"
                    ) from error
        self._opened = True

    def data_version(self) -> int:
        """SQLite's `PRAGMA data_version` on this thread's connection: it changes when another
        connection (another thread, the CLI, cron) has committed since (a cheap poll)."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _damage_on_open(self) -> str | None:
        """Open (creating and migrating) the file; what is wrong with it, or None."""
        self._found_side_files = {s for s in SIDE_FILES if side_file(self.path, s).exists()}
        try:
            reason = file_damage(self.path)
        except OSError as error:
            raise StoreError(f"cannot open {self.path}: {error.strerror or error}") from error
        if reason is not None:
            return reason
        try:
            if not self.path.exists():
                self._create()
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            if version < 0:
                return f"schema version {version}, which blogtui never writes"
            self._migrate()
            return schema_damage(self.db)
        except sqlite3.DatabaseError as error:  # OperationalError included
            reason = error_damage(error) or migration_damage(error)
            if reason is None:
                raise StoreError(f"cannot open {self.path}: {error}") from error
            return reason

    def _create(self) -> None:
        """Build a new database under a temporary name and link it into place whole.

        So blogtui never leaves an empty or half-made file at `path`: one found there is damage.
        """
        final, temp = self.path, side_file(self.path, f".new-{os.getpid()}")
        for suffix in ("", *SIDE_FILES):
            side_file(temp, suffix).unlink(missing_ok=True)
        self.path = temp
        try:
            self._migrate()
        finally:
            self.close()
            self.path = final
        try:
            os.link(temp, final)  # never replaces a file another process made meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not final.exists():
                os.replace(temp, final)
        finally:
            temp.unlink(missing_ok=True)

    def _move_aside(self, reason: str) -> None:
        guard = self._read_only_guard() if self._connections else None
        try:
            self.close()  # not the last connection while `guard` is open: the log stays as is
            self.recovered_from = move_aside(self.path)
        finally:
            if guard is not None:
                guard.close()  # a read-only connection never merges the log into the file
        for suffix in set(SIDE_FILES) - self._found_side_files:  # ours: empty, or an index
            side_file(self.recovered_from, suffix).unlink(missing_ok=True)
        self.damage_reason = reason
        self._create()
        self._migrate()

    def _read_only_guard(self) -> sqlite3.Connection | None:
        """A read-only connection to hold while ours close, so the last of them does not
        merge the log into the damaged file (its bytes move aside as they were found)."""
        try:
            guard = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
        try:
            guard.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError:
            pass  # a schema too damaged to read: the log was opened all the same
        return guard

    @property
    def recovery_note(self) -> str:
        """What to tell the user when a damaged database was moved aside on open ("" if not)."""
        if self.recovered_from is None:
            return ""
        return moved_aside_message(self.damage_reason, self.recovered_from)

    def _damage_in(self, error: sqlite3.DatabaseError) -> DamagedDatabase | None:
        """`error` (raised once the store is open) as damage, after leaving the mark that moves
        the file aside on the next open; None when it is not damage (locked, full, a bug)."""
        if not self._opened or str(self.path) == ":memory:":
            return None
        return damage_found(self.path, error)

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
            factory=StoreConnection,  # every string bound is made storable
        )
        connection.on_damage = self._damage_in
        with self._lock:
            self._connections.append(connection)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if str(self.path) != ":memory:":
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            # Checkpoint (copy the log into the database, with an fsync) every ~16 MB rather
            # than every 4 MB: a refresh writes that much in seconds, and each fsync costs.
            connection.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            connection.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
        return connection

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction, taken at once (BEGIN IMMEDIATE) so it never deadlocks."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.in_transaction:  # SQLite may have rolled back already (damage, a full disk)
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
