"""Comments, thread state, and which comment provider worked for which blog.

Every method about one thread takes its `source`: "" (the default) is the blog's own thread,
whose state is in `threads`; another name is one of the article's further sources
(`core.store.sources`)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from blogtui.core.models import Comment, CommentData, ThreadState
from blogtui.core.store.sources import SourcesMixin

COMMENT_COLUMNS = (
    "id, article_id, key, parent_key, author, author_url, published, content, first_seen, seen,"
    " status, mine, link, author_key"
)
_JOINED_COLUMNS = ", ".join(f"c.{name.strip()}" for name in COMMENT_COLUMNS.split(","))
"""COMMENT_COLUMNS of the comment `c` in a self-join."""
_OLDEST_FIRST = "coalesce(published, first_seen), id"


_UPSERT_COMMENT = (
    "INSERT INTO comments (article_id, source, key, parent_key, author, author_url, published,"
    " content, link, status, first_seen, author_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (article_id, source, key) DO UPDATE SET parent_key = excluded.parent_key,"
    " author = excluded.author, author_url = excluded.author_url,"
    " published = excluded.published, content = excluded.content, link = excluded.link,"
    " status = excluded.status, author_key = coalesce(nullif(excluded.author_key, ''), author_key),"
    " deleted = 0"
)
"""Insert one comment, or update the stored one (it is not deleted any more)."""


def _comment_row(
    article_id: int, c: CommentData, now: float, source: str = ""
) -> tuple[object, ...]:
    """The parameters of `_UPSERT_COMMENT` for `c` (`now`: its first_seen when it is new)."""
    return (article_id, source, c.key, c.parent_key, c.author, c.author_url, c.published, c.content,
            c.link, c.status, now, c.author_key)  # fmt: skip


def comment_from_row(row: Sequence[Any]) -> Comment:
    """The Comment of a row selected with COMMENT_COLUMNS."""
    # Positional: the fastest way to build one (a long thread makes thousands).
    return Comment(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], bool(row[9]),
        row[10], bool(row[11]), row[12], row[13],
    )  # fmt: skip


class CommentsMixin(SourcesMixin):
    """Comment threads."""

    def comments_for(self, article_id: int, source: str = "") -> list[Comment]:
        """The stored thread of an article (deleted comments left out), oldest first."""
        rows = self.db.execute(
            f"SELECT {COMMENT_COLUMNS} FROM comments WHERE article_id = ? AND source = ?"
            f" AND deleted = 0 ORDER BY {_OLDEST_FIRST}",
            (article_id, source),
        )
        return [comment_from_row(row) for row in rows]

    def my_comments(self) -> list[Comment]:
        """Every comment the user posted, oldest first."""
        rows = self.db.execute(
            f"SELECT {COMMENT_COLUMNS} FROM comments WHERE mine = 1 AND deleted = 0"
            f" ORDER BY {_OLDEST_FIRST}"
        )
        return [comment_from_row(row) for row in rows]

    def replies_to_me(self, include_seen: bool = False) -> list[Comment]:
        """Unseen (or, with `include_seen`, all) replies to the user's comments, oldest first."""
        seen = "" if include_seen else " AND c.seen = 0"
        rows = self.db.execute(
            f"SELECT {_JOINED_COLUMNS} FROM comments c JOIN comments p"
            " ON p.article_id = c.article_id AND p.source = c.source AND p.key = c.parent_key"
            " AND p.mine = 1"
            f" WHERE c.mine = 0 AND c.deleted = 0 AND c.parent_key != ''{seen}"
            " ORDER BY coalesce(c.published, c.first_seen), c.id"
        )
        return [comment_from_row(row) for row in rows]

    def store_thread(
        self,
        article_id: int,
        comments: Sequence[CommentData],
        *,
        provider: str,
        partial: bool = False,
        error: str = "",
        post_author_key: str = "",
        source: str = "",
    ) -> int:
        """Upsert a fetched thread (of `source`); returns how many comments are new.

        A complete (not partial) thread also marks comments the server no longer has as deleted.
        `post_author_key` is who wrote the post as the provider says (kept with the thread).
        An identity once given stays when a later read gives none (the feed after the REST API).
        """
        now = time.time()
        unique = list({comment.key: comment for comment in comments}.values())
        with self.write() as db:
            known = {row[0] for row in db.execute(
                "SELECT key FROM comments WHERE article_id = ? AND source = ?", (article_id, source)
            )}  # fmt: skip
            for c in unique:
                db.execute(_UPSERT_COMMENT, _comment_row(article_id, c, now, source))
            if not partial and not error:
                keys = [c.key for c in unique]
                db.execute(
                    "UPDATE comments SET deleted = 1 WHERE article_id = ? AND source = ?"
                    f" AND mine = 0 AND key NOT IN ({','.join('?' * len(keys))})",
                    (article_id, source, *keys),
                )
            if source:
                self.set_source(article_id, source, db, fetched=now, partial=int(partial),
                                error=error, post_author_key=post_author_key)  # fmt: skip
                return len({c.key for c in unique} - known)
            db.execute(
                "INSERT INTO threads (article_id, provider, fetched, partial, error,"
                " post_author_key) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE"
                " SET provider = excluded.provider, fetched = excluded.fetched,"
                " partial = excluded.partial, error = excluded.error, post_author_key ="
                " coalesce(nullif(excluded.post_author_key, ''), post_author_key)",
                (article_id, provider, now, int(partial), error, post_author_key),
            )
            count = db.execute(
                "SELECT count(*) FROM comments WHERE article_id = ? AND source = ''"
                " AND deleted = 0",
                (article_id,),
            ).fetchone()[0]
            db.execute(
                "UPDATE articles SET comment_count = max(?, coalesce(comment_count, 0) * ?)"
                " WHERE id = ?",
                (count, int(partial), article_id),
            )
        return len({c.key for c in unique} - known)

    def add_comment(
        self, article_id: int, comment: CommentData, *, provider: str = "", source: str = ""
    ) -> None:
        """Add (or update) ONE comment of a stored thread, e.g. a reply just posted.

        Unlike `store_thread` it says nothing about the rest of the thread: its partial flag,
        fetch time and error stay as the last read left them, and no comment is marked
        deleted. A thread never stored gets a row naming `provider`.
        """
        with self.write() as db:
            db.execute(_UPSERT_COMMENT, _comment_row(article_id, comment, time.time(), source))
            if source:
                self.set_source(article_id, source, db)
                return
            db.execute(
                "INSERT INTO threads (article_id, provider) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO NOTHING",
                (article_id, provider),
            )
            db.execute(
                "UPDATE articles SET comment_count = max(coalesce(comment_count, 0), (SELECT"
                " count(*) FROM comments WHERE article_id = ? AND source = '' AND deleted = 0))"
                " WHERE id = ?",
                (article_id, article_id),
            )

    def record_thread_error(
        self, article_id: int, provider: str, error: str, source: str = ""
    ) -> None:
        """Keep the stored thread and note why it could not be refreshed."""
        if source:
            self.set_source(article_id, source, error=error)
            return
        with self.write() as db:
            db.execute(
                "INSERT INTO threads (article_id, provider, error) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET error = excluded.error,"
                " provider = CASE WHEN excluded.provider != '' THEN excluded.provider"
                " ELSE provider END",
                (article_id, provider, error),
            )

    def thread_state(self, article_id: int, source: str = "") -> ThreadState:
        """What is known about an article's thread (of `source`)."""
        if source:
            return self.source_state(article_id, source)
        row = self.db.execute(
            "SELECT provider, fetched, partial, error, last_visit, comments_open,"
            " post_author_key FROM threads WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return ThreadState(article_id)
        open_flag = None if row[5] is None else bool(row[5])
        return ThreadState(
            article_id, row[0], row[1], bool(row[2]), row[3], row[4], open_flag, row[6]
        )

    def set_comments_open(self, article_id: int, is_open: bool, source: str = "") -> None:
        """Record whether the blog (or `source`) accepts comments on an article."""
        if source:
            self.set_source(article_id, source, comments_open=int(is_open))
            return
        with self.write() as db:
            db.execute(
                "INSERT INTO threads (article_id, comments_open) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET comments_open = excluded.comments_open",
                (article_id, int(is_open)),
            )

    def visit_thread(self, article_id: int, when: float | None = None, source: str = "") -> None:
        """Remember that the user opened this thread now (new-since-last-visit starts here)."""
        if source:
            self.set_source(article_id, source, last_visit=time.time() if when is None else when)
            return
        with self.write() as db:
            db.execute(
                "INSERT INTO threads (article_id, last_visit) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET last_visit = excluded.last_visit",
                (article_id, time.time() if when is None else when),
            )

    def mark_seen(self, comment_ids: Iterable[int]) -> None:
        """Mark comments as read."""
        ids = list(comment_ids)
        if not ids:
            return
        with self.write() as db:
            db.execute(
                f"UPDATE comments SET seen = 1 WHERE id IN ({','.join('?' * len(ids))})", ids
            )

    def mark_mine(self, article_id: int, key: str, source: str = "") -> None:
        """Mark a comment as written by the user (its replies are watched)."""
        with self.write() as db:
            db.execute(
                "UPDATE comments SET mine = 1 WHERE article_id = ? AND source = ? AND key = ?",
                (article_id, source, key),
            )

    def remember_blog(self, site: str, provider: str, api_root: str = "") -> None:
        """Remember which comment provider worked for a blog."""
        with self.write() as db:
            db.execute(
                "INSERT INTO blogs (site, provider, api_root, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (site) DO UPDATE SET provider = excluded.provider,"
                " api_root = excluded.api_root, updated = excluded.updated",
                (site, provider, api_root, time.time()),
            )

    def blog_provider(self, site: str) -> tuple[str, str]:
        """The provider and API root that last worked for `site`, or empty strings."""
        row = self.db.execute(
            "SELECT provider, api_root FROM blogs WHERE site = ?", (site,)
        ).fetchone()
        return (row[0], row[1]) if row else ("", "")
