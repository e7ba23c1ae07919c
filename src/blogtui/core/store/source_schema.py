"""Migration steps: an article's comments may come from several sources.

The blog's own thread keeps `source` "" (and its state in `threads`); every other source of the
same article (Mastodon replies, a giscus discussion, a Hacker News discussion ...) is named by
its provider, with its comments in `comments` under that name and its state in `thread_sources`.
SQLite cannot change a table's UNIQUE constraint in place, so `comments` is rebuilt (same ids).
"""

from __future__ import annotations

import sqlite3

_COPIED = (
    "id, article_id, key, parent_key, author, author_url, published, content, link, status,"
    " first_seen, seen, mine, deleted, author_key"
)

_STEPS = (
    """CREATE TABLE comments_by_source (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source TEXT NOT NULL DEFAULT '',
        key TEXT NOT NULL,
        parent_key TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        author_url TEXT NOT NULL DEFAULT '',
        published REAL,
        content TEXT NOT NULL DEFAULT '',
        link TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'approved',
        first_seen REAL NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0,
        mine INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        author_key TEXT NOT NULL DEFAULT '',
        UNIQUE (article_id, source, key)
    )""",
    f"INSERT INTO comments_by_source ({_COPIED}) SELECT {_COPIED} FROM comments",
    "DROP TABLE comments",
    "ALTER TABLE comments_by_source RENAME TO comments",
    "CREATE INDEX comments_unseen ON comments (article_id) WHERE seen = 0",
    "CREATE INDEX comments_mine ON comments (mine) WHERE mine = 1",
    """CREATE TABLE thread_sources (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        ident TEXT NOT NULL DEFAULT '',
        api_root TEXT NOT NULL DEFAULT '',
        expected INTEGER,
        detected REAL,
        fetched REAL,
        partial INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        last_visit REAL,
        comments_open INTEGER,
        post_author_key TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (article_id, source)
    )""",
)


def keep_comments_per_source(db: sqlite3.Connection) -> None:
    """`comments.source` (UNIQUE per article, source and key) and `thread_sources`."""
    for statement in _STEPS:
        db.execute(statement)


def remember_others_lookups(db: sqlite3.Connection) -> None:
    """When the other comment systems were last asked about an article (`others_lookups`): a
    lookup that found nothing is not repeated on every opening (`core.comments.others`)."""
    db.execute(
        """CREATE TABLE others_lookups (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            looked REAL NOT NULL
        )"""
    )
