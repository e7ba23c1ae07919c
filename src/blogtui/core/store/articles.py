"""Articles: upserted by stable identity, never deleted by a refresh; read state; search."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace

from blogtui.core.models import Article, ArticleSummary, EntryData
from blogtui.core.store.base import StoreBase
from blogtui.core.store.sync import ADOPT, queue_catch_up
from blogtui.core.text.markup import strip_tags
from blogtui.core.text.storable import storable

_SEARCH_BODY_LIMIT = 200_000
_CHUNK = 500
SORT_ORDERS = {
    "date": "a.published DESC, a.id DESC",
    "title": "a.title COLLATE NOCASE, a.published DESC, a.id DESC",
    "feed": "(SELECT CASE WHEN f.user_title != '' THEN f.user_title WHEN f.title != ''"
    " THEN f.title ELSE f.url END FROM feeds f WHERE f.id = a.feed_id) COLLATE NOCASE,"
    " a.published DESC, a.id DESC",
    "unread": "a.read, a.published DESC, a.id DESC",
}
"""How `article_ids` can order articles (SQL ORDER BY over `articles a`): newest first, by
title, by feed title, unread first (each then newest first)."""
INDEX_CHUNK = 250
"""How many articles one search-indexing transaction takes (a few tens of milliseconds)."""

SUMMARY_COLUMNS = (
    "a.id, a.feed_id, a.title, a.author, a.link, a.published, a.read, a.comment_count,"
    " (SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.source = '' AND c.seen = 0"
    "  AND c.deleted = 0 AND t.last_visit IS NOT NULL AND c.first_seen > t.last_visit),"
    " a.starred"
)


def entry_digest(entry: EntryData) -> str:
    """A fingerprint of what a feed says about an article, to skip unchanged rewrites."""
    parts = (
        entry.title,
        entry.author,
        entry.link,
        repr(entry.published),
        repr(entry.updated),
        entry.content,
        entry.guid,
        repr(entry.comment_count),
        entry.comments_url,
        entry.comment_feed,
        entry.replies_feed,
        entry.author_email,
    )
    return hashlib.blake2b(
        "\x1f".join(parts).encode("utf-8", "replace"), digest_size=16
    ).hexdigest()


def storable_key(entry: EntryData) -> EntryData:
    """`entry` with the key the store keeps (see `core.text.storable`), to match stored keys."""
    key = storable(entry.key)
    return entry if key == entry.key else replace(entry, key=key)


def search_text(content: str) -> str:
    """Article HTML reduced to words for the search index."""
    return strip_tags(content, _SEARCH_BODY_LIMIT * 2)[:_SEARCH_BODY_LIMIT]


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word quoted, all required."""
    words = [word.replace('"', '""') for word in text.split() if word.strip('"')]
    return " ".join(
        f'"{word}"' + ("*" if i == len(words) - 1 else "") for i, word in enumerate(words)
    )


class ArticlesMixin(StoreBase):
    """Articles and their read state."""

    last_marked_read: tuple[int, ...] = ()
    """The articles the last `mark_all_read` marked read (what `undo_mark_all_read` undoes)."""

    def upsert_articles(self, feed_id: int, entries: Iterable[EntryData]) -> int:
        """Insert new articles and update changed ones; returns how many are new.

        New ones are inserted last entry first: a feed lists its newest first, and articles
        of the same date (or none, as undated feeds have) are shown newest id first, so they
        keep the feed's order."""
        batch = list({entry.key: entry for entry in map(storable_key, entries)}.values())
        batch.reverse()
        if not batch:
            return 0
        now = time.time()
        new = 0
        with self.write() as db:
            known = dict(
                db.execute("SELECT key, digest FROM articles WHERE feed_id = ?", (feed_id,))
            )
            adoptable = _adoptable(db, feed_id) if any(k.startswith(ADOPT) for k in known) else {}
            for entry in batch:
                if entry.key not in known and entry.link and entry.link in adoptable:
                    db.execute(
                        "UPDATE articles SET key = ? WHERE feed_id = ? AND key = ?",
                        (entry.key, feed_id, adoptable.pop(entry.link)),
                    )
                    known[entry.key] = ""  # now updated from the feed
                digest = entry_digest(entry)
                if known.get(entry.key) == digest:
                    continue
                values = (
                    entry.guid, entry.title, entry.author, entry.link, entry.published,
                    entry.updated, entry.content, entry.comments_url, entry.comment_feed,
                    entry.replies_feed, entry.comment_count, digest, entry.author_email,
                )  # fmt: skip
                if entry.key in known:
                    row = db.execute(
                        "UPDATE articles SET guid=?, title=?, author=?, link=?, published=?,"
                        " updated=?, content=?, comments_url=?, comment_feed=?, replies_feed=?,"
                        " comment_count=coalesce(?, comment_count),"
                        " digest=?, author_email=?, indexed=0 WHERE feed_id = ? AND key = ?"
                        " RETURNING id",
                        (*values, feed_id, entry.key),
                    ).fetchone()
                    db.execute("DELETE FROM articles_fts WHERE rowid = ?", (row[0],))
                else:
                    db.execute(
                        "INSERT INTO articles (guid, title, author, link, published, updated,"
                        " content, comments_url, comment_feed, replies_feed, comment_count, digest,"
                        " author_email, feed_id, key, fetched, indexed)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
                        (*values, feed_id, entry.key, now),
                    )
                    new += 1
        return new

    def index_pending(self, limit: int | None = None) -> int:
        """Add up to `limit` articles that a refresh stored to the search index (a refresh
        leaves that for later: it halves the store's work). Returns how many were added."""
        with self.write() as db:
            rows = db.execute(
                "SELECT id, title, author, content FROM articles WHERE indexed = 0 LIMIT ?",
                (INDEX_CHUNK if limit is None else limit,),
            ).fetchall()
            for article_id, title, author, content in rows:
                db.execute(
                    "INSERT INTO articles_fts (rowid, title, author, body) VALUES (?, ?, ?, ?)",
                    (article_id, title, author, search_text(content)),
                )
            db.executemany(
                "UPDATE articles SET indexed = 1 WHERE id = ?", [(row[0],) for row in rows]
            )
        return len(rows)

    def unindexed_count(self) -> int:
        """How many articles wait to be added to the search index."""
        return int(self.db.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0])

    def index_all(self) -> int:
        """Bring the search index up to date; returns how many articles were added."""
        total = 0
        while added := self.index_pending():
            total += added
        return total

    def get_article(self, article_id: int) -> Article | None:
        """One article with its content."""
        row = self.db.execute(
            "SELECT a.id, a.feed_id, a.key, a.title, a.author, a.link, a.published, a.updated,"
            " a.content, a.read, a.comment_count, a.comments_url, a.comment_feed, a.replies_feed,"
            " a.guid, CASE WHEN f.user_title != '' THEN f.user_title ELSE f.title END,"
            " a.author_email FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], bool(row[9]),
            row[10], row[11], row[12], row[13], row[14], row[15], row[16],
        )  # fmt: skip

    def article_ids(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        unread_only: bool = False,
        limit: int | None = None,
        order: str = "date",
        starred_only: bool = False,
    ) -> list[int]:
        """Article ids of some feeds (None: all) in `order` (one of SORT_ORDERS; "date" is
        newest first), starred ones only when asked; the first `limit` only when given (cheap on
        big feeds by date: the date indexes give them without sorting everything, and the
        starred index gives the starred ones without reading the others)."""
        where, params = _article_filter(feed_ids, unread_only, starred_only)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        clause += f" ORDER BY {SORT_ORDERS.get(order, SORT_ORDERS['date'])}"
        if limit is not None:
            clause += " LIMIT ?"
            params.append(max(0, limit))
        rows = self.db.execute(f"SELECT a.id FROM articles a {clause}", params)
        return [row[0] for row in rows]

    def article_count(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
    ) -> int:
        """How many articles (unread ones only, when asked) some feeds (None: all) have: from
        the per-feed counts the store keeps, so it costs the same at any size. Starred ones
        only, when asked: counted through the starred index (as many steps as starred rows)."""
        if starred_only:
            where, params = _article_filter(feed_ids, unread_only, starred_only)
            sql = f"SELECT count(*) FROM articles a WHERE {' AND '.join(where)}"
            return int(self.db.execute(sql, params).fetchone()[0])
        column = "unread" if unread_only else "total"
        if feed_ids is None:
            row = self.db.execute(f"SELECT coalesce(sum({column}), 0) FROM feeds").fetchone()
            return int(row[0])
        total = 0
        for start in range(0, len(feed_ids), _CHUNK):
            chunk = list(feed_ids[start : start + _CHUNK])
            row = self.db.execute(
                f"SELECT coalesce(sum({column}), 0) FROM feeds"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchone()
            total += int(row[0])
        return total

    def article_ids_by_link(self, urls: Iterable[str]) -> dict[str, int]:
        """The newest article id for each of `urls`, matched by link or, failing that, by key."""
        wanted = sorted(set(urls))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT id, link, key FROM articles WHERE link IN ({marks}) OR key IN ({marks})"
                " ORDER BY id DESC",
                [*chunk, *chunk],
            )
            for article_id, link, key in rows:
                found.setdefault(link if link in chunk else key, article_id)
        return found

    def article_summaries(self, ids: Sequence[int]) -> list[ArticleSummary]:
        """List rows for `ids`, in that order (missing ids are left out)."""
        found: dict[int, ArticleSummary] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self.db.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM articles a"
                " LEFT JOIN threads t ON t.article_id = a.id"
                f" WHERE a.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                article_id, feed_id, title, author, link, published, read, count, new, star = row
                found[article_id] = ArticleSummary(
                    article_id, feed_id, title, author, link, published, bool(read), count, new,
                    bool(star),
                )  # fmt: skip
        return [found[i] for i in ids if i in found]

    def set_read(self, article_ids: Iterable[int], read: bool = True) -> None:
        """Mark articles read or unread."""
        ids = list(article_ids)
        with self.write() as db:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                db.execute(
                    f"UPDATE articles SET read = ? WHERE id IN ({','.join('?' * len(chunk))})",
                    (int(read), *chunk),
                )

    def mark_feed_read(self, feed_id: int) -> None:
        """Mark every article of a feed read."""
        with self.write() as db:
            db.execute("UPDATE articles SET read = 1 WHERE feed_id = ? AND read = 0", (feed_id,))
            queue_catch_up(db, [feed_id], time.time())  # a synced feed: the server's catch-up

    def mark_all_read(self, feed_ids: Sequence[int] | None = None) -> list[int]:
        """Mark every unread article of some feeds (None: all) read; returns their ids, which
        `undo_mark_all_read` marks unread again (the store keeps the last such batch)."""
        where = "" if feed_ids is None else f" AND feed_id IN ({','.join('?' * len(feed_ids))})"
        params = [] if feed_ids is None else list(feed_ids)
        with self.write() as db:
            unread = db.execute(f"SELECT id FROM articles WHERE read = 0{where}", params)
            ids = [row[0] for row in unread]
            db.execute(f"UPDATE articles SET read = 1 WHERE read = 0{where}", params)
            queue_catch_up(db, feed_ids, time.time())  # synced feeds: the server's catch-up
        self.last_marked_read = tuple(ids)
        return ids

    def undo_mark_all_read(self) -> list[int]:
        """Mark the articles the last `mark_all_read` marked read unread again (once); returns
        their ids ([] when there is nothing to undo)."""
        ids, self.last_marked_read = list(self.last_marked_read), ()
        if ids:
            self.set_read(ids, read=False)
        return ids

    def search(self, text: str, limit: int = 1000) -> list[int]:
        """Article ids matching `text` across all feeds, best first (indexing what a refresh
        left unindexed first)."""
        query = fts_query(text)
        if not query:
            return []
        self.index_all()
        rows = self.db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [row[0] for row in rows]

    def set_comment_count(self, article_id: int, count: int) -> None:
        """Record how many comments an article has, as last seen anywhere."""
        with self.write() as db:
            db.execute("UPDATE articles SET comment_count = ? WHERE id = ?", (count, article_id))


def _article_filter(
    feed_ids: Sequence[int] | None, unread_only: bool, starred_only: bool
) -> tuple[list[str], list[int]]:
    """The WHERE terms (joined by AND) and their parameters of a listing over `articles a`.

    `a.starred = 1` is written as the starred index's own condition, so SQLite can use it."""
    where: list[str] = []
    params: list[int] = []
    if feed_ids is not None:
        where.append(f"a.feed_id IN ({','.join('?' * len(feed_ids))})")
        params.extend(feed_ids)
    if unread_only:
        where.append("a.read = 0")
    if starred_only:
        where.append("a.starred = 1")
    return where, params


def _adoptable(db: sqlite3.Connection, feed_id: int) -> dict[str, str]:
    """link -> key of the feed's articles waiting for the feed's own key (store/sync.ADOPT)."""
    rows = db.execute(
        "SELECT link, key FROM articles WHERE feed_id = ? AND key >= ? AND key < ? AND link != ''",
        (feed_id, ADOPT, ADOPT[:-1] + chr(ord(ADOPT[-1]) + 1)),
    )
    return dict(rows.fetchall())
