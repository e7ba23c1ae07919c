"""The sources of an article's comments beyond the blog's own thread (`thread_sources`).

The blog's own thread is source "" and keeps its state in `threads`; every other source is
named by its provider ("mastodon", "hackernews"): where it was detected (its target, so that
switching to it needs no new detection), when it was read, its error and its last visit.
`others_lookups` keeps when the other systems were last asked about an article (a lookup that
found nothing counts: it is not repeated on every opening).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from blogtui.core.models import ThreadState
from blogtui.core.store.base import StoreBase

_STATE_COLUMNS = frozenset(
    {"kind", "url", "ident", "api_root", "expected", "detected", "fetched", "partial", "error",
     "last_visit", "comments_open", "post_author_key"}
)  # fmt: skip
"""The `thread_sources` columns `set_source` may write."""


@dataclass(frozen=True, slots=True)
class ThreadSource:
    """One further source of an article's comments, as stored.

    `url`, `ident`, `api_root` and `expected` are the provider's `Target` from its detection;
    `count` is how many of its comments are stored (not deleted)."""

    article_id: int
    name: str
    kind: str = ""
    url: str = ""
    ident: str = ""
    api_root: str = ""
    expected: int | None = None
    detected: float | None = None
    fetched: float | None = None
    error: str = ""
    count: int = 0


_SOURCE_COLUMNS = (
    "s.article_id, s.source, s.kind, s.url, s.ident, s.api_root, s.expected, s.detected,"
    " s.fetched, s.error, (SELECT count(*) FROM comments c WHERE c.article_id = s.article_id"
    " AND c.source = s.source AND c.deleted = 0)"
)


class SourcesMixin(StoreBase):
    """Further comment sources of an article and their thread state."""

    def set_source(
        self, article_id: int, source: str, db: sqlite3.Connection | None = None, **values: object
    ) -> None:
        """Create or update the state of `source` of an article (`values`: its columns; inside
        the caller's transaction `db` when given)."""
        unknown = set(values) - _STATE_COLUMNS
        if unknown or not source:
            raise ValueError(f"not a source state: {source!r} {sorted(unknown)}")
        names = list(values)
        columns = ", ".join(["article_id", "source", *names])
        marks = ", ".join("?" * (len(names) + 2))
        update = ", ".join(f"{name} = excluded.{name}" for name in names) or "source = source"
        sql = (
            f"INSERT INTO thread_sources ({columns}) VALUES ({marks})"
            f" ON CONFLICT (article_id, source) DO UPDATE SET {update}"
        )
        params = (article_id, source, *values.values())
        if db is not None:
            db.execute(sql, params)
            return
        with self.write() as tx:
            tx.execute(sql, params)

    def add_sources(self, article_id: int, found: list[ThreadSource]) -> None:
        """Record sources detected for an article (their targets are kept for reading them)."""
        now = time.time()
        with self.write() as db:
            for source in found:
                self.set_source(
                    article_id, source.name, db, kind=source.kind, url=source.url,
                    ident=source.ident, api_root=source.api_root, expected=source.expected,
                    detected=now,
                )  # fmt: skip

    def others_looked_up(self, article_id: int) -> float | None:
        """When the other comment systems were last completely asked about an article (None:
        never, or the user asked for a fresh look)."""
        row = self.db.execute(
            "SELECT looked FROM others_lookups WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else float(row[0])

    def note_others_looked_up(self, article_id: int, when: float | None = None) -> None:
        """Remember that the other comment systems were asked about an article (at `when`, now
        by default), whatever they said."""
        with self.write() as db:
            db.execute(
                "INSERT INTO others_lookups (article_id, looked) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET looked = excluded.looked",
                (article_id, time.time() if when is None else when),
            )

    def forget_others_lookup(self, article_id: int) -> None:
        """Have the other comment systems asked again the next time the article's thread is
        loaded (the user asked for a fresh thread)."""
        with self.write() as db:
            db.execute("DELETE FROM others_lookups WHERE article_id = ?", (article_id,))

    def sources_of(self, article_id: int) -> list[ThreadSource]:
        """The further sources recorded for an article, in the order they were first found."""
        rows = self.db.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM thread_sources s WHERE s.article_id = ?"
            " ORDER BY s.rowid",
            (article_id,),
        )
        return [ThreadSource(*row) for row in rows]

    def source_of(self, article_id: int, name: str) -> ThreadSource | None:
        """One further source of an article, or None when none by that name is recorded."""
        return next((s for s in self.sources_of(article_id) if s.name == name), None)

    def source_state(self, article_id: int, source: str) -> ThreadState:
        """The thread state of a further source (its `provider` is the source's name)."""
        row = self.db.execute(
            "SELECT fetched, partial, error, last_visit, comments_open, post_author_key"
            " FROM thread_sources WHERE article_id = ? AND source = ?",
            (article_id, source),
        ).fetchone()
        if row is None:
            return ThreadState(article_id, source)
        open_flag = None if row[4] is None else bool(row[4])
        return ThreadState(article_id, source, row[0], bool(row[1]), row[2], row[3], open_flag,
                           row[5])  # fmt: skip

    def sources_with_mine(self, article_id: int) -> list[str]:
        """The further sources of an article that hold comments the user posted."""
        rows = self.db.execute(
            "SELECT DISTINCT source FROM comments WHERE article_id = ? AND mine = 1"
            " AND source != '' AND deleted = 0 ORDER BY source",
            (article_id,),
        )
        return [str(row[0]) for row in rows]

    def source_holding(self, article_id: int, key: str) -> str:
        """The source with a comment `key` of the article: the blog's own thread ("") when it
        has one (or none has), else the first further source that has."""
        row = self.db.execute(
            "SELECT source FROM comments WHERE article_id = ? AND key = ? AND deleted = 0"
            " ORDER BY source != '', id LIMIT 1",
            (article_id, key),
        ).fetchone()
        return str(row[0]) if row else ""
