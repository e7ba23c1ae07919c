"""Feeds: subscriptions and their fetch state.

No `user:password@` is ever stored here: a login in a URL goes to the credential store
(core/feeds/logins.py) and the feed's `login` column only says that it has one.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from blogtui.core.feeds.logins import (
    FeedLogin,
    FeedLogins,
    origin,
    redact,
    secrets_dir_of,
    split_login,
    strip_userinfo,
)
from blogtui.core.feeds.outcome import is_due
from blogtui.core.models import Feed
from blogtui.core.store.base import StoreBase

FEED_COLUMNS = (
    "id, url, CASE WHEN user_title != '' THEN user_title ELSE title END, site_url, folder, etag,"
    " last_modified, last_status, last_error, last_checked, next_fetch, gone, unread, total,"
    " encoding"
)


def feed_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Feed:
    """Build a Feed from a row selected with FEED_COLUMNS."""
    return Feed(
        id=row[0],
        url=row[1],
        title=row[2],
        site_url=row[3],
        folder=row[4],
        etag=row[5],
        last_modified=row[6],
        last_status=row[7],
        last_error=row[8],
        last_checked=row[9],
        next_fetch=row[10],
        gone=bool(row[11]),
        unread=row[12],
        total=row[13],
        encoding=row[14],
    )


class FeedsMixin(StoreBase):
    """Subscriptions."""

    _feed_logins: FeedLogins | None = None

    @property
    def feed_logins(self) -> FeedLogins:
        """Where feed logins are kept: the credential store of this database's data directory."""
        if self._feed_logins is None:
            self._feed_logins = FeedLogins(secrets_dir_of(self.path))
        return self._feed_logins

    @feed_logins.setter
    def feed_logins(self, logins: FeedLogins) -> None:
        self._feed_logins = logins

    def add_feed(
        self,
        url: str,
        title: str = "",
        site_url: str = "",
        folder: str = "",
        *,
        login: FeedLogin | None = None,
    ) -> tuple[Feed, bool]:
        """Subscribe to `url`; returns the feed and whether it is new (adding twice is a no-op).

        A login (`login`, or `user:password@` in `url`) for the feed's origin is kept in the
        credential store, replacing the one kept before; the URL is stored without it.
        """
        url, embedded = split_login(url)
        login = login or embedded
        if login is not None and login.origin != origin(url):
            login = None  # a login is never sent to another origin, so it is not kept for one
        if login is not None:
            self.feed_logins.save(login)  # first: a feed marked as having a login has one
        with self.write() as db:
            cursor = db.execute(
                "INSERT INTO feeds (url, title, site_url, folder, added) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (url) DO NOTHING",
                (url, title, strip_userinfo(site_url), folder, time.time()),
            )
            created = cursor.rowcount == 1
            if login is not None:
                db.execute("UPDATE feeds SET login = 1 WHERE url = ?", (url,))
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed, created

    def login_feed_ids(self) -> set[int]:
        """The feeds that have a login in the credential store."""
        return {row[0] for row in self.db.execute("SELECT id FROM feeds WHERE login = 1")}

    def feed_login(self, feed: Feed) -> FeedLogin | None:
        """The login kept for `feed` (None when it has none, or its origin has none)."""
        return self.feed_logins.get(feed.url) if feed.id in self.login_feed_ids() else None

    def get_feed(self, feed_id: int) -> Feed | None:
        """The feed with `feed_id`, if any."""
        row = self.db.execute(f"SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
        found = row.fetchone()
        return feed_from_row(found) if found else None

    def feed_by_url(self, url: str) -> Feed | None:
        """The feed subscribed at `url` (a `user:password@` in it aside), if any."""
        row = self.db.execute(
            f"SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?", (strip_userinfo(url),)
        )
        found = row.fetchone()
        return feed_from_row(found) if found else None

    def list_feeds(self) -> list[Feed]:
        """Every feed, ordered by folder and title, with unread and total counts."""
        rows = self.db.execute(
            f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY folder COLLATE NOCASE,"
            " CASE WHEN user_title != '' THEN user_title WHEN title != '' THEN title ELSE url END"
            " COLLATE NOCASE"
        )
        return [feed_from_row(row) for row in rows]

    def remove_feed(self, feed_id: int) -> bool:
        """Unsubscribe; its articles and comments go with it, and its login when no other feed
        of its origin uses it."""
        feed = self.get_feed(feed_id)
        had_login = feed_id in self.login_feed_ids()
        with self.write() as db:
            removed = db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)).rowcount == 1
        if removed and had_login and feed is not None:
            others = self.db.execute("SELECT url FROM feeds WHERE login = 1").fetchall()
            if all(origin(row[0]) != origin(feed.url) for row in others):
                self.feed_logins.forget(feed.url)
        return removed

    def rename_feed(self, feed_id: int, title: str) -> None:
        """Give a feed the user's own title; an empty title restores the feed's."""
        with self.write() as db:
            db.execute("UPDATE feeds SET user_title = ? WHERE id = ?", (title, feed_id))

    def set_folder(self, feed_id: int, folder: str) -> None:
        """Put a feed in `folder` ("" for none; nested folders joined by "/")."""
        with self.write() as db:
            db.execute("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))

    def record_fetch(
        self,
        feed_id: int,
        *,
        status: int | None,
        error: str = "",
        etag: str | None = None,
        last_modified: str | None = None,
        next_fetch: float | None = None,
        gone: bool = False,
        title: str | None = None,
        site_url: str | None = None,
        new_url: str | None = None,
        api_root: str | None = None,
        encoding: str | None = None,
    ) -> None:
        """Record how a fetch went. None leaves a value unchanged; error "" clears the error."""
        updates: dict[str, Any] = {
            "last_status": status,
            "last_error": redact(error),
            "last_checked": time.time(),
            "next_fetch": next_fetch,
            "gone": int(gone),
        }
        optional = {
            "etag": etag,
            "last_modified": last_modified,
            "title": title,
            "site_url": None if site_url is None else strip_userinfo(site_url),
            "api_root": api_root,
            "encoding": encoding,
        }
        updates.update({k: v for k, v in optional.items() if v is not None})
        new_url = strip_userinfo(new_url) if new_url else None
        with self.write() as db:
            if error:
                db.execute("UPDATE feeds SET failures = failures + 1 WHERE id = ?", (feed_id,))
            else:
                db.execute("UPDATE feeds SET failures = 0 WHERE id = ?", (feed_id,))
            assignments = ", ".join(f"{column} = ?" for column in updates)
            db.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", (*updates.values(), feed_id))
            if new_url and new_url != self._url_of(db, feed_id):
                taken = db.execute("SELECT 1 FROM feeds WHERE url = ?", (new_url,)).fetchone()
                if not taken:
                    db.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))

    @staticmethod
    def _url_of(db: sqlite3.Connection, feed_id: int) -> str:
        row = db.execute("SELECT url FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return row[0] if row else ""

    def failures(self, feed_id: int) -> int:
        """How many fetches in a row have failed."""
        row = self.db.execute("SELECT failures FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return int(row[0]) if row else 0

    def api_root(self, feed_id: int) -> str:
        """The WordPress REST root the feed announced, if any."""
        row = self.db.execute("SELECT api_root FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return str(row[0]) if row else ""

    def feeds_due(self, now: float | None = None) -> list[Feed]:
        """Feeds whose next allowed fetch time has come, skipping gone ones (`is_due`)."""
        moment = time.time() if now is None else now
        return [feed for feed in self.list_feeds() if is_due(feed, moment)]
