"""A damaged database, whatever the damage: found, named, and moved aside (never overwritten).

On open the store looks for damage in ways that cost the same for 1 MB and 1 GB: the file itself
(a directory, 0 bytes, not SQLite's header, shorter than its header says, a log file that is not
a log of this page size), a mark left by damage found while running, and the schema against the
one the migrations build. Damage found later ("malformed", a table gone) becomes one
`DamagedDatabase` error naming the file and what to do, and leaves the mark, so the next start
moves the file aside even where the cheap checks would pass. `PRAGMA quick_check` is not run on
open: it reads every page (~70 ms for a 100 MB store with a warm cache, seconds cold).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import struct
import time
from pathlib import Path

from blogtui.core.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database."""
WAL_MAGICS = (0x377F0682, 0x377F0683)
"""A write-ahead log's first word (the low bit says the byte order of its checksums)."""
WAL_VERSION = 3007000
"""The only write-ahead log format there is."""
SIDE_FILES = ("-wal", "-shm")
"""The files SQLite keeps next to a database in WAL mode; they move with it."""
MARK_SUFFIX = ".damaged"
"""Next to the database: damage was found while running (the file holds the reason)."""
DAMAGE_WORDS = ("malformed", "not a database", "corrupt")
"""SQLite's own words for damage (SQLITE_CORRUPT, SQLITE_NOTADB)."""
SCHEMA_WORDS = ("no such table", "no such column")
"""Errors that are damage when the schema check confirms a part is missing (else a bug)."""
MIGRATION_WORDS = ("already exists", "duplicate column")
"""A migration's errors when its part is there already (the version lies)."""


class DamagedDatabase(StoreError):
    """The database is damaged; `path` is the file, `reason` what is wrong with it."""

    title = "Database damaged"

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(damaged_message(path, reason))
        self.path = path
        self.reason = reason


def damaged_message(path: Path, reason: str) -> str:
    """What to tell the user when damage is found while running."""
    return (
        f"the database {path} is damaged ({reason}); quit blogtui and start it again:"
        " it moves the damaged file aside and starts a new one (drafts are untouched)"
    )


def moved_aside_message(reason: str, target: Path) -> str:
    """What to tell the user when a damaged database was moved aside on open."""
    return (
        f"the database was damaged ({reason}); it was moved aside to {target}"
        " and a new one was started (drafts are untouched)"
    )


def side_file(path: Path, suffix: str) -> Path:
    """`path` with `suffix` added to its name (blogtui.db-wal, blogtui.db.damaged)."""
    return path.with_name(path.name + suffix)


def file_damage(path: Path) -> str | None:
    """What is wrong with the database file before SQLite opens it (None: nothing seen).

    A missing file is not damage (a mark left for it is dropped). Raises OSError when the
    file cannot be read.
    """
    mark = side_file(path, MARK_SUFFIX)
    if not path.exists() and not path.is_symlink():
        mark.unlink(missing_ok=True)
        return None
    if mark.exists():
        return mark.read_text(encoding="utf-8", errors="replace").strip()[:200] or "damaged"
    if not path.is_file():
        return "not a file"
    with path.open("rb") as handle:
        header = handle.read(100)
    size = path.stat().st_size
    if size == 0:
        return "an empty file, which blogtui never leaves"
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "not an SQLite database"
    page_size = _page_size(header)
    if page_size is None:
        return "not an SQLite database (bad page size)"
    log = side_file(path, "-wal")
    log_size = log.stat().st_size if log.is_file() else 0
    if log_size:  # the log may hold pages the file does not have yet
        return _log_damage(log, page_size)
    if size % page_size:
        return "truncated (not a whole number of pages)"
    changes, pages = struct.unpack(">II", header[24:32])
    valid_for = int.from_bytes(header[92:96], "big")
    if changes == valid_for and pages * page_size > size:
        return f"truncated ({size} of {pages * page_size} bytes)"
    return None


def _page_size(header: bytes) -> int | None:
    raw = int.from_bytes(header[16:18], "big")
    size = 65536 if raw == 1 else raw
    if size < 512 or size & (size - 1):
        return None
    return size


def _log_damage(log: Path, page_size: int) -> str | None:
    """What is wrong with a non-empty write-ahead log (None: it belongs to this database).

    A log of zeros is what a crash can leave before the log was synced; SQLite ignores it.
    """
    with log.open("rb") as handle:
        header = handle.read(32)
    if header.count(0) == len(header):
        return None
    if len(header) < 32:
        return "its log file is cut short"
    magic, version, log_page_size = struct.unpack(">III", header[:12])
    if magic not in WAL_MAGICS or version != WAL_VERSION:
        return "its log file is not an SQLite log"
    if log_page_size != page_size:
        return "its log file belongs to another database"
    order = ">" if magic & 1 else "<"
    words = struct.unpack(f"{order}6I", header[:24])
    first = second = 0
    for index in range(0, 6, 2):
        first = (first + words[index] + second) & 0xFFFFFFFF
        second = (second + words[index + 1] + first) & 0xFFFFFFFF
    if (first, second) != struct.unpack(">II", header[24:32]):
        return "its log file is damaged"
    return None


@functools.cache
def expected_schema() -> tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]:
    """The objects (type, name) and each table's columns the migrations build.

    Built once per process on an empty in-memory database, so the check can never disagree
    with the migrations (which therefore act on rows only: on no rows they touch nothing else).
    This is ~1.5 ms of the ~2 ms the checks add to opening a store, whatever its size.
    """
    from blogtui.core.store.migrations import MIGRATIONS

    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration in MIGRATIONS:
            migration(db)
        return _schema_of(db)
    finally:
        db.close()


def _schema_of(
    db: sqlite3.Connection,
) -> tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]:
    objects = frozenset(
        (str(kind), str(name))
        for kind, name in db.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    )
    columns: dict[str, set[str]] = {}
    for table, column in db.execute(
        "SELECT m.name, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c"
        " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
    ):
        columns.setdefault(str(table), set()).add(str(column))
    return objects, {table: frozenset(names) for table, names in columns.items()}


def schema_damage(db: sqlite3.Connection) -> str | None:
    """The first part of the schema missing from `db` (None: every table, column, index and
    trigger the migrations build is there; more is allowed)."""
    want_objects, want_columns = expected_schema()
    have_objects, have_columns = _schema_of(db)
    for kind, name in sorted(want_objects - have_objects, key=lambda o: (o[0] != "table", o)):
        return f"no {kind} {name}"
    for table, names in sorted(want_columns.items()):
        missing = sorted(names - have_columns.get(table, frozenset()))
        if missing:
            return f"no column {table}.{missing[0]}"
    return None


def error_damage(error: sqlite3.Error) -> str | None:
    """The damage SQLite's `error` reports, else None (locked, disk full, a bug...).

    "no such table/column" is returned too: the caller confirms it with `schema_damage`.
    """
    text = str(error)
    lowered = text.lower()
    if any(word in lowered for word in (*DAMAGE_WORDS, *SCHEMA_WORDS)):
        return text
    return None


def migration_damage(error: sqlite3.Error) -> str | None:
    """A migration that finds its work done already: the schema is not the one its version says."""
    text = str(error)
    if any(word in text.lower() for word in MIGRATION_WORDS):
        return f"schema does not match its version: {text}"
    return None


def damage_found(path: Path, error: sqlite3.Error) -> DamagedDatabase | None:
    """`error`, raised while `path` was in use, as damage (marked for the next open), or None
    when it is not damage. A missing table or column is confirmed on a connection of its own:
    when the schema is whole, the error is a bug, and a good file must not be moved aside."""
    reason = error_damage(error)
    if reason is not None and any(word in reason.lower() for word in SCHEMA_WORDS):
        reason = _confirmed_schema_damage(path)
    if reason is None:
        return None
    mark_damaged(path, reason)
    return DamagedDatabase(path, reason)


def _confirmed_schema_damage(path: Path) -> str | None:
    try:
        check = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return str(error)
    try:
        return schema_damage(check)
    except sqlite3.DatabaseError as error:
        return error_damage(error)
    finally:
        check.close()


def mark_damaged(path: Path, reason: str) -> None:
    """Leave the mark that makes the next open move `path` aside (best effort)."""
    try:
        side_file(path, MARK_SUFFIX).write_text(reason + "\n", encoding="utf-8")
    except OSError:
        pass


def move_aside(path: Path) -> Path:
    """Rename `path` (with its log files) to `<name>.corrupt-<timestamp>`; drop the mark."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = side_file(path, f".corrupt-{stamp}")
    counter = 1
    while any(side_file(target, s).exists() for s in ("", *SIDE_FILES)):
        counter += 1
        target = side_file(path, f".corrupt-{stamp}-{counter}")
    if path.exists() or path.is_symlink():
        os.rename(path, target)
    for suffix in SIDE_FILES:
        side = side_file(path, suffix)
        if side.exists():
            os.rename(side, side_file(target, suffix))
    side_file(path, MARK_SUFFIX).unlink(missing_ok=True)
    return target
