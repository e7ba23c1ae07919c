"""Remote articles in the store: saving a server's articles and reconciling its id sets.

A remote article maps to a local one by its remote id, then (in the same local feed) by guid
or link, so a feed subscribed both directly and through a server never holds an article twice.
Reconciling works in SQL over a temporary table of the server's ids: memory stays bounded by
that set, and each step is one transaction.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from blogtui.core.store.sync import SyncMixin
from blogtui.core.sync.base import Field, RemoteArticle
from blogtui.core.text.sanitize import clean
from blogtui.core.text.storable import storable

CONTENT_LIMIT = 2 * 2**20
"""Longest article body kept from a server."""

_MAPPED = (
    "FROM articles a JOIN sync_articles m ON m.article_id = a.id WHERE m.account = :account"
    " AND NOT EXISTS (SELECT 1 FROM sync_queue q WHERE q.article_id = a.id AND q.field = :field)"
)
"""The account's mapped articles without a pending change of the field (the local one wins)."""


@dataclass(frozen=True, slots=True)
class Flips:
    """What reconciling one field would change: articles to set and to clear, and how many
    are clear now (all inside the window, without pending changes)."""

    to_set: int
    to_clear: int
    clear_now: int


class SyncArticlesMixin(SyncMixin):
    """Articles as a sync server gives them."""

    def save_remote_articles(
        self,
        name: str,
        articles: Iterable[RemoteArticle],
        feeds: Mapping[str, int],
        cursor: str | None = None,
    ) -> int:
        """Store articles of the mapped `feeds` (others are skipped) with their read and starred
        state, unless a local change of it waits for the server; remember `cursor` in the same
        transaction. Returns how many articles are new here."""
        chosen: dict[str, tuple[int, RemoteArticle]] = {}
        for article in articles:  # a server naming one article twice: its last word counts
            feed_id = feeds.get(article.feed_id)
            if feed_id is not None:
                chosen[article.id] = (feed_id, article)
        with self.applying() as db:
            new = _save_page(db, name, list(chosen.values()), time.time())
            if cursor is not None:
                db.execute("UPDATE sync_accounts SET cursor = ? WHERE name = ?", (cursor, name))
        return new

    def start_remote_ids(self) -> None:
        """Begin holding a server's id set (unread or starred) for `flips`/`apply_flips`."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS sync_ids (remote_id TEXT PRIMARY KEY)")
        with self.write() as tx:
            tx.execute("DELETE FROM temp.sync_ids")

    def add_remote_ids(self, ids: Iterable[str]) -> None:
        """Add a page of the id set begun by `start_remote_ids`."""
        with self.write() as tx:
            tx.executemany("INSERT OR IGNORE INTO temp.sync_ids VALUES (?)", ((i,) for i in ids))

    def load_remote_ids(self, ids: Iterable[str]) -> None:
        """Hold a whole id set at once (`start_remote_ids`, then `add_remote_ids`)."""
        self.start_remote_ids()
        self.add_remote_ids(ids)

    def flips(
        self, name: str, field: Field, since: float, scope: Sequence[int] | None = None
    ) -> Flips:
        """What `apply_flips` would change (see there), counted first for the sanity checks."""
        params = {"account": name, "field": field, "since": since}
        to_set, to_clear, clear_now = self.db.execute(
            f"SELECT coalesce(sum({_state(field)} = 0 AND {_listed(field)}), 0),"
            f" coalesce(sum({_state(field)} = 1 AND NOT {_listed(field)}), 0),"
            f" coalesce(sum({_state(field)} = 0), 0) {_MAPPED} AND {_window(field)}"
            f"{_scope(scope)}",
            params,
        ).fetchone()
        return Flips(int(to_set), int(to_clear), int(clear_now))

    def apply_flips(
        self, name: str, field: Field, since: float, scope: Sequence[int] | None = None
    ) -> None:
        """Make the field follow the loaded id set on the account's articles: "read" is set on
        those not listed as unread (only for articles from `since` on: older ones the server
        may have dropped), "starred" on those listed. Pending local changes are left alone;
        with a `scope`, only articles of those local feeds are looked at."""
        params = {"account": name, "field": field, "since": since}
        column = "read" if field == "read" else "starred"
        with self.applying() as db:
            db.execute(
                f"UPDATE articles SET {column} = 1 - {column} WHERE id IN (SELECT a.id {_MAPPED}"
                f" AND {_window(field)} AND {_state(field)} != ({_listed(field)}){_scope(scope)})",
                params,
            )

    def unknown_remote_ids(self, name: str, after: str = "", limit: int = 200) -> list[str]:
        """Up to `limit` ids of the held set, in order after `after`, that no local article
        maps to (bodies to fetch, a batch at a time)."""
        rows = self.db.execute(
            "SELECT remote_id FROM temp.sync_ids WHERE remote_id > ? AND remote_id NOT IN"
            " (SELECT remote_id FROM sync_articles WHERE account = ?) ORDER BY remote_id LIMIT ?",
            (after, name, limit),
        )
        return [row[0] for row in rows]

    def local_unread_counts(self, name: str) -> dict[str, int]:
        """Unread articles per remote feed id, as this store has them (mapped ones only)."""
        rows = self.db.execute(
            "SELECT f.remote_id, count(a.id) FROM sync_feeds f"
            " JOIN articles a ON a.feed_id = f.feed_id AND a.read = 0"
            " JOIN sync_articles m ON m.article_id = a.id AND m.account = f.account"
            " WHERE f.account = ? GROUP BY f.remote_id",
            (name,),
        )
        return {row[0]: int(row[1]) for row in rows}

    def remote_ids_of(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The remote id of each of these articles that has one."""
        found: dict[int, str] = {}
        ids = list(article_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.db.execute(
                "SELECT article_id, remote_id FROM sync_articles"
                f" WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update(rows.fetchall())
        return found


def _scope(feed_ids: Sequence[int] | None) -> str:
    """SQL limiting `a` to these local feeds (ids are integers: safe to write inline)."""
    if feed_ids is None:
        return ""
    return f" AND a.feed_id IN ({','.join(str(int(i)) for i in feed_ids) or 'NULL'})"


def _state(field: Field) -> str:
    """The local column in SQL: 1 when set (read: read; starred: starred)."""
    return "a.read" if field == "read" else "a.starred"


def _listed(field: Field) -> str:
    """1 when the server's loaded set says the field is set (the unread set lists unread)."""
    inside = "m.remote_id IN (SELECT remote_id FROM temp.sync_ids)"
    return f"(NOT {inside})" if field == "read" else f"({inside})"


def _window(field: Field) -> str:
    """Read state follows the server only inside its retention window; starred articles are
    kept by servers for good."""
    if field == "starred":
        return "1"
    return "coalesce(a.published, a.fetched) >= :since"


CHUNK = 500
"""Ids bound in one SQL statement at most (SQLite's limit is far above)."""


def _save_page(
    db: sqlite3.Connection, name: str, items: Sequence[tuple[int, RemoteArticle]], now: float
) -> int:
    """Store a page of remote articles (each with its local feed); how many are new here.

    Articles already mapped follow the server's state. In a feed holding unmapped local
    articles (subscribed directly before), each new article first takes its local twin by guid
    or link (`_take_twin`) and follows the server's state too; the rest are inserted in bulk."""
    known = _mapped(db, name, [article.id for _, article in items])
    fresh = [(feed_id, article) for feed_id, article in items if article.id not in known]
    loose = {f for f in {feed_id for feed_id, _ in fresh} if _has_unmapped(db, f)}
    for feed_id, article in fresh:
        if feed_id in loose and (twin := _take_twin(db, name, feed_id, article)) is not None:
            known[article.id] = twin
    new = _insert_new(
        db, name, [(f, article) for f, article in fresh if article.id not in known], now
    )
    _follow_many(db, [(known[article.id], article) for _, article in items if article.id in known])
    return new


def _mapped(db: sqlite3.Connection, name: str, remote_ids: Sequence[str]) -> dict[str, int]:
    """The local article of each of these remote ids that has one."""
    found: dict[str, int] = {}
    for start in range(0, len(remote_ids), CHUNK):
        chunk = remote_ids[start : start + CHUNK]
        rows = db.execute(
            "SELECT remote_id, article_id FROM sync_articles WHERE account = ?"
            f" AND remote_id IN ({','.join('?' * len(chunk))})",
            (name, *chunk),
        )
        found.update(rows.fetchall())
    return found


def _has_unmapped(db: sqlite3.Connection, feed_id: int) -> bool:
    """Whether the local feed holds an article no server maps to (fetched directly)."""
    return (
        db.execute(
            "SELECT 1 FROM articles WHERE feed_id = ?"
            " AND id NOT IN (SELECT article_id FROM sync_articles) LIMIT 1",
            (feed_id,),
        ).fetchone()
        is not None
    )


def _insert_new(
    db: sqlite3.Connection, name: str, items: Sequence[tuple[int, RemoteArticle]], now: float
) -> int:
    """Insert articles no local one can be a twin of, with their state, in two statements."""
    if not items:
        return 0
    keys = [(feed_id, storable(article.guid or _web(article.link))) for feed_id, article in items]
    taken = _taken_keys(db, keys)
    (next_id,) = db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()
    rows: list[tuple[object, ...]] = []
    for (feed_id, key), (_, article) in zip(keys, items, strict=True):
        if not key or (feed_id, key) in taken:  # one link twice in a feed
            key = f"sync:{name}:{article.id}"
        taken.add((feed_id, key))
        rows.append(
            (next_id + len(rows), feed_id, key, article.guid, clean(article.title, limit=1000),
             clean(article.author, limit=300), _web(article.link), article.published or None,
             article.html[:CONTENT_LIMIT], now, _web(article.comments_url),
             int(not article.unread), int(article.starred))
        )  # fmt: skip
    db.executemany(
        "INSERT INTO articles (id, feed_id, key, guid, title, author, link, published, content,"
        " fetched, comments_url, read, starred, indexed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
        rows,
    )
    db.executemany(
        "INSERT INTO sync_articles (account, remote_id, article_id) VALUES (?, ?, ?)",
        [(name, article.id, row[0]) for (_, article), row in zip(items, rows, strict=True)],
    )
    return len(rows)


def _taken_keys(db: sqlite3.Connection, keys: Sequence[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which of these (feed, key) pairs an article holds already."""
    by_feed: dict[int, list[str]] = {}
    for feed_id, key in keys:
        if key:
            by_feed.setdefault(feed_id, []).append(key)
    taken: set[tuple[int, str]] = set()
    for feed_id, wanted in by_feed.items():
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT key FROM articles WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            )
            taken.update((feed_id, row[0]) for row in rows)
    return taken


def _follow_many(db: sqlite3.Connection, items: Sequence[tuple[int, RemoteArticle]]) -> None:
    """Take the server's read and starred state on these local articles, except where a local
    change waits (`_follow` for many)."""
    pending: set[tuple[int, str]] = set()
    ids = [article_id for article_id, _ in items]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = db.execute(
            "SELECT article_id, field FROM sync_queue"
            f" WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        pending.update(rows.fetchall())
    for field in ("read", "starred"):
        column = _state(field).removeprefix("a.")
        values = [
            (value, article_id, value)
            for article_id, article in items
            if (article_id, field) not in pending
            for value in (int(not article.unread if field == "read" else article.starred),)
        ]
        db.executemany(f"UPDATE articles SET {column} = ? WHERE id = ? AND {column} != ?", values)


def _take_twin(
    db: sqlite3.Connection, name: str, feed_id: int, article: RemoteArticle
) -> int | None:
    """Map `article` to the feed's unmapped local article with its guid or link, if any."""
    row = db.execute(
        "SELECT id FROM articles WHERE feed_id = ? AND ((? != '' AND (key = ? OR guid = ?))"
        " OR (? != '' AND link = ?)) AND id NOT IN (SELECT article_id FROM sync_articles)"
        " ORDER BY id LIMIT 1",
        (feed_id, article.guid, article.guid, article.guid, article.link, article.link),
    ).fetchone()
    if row is None:
        return None
    db.execute(
        "INSERT INTO sync_articles (account, remote_id, article_id) VALUES (?, ?, ?)",
        (name, article.id, row[0]),
    )
    return int(row[0])


def _web(url: str) -> str:
    """`url` when it is an http(s) address a server may name, else "" (never javascript:...)."""
    return url[:4000] if url.lower().startswith(("http://", "https://")) else ""
