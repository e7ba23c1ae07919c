"""Sync state in the store: accounts, remote id maps, the change queue, remote articles.

Tables and triggers: core/store/sync_schema.py. Every write the sync engine makes goes
through `applying()`, so it is not queued back to the server; each is one transaction, so a
sync killed at any moment leaves the queue and the maps as they were before that step.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from blogtui.core.store.base import StoreBase
from blogtui.core.sync.base import Account, Field, Kind, RemoteFeed
from blogtui.core.text.sanitize import clean

ADOPT = "adopt:"
"""Key prefix of articles a removed account left in a kept feed without the feed's own key
(servers hide guids): the feed's next refresh gives such an article, found by its link, the
key the feed gives it, instead of storing it a second time (ArticlesMixin.upsert_articles)."""

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class QueuedMark:
    """A local change waiting for the server: `changed` tells it apart from a later one."""

    article_id: int
    remote_id: str
    field: Field
    value: bool
    changed: float


@dataclass(frozen=True, slots=True)
class QueuedCatchUp:
    """A feed marked read locally: the server marks it read up to `before` too."""

    feed_id: int
    remote_feed_id: str
    before: float


@dataclass(frozen=True, slots=True)
class AccountState:
    """What the store remembers of an account's syncs."""

    account: Account
    cursor: str
    last_sync: float | None
    last_error: str


@dataclass(frozen=True, slots=True)
class MappedArticle:
    """A local article known to the server, with its local state."""

    article_id: int
    remote_id: str
    read: bool
    starred: bool
    moment: float


class SyncMixin(StoreBase):
    """Accounts, maps and the queue the sync engine (core/sync/engine.py) works on."""

    @contextmanager
    def applying(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose read/star changes are not queued (the server's own)."""
        with self.write() as db:
            db.execute("INSERT OR IGNORE INTO sync_applying VALUES (1)")
            yield db
            db.execute("DELETE FROM sync_applying")

    # -- accounts ----------------------------------------------------------------------

    def add_account(self, account: Account) -> bool:
        """Remember `account`; False when an account of that name exists already."""
        with self.write() as db:
            cursor = db.execute(
                "INSERT INTO sync_accounts (name, kind, url, user, added) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                (account.name, account.kind, account.url, account.user, time.time()),
            )
        return cursor.rowcount == 1

    def account_states(self) -> list[AccountState]:
        """Every account, by name, with its sync state."""
        rows = self.db.execute(
            "SELECT name, kind, url, user, cursor, last_sync, last_error FROM sync_accounts"
            " ORDER BY name"
        )
        return [
            AccountState(Account(r[0], cast(Kind, r[1]), r[2], r[3]), r[4], r[5], r[6])
            for r in rows
        ]

    def get_account(self, name: str) -> AccountState | None:
        """The account called `name`, if any."""
        return next((s for s in self.account_states() if s.account.name == name), None)

    def remove_account(self, name: str, *, drop_feeds: bool) -> int:
        """Forget an account and its maps and queue; its feeds are removed when `drop_feeds`,
        else they stay as ordinary feeds, their articles waiting for their feed's keys (ADOPT).
        Returns how many feeds it had."""
        with self.applying() as db:
            feed_ids = [
                row[0]
                for row in db.execute("SELECT feed_id FROM sync_feeds WHERE account = ?", (name,))
            ]
            db.execute(
                "DELETE FROM sync_queue WHERE article_id IN"
                " (SELECT article_id FROM sync_articles WHERE account = ?)",
                (name,),
            )
            db.executemany("DELETE FROM sync_catchups WHERE feed_id = ?", [(i,) for i in feed_ids])
            if not drop_feeds:  # a direct refresh finds them by link (servers hide guids)
                db.execute(
                    f"UPDATE articles SET key = '{ADOPT}' || id WHERE key != guid AND id IN"
                    " (SELECT article_id FROM sync_articles WHERE account = ?)",
                    (name,),
                )
            db.execute("DELETE FROM sync_accounts WHERE name = ?", (name,))
            if drop_feeds:
                db.executemany("DELETE FROM feeds WHERE id = ?", [(i,) for i in feed_ids])
        return len(feed_ids)

    def record_sync(self, name: str, error: str = "") -> None:
        """Note a finished sync (`error` "" when it went well)."""
        with self.write() as db:
            db.execute(
                "UPDATE sync_accounts SET last_sync = CASE WHEN ? = '' THEN ? ELSE last_sync END,"
                " last_error = ? WHERE name = ?",
                (error, time.time(), error, name),
            )

    def last_full_pull(self, name: str) -> float | None:
        """When the account's whole unread id set was last pulled (None: never)."""
        row = self.db.execute("SELECT full_pull FROM sync_accounts WHERE name = ?", (name,))
        found = row.fetchone()
        return None if found is None or found[0] is None else float(found[0])

    def record_full_pull(self, name: str, when: float) -> None:
        """Note a pull of the whole unread id set."""
        with self.write() as db:
            db.execute("UPDATE sync_accounts SET full_pull = ? WHERE name = ?", (when, name))

    # -- feeds -------------------------------------------------------------------------

    def synced_feed_ids(self) -> set[int]:
        """Feeds whose articles come from a sync server (a refresh never fetches them)."""
        return {row[0] for row in self.db.execute("SELECT feed_id FROM sync_feeds")}

    def remote_feeds(self, name: str) -> dict[str, int]:
        """The account's remote feed ids and the local feed each maps to."""
        rows = self.db.execute(
            "SELECT remote_id, feed_id FROM sync_feeds WHERE account = ?", (name,)
        )
        return dict(rows.fetchall())

    def map_feed(self, name: str, feed: RemoteFeed) -> int | None:
        """The local feed for a remote one: mapped before, else subscribed at the same URL
        (never doubled), else new. Its folder follows the server's. None when that feed is
        synced through another account already (a feed follows one server)."""
        with self.applying() as db:
            return _map_feed(db, name, feed)

    def map_feeds(self, name: str, feeds: Iterable[RemoteFeed]) -> dict[str, int]:
        """`map_feed` for each of `feeds` in one transaction: remote id -> local feed id (feeds
        synced through another account are left out)."""
        mapped: dict[str, int] = {}
        with self.applying() as db:
            for feed in feeds:
                if (local := _map_feed(db, name, feed)) is not None:
                    mapped[feed.id] = local
        return mapped

    def drop_remote_feed(self, name: str, remote_id: str) -> None:
        """A feed the server no longer has: removed here too (as another device asked)."""
        with self.applying() as db:
            db.execute(
                "DELETE FROM feeds WHERE id IN (SELECT feed_id FROM sync_feeds"
                " WHERE account = ? AND remote_id = ?)",
                (name, remote_id),
            )

    def queued_unsubscribes(self, name: str) -> list[str]:
        """Remote feed ids removed locally, waiting for the server."""
        rows = self.db.execute("SELECT remote_id FROM sync_unsubscribes WHERE account = ?", (name,))
        return [row[0] for row in rows]

    def ack_unsubscribe(self, name: str, remote_id: str) -> None:
        """The server removed the subscription."""
        with self.write() as db:
            db.execute(
                "DELETE FROM sync_unsubscribes WHERE account = ? AND remote_id = ?",
                (name, remote_id),
            )

    # -- the queue ---------------------------------------------------------------------

    def queued_marks(self, name: str, limit: int = _CHUNK) -> list[QueuedMark]:
        """The oldest `limit` queued changes of the account's articles."""
        rows = self.db.execute(
            "SELECT q.article_id, m.remote_id, q.field, q.value, q.changed FROM sync_queue q"
            " JOIN sync_articles m ON m.article_id = q.article_id WHERE m.account = ?"
            " ORDER BY q.changed LIMIT ?",
            (name, limit),
        )
        return [QueuedMark(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def queued_count(self, name: str | None = None) -> int:
        """How many changes wait for the server (of one account, or of all)."""
        sql = "SELECT count(*) FROM sync_queue"
        if name is None:
            return int(self.db.execute(sql).fetchone()[0])
        sql += " q JOIN sync_articles m ON m.article_id = q.article_id WHERE m.account = ?"
        return int(self.db.execute(sql, (name,)).fetchone()[0])

    def ack_marks(self, marks: Iterable[QueuedMark]) -> None:
        """The server took these changes: drop them, unless changed again since."""
        with self.write() as db:
            db.executemany(
                "DELETE FROM sync_queue WHERE article_id = ? AND field = ? AND changed = ?",
                [(m.article_id, m.field, m.changed) for m in marks],
            )

    def queue_catch_up(self, feed_ids: Sequence[int], before: float) -> None:
        """Queue the server's mark-feed-read for the synced ones of `feed_ids`."""
        with self.write() as db:
            queue_catch_up(db, feed_ids, before)

    def queued_catch_ups(self, name: str) -> list[QueuedCatchUp]:
        """Feeds marked read locally, waiting for the server's catch-up."""
        rows = self.db.execute(
            "SELECT c.feed_id, m.remote_id, c.before FROM sync_catchups c"
            " JOIN sync_feeds m ON m.feed_id = c.feed_id WHERE m.account = ?",
            (name,),
        )
        return [QueuedCatchUp(*row) for row in rows]

    def ack_catch_up(self, catch_up: QueuedCatchUp) -> None:
        """The server caught the feed up: its queued read marks made before are done too."""
        with self.write() as db:
            db.execute(
                "DELETE FROM sync_catchups WHERE feed_id = ? AND before = ?",
                (catch_up.feed_id, catch_up.before),
            )
            db.execute(
                "DELETE FROM sync_queue WHERE field = 'read' AND value = 1 AND changed <= ? + 0.01"
                " AND article_id IN (SELECT id FROM articles WHERE feed_id = ?)",
                (catch_up.before, catch_up.feed_id),
            )

    def set_starred(self, article_ids: Iterable[int], starred: bool = True) -> None:
        """Star or unstar articles (queued for the server when their feed is synced)."""
        ids = list(article_ids)
        with self.write() as db:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                db.execute(
                    f"UPDATE articles SET starred = ? WHERE id IN ({','.join('?' * len(chunk))})",
                    (int(starred), *chunk),
                )


def queue_catch_up(db: sqlite3.Connection, feed_ids: Sequence[int] | None, before: float) -> None:
    """Inside the caller's transaction: queue a catch-up for each synced feed of `feed_ids`
    (None: every synced feed). A later catch-up replaces an earlier one."""
    where = "" if feed_ids is None else f" WHERE feed_id IN ({','.join('?' * len(feed_ids))})"
    db.execute(
        f"INSERT OR REPLACE INTO sync_catchups (feed_id, before) SELECT feed_id, ? FROM sync_feeds"
        f"{where}",
        (before, *(feed_ids or ())),
    )


def _map_feed(db: sqlite3.Connection, name: str, feed: RemoteFeed) -> int | None:
    """`SyncMixin.map_feed` inside a transaction."""
    row = db.execute(
        "SELECT feed_id FROM sync_feeds WHERE account = ? AND remote_id = ?", (name, feed.id)
    ).fetchone()
    if row is None:
        db.execute(
            "INSERT INTO feeds (url, title, site_url, folder, added) VALUES (?,?,?,?,?)"
            " ON CONFLICT (url) DO NOTHING",
            (feed.url, clean(feed.title, limit=300), feed.site_url, "", time.time()),
        )
        row = db.execute("SELECT id FROM feeds WHERE url = ?", (feed.url,)).fetchone()
        other = db.execute(
            "SELECT 1 FROM sync_feeds WHERE feed_id = ? AND account != ?", (row[0], name)
        ).fetchone()
        if other is not None:
            return None
        db.execute(
            "INSERT OR REPLACE INTO sync_feeds (account, remote_id, feed_id) VALUES (?, ?, ?)",
            (name, feed.id, row[0]),
        )
    db.execute(
        "UPDATE feeds SET folder = ?, title = CASE WHEN ? != '' THEN ? ELSE title END WHERE id = ?",
        (clean(feed.folder, limit=200), *[clean(feed.title, limit=300)] * 2, row[0]),
    )
    return int(row[0])
