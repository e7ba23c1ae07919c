"""A migration step: logins leave the feed URLs older versions stored (core/feeds/logins.py).

Each `user:password@` in `feeds.url` moves to the credential store (the keyring, else the
private file beside the database) and is scrubbed from every text the database holds (article
links resolved against such a URL, error messages, the search index). A login that cannot be
kept (an unusable credential store) is still removed from the database: the feed's error then
says to add it again with its login. The database never keeps a secret in clear text.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from blogtui.core.feeds.logins import FeedLogin, FeedLogins, secrets_dir_of, split_login


def move_logins_out_of_urls(db: sqlite3.Connection) -> None:
    """Add `feeds.login` (1: a login is kept for the feed) and move URL logins out."""
    db.execute("ALTER TABLE feeds ADD COLUMN login INTEGER NOT NULL DEFAULT 0")
    rows = db.execute("SELECT id, url FROM feeds WHERE instr(url, '@') > 0").fetchall()
    userinfos: set[str] = set()
    logins: FeedLogins | None = None
    for feed_id, raw in rows:
        clean, login = split_login(raw)
        if clean == raw:
            continue
        userinfos.add(urlsplit(raw).netloc.rpartition("@")[0])
        logins = logins or FeedLogins(secrets_dir_of(_database_path(db)))
        note = _keep(logins, login) if login is not None else ""
        db.execute(
            "UPDATE feeds SET url = ?, login = ?, last_error = CASE WHEN ? = '' THEN last_error"
            " ELSE ? END WHERE id = ?",
            (_free_url(db, clean, feed_id), int(login is not None and not note), note, note,
             feed_id),
        )  # fmt: skip
    if userinfos:
        before = db.execute("PRAGMA secure_delete").fetchone()[0]
        db.execute("PRAGMA secure_delete = ON")  # the rows rewritten leave no copy in free space
        for userinfo in userinfos:
            scrub(db, userinfo + "@")
        db.execute(f"PRAGMA secure_delete = {int(before)}")


def _keep(logins: FeedLogins, login: FeedLogin) -> str:
    """Save `login`; "" when kept, else what the user must do."""
    try:
        logins.save(login)
    except Exception as error:  # noqa: BLE001 - no store failure may stop the database opening
        reason = getattr(error, "message", "") or type(error).__name__
        return (
            f"the login in this feed's address could not be kept ({reason});"
            " add the feed again with its login"
        )
    return ""


def _database_path(db: sqlite3.Connection) -> Path:
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else Path(":memory:")
    return Path(":memory:")


def _free_url(db: sqlite3.Connection, url: str, feed_id: int) -> str:
    """`url`, or `url#login-N` when another feed has it already (the fragment is never sent)."""
    candidate, number = url, 1
    while db.execute(
        "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (candidate, feed_id)
    ).fetchone():
        number += 1
        candidate = f"{url.partition('#')[0]}#login-{number}"
    return candidate


def scrub(db: sqlite3.Connection, secret: str) -> None:
    """Remove `secret` from every text column of every table (virtual tables' shadows aside)."""
    tables = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = [name for name, sql in tables if (sql or "").upper().startswith("CREATE VIRTUAL")]
    for table, _ in tables:
        if any(table.startswith(f"{name}_") for name in virtual):
            continue  # an FTS shadow table: written through its virtual table only
        for column in db.execute(f'PRAGMA table_info("{table}")').fetchall():
            if column[2].upper() not in ("TEXT", ""):
                continue
            name = column[1]
            db.execute(
                f'UPDATE "{table}" SET "{name}" = replace("{name}", ?, \'\')'
                f' WHERE instr("{name}", ?) > 0',
                (secret, secret),
            )
    for table, sql in tables:
        if "FTS5" in (sql or "").upper():  # merge the index: replaced words leave its segments
            db.execute(f'INSERT INTO "{table}" ("{table}") VALUES (\'optimize\')')
