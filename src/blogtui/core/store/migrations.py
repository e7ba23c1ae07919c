"""Versioned schema migrations, applied in order on open. Each is a named function."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from blogtui.core.store.logins import move_logins_out_of_urls
from blogtui.core.store.source_schema import keep_comments_per_source, remember_others_lookups
from blogtui.core.store.sync_schema import FULL_PULL_SCHEMA
from blogtui.core.store.sync_schema import SCHEMA as SYNC_SCHEMA


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run each statement of `script` inside the caller's transaction.

    `executescript` would commit first, so statements are split with SQLite's own completeness test.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


def create_feeds_and_articles(db: sqlite3.Connection) -> None:
    """Feeds with their fetch state; articles with a stable per-feed identity."""
    run_script(
        db,
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            user_title TEXT NOT NULL DEFAULT '',
            site_url TEXT NOT NULL DEFAULT '',
            folder TEXT NOT NULL DEFAULT '',
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            last_status INTEGER,
            last_error TEXT NOT NULL DEFAULT '',
            last_checked REAL,
            next_fetch REAL,
            failures INTEGER NOT NULL DEFAULT 0,
            gone INTEGER NOT NULL DEFAULT 0,
            api_root TEXT NOT NULL DEFAULT '',
            added REAL NOT NULL,
            total INTEGER NOT NULL DEFAULT 0,
            unread INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            guid TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            published REAL,
            updated REAL,
            content TEXT NOT NULL DEFAULT '',
            comments_url TEXT NOT NULL DEFAULT '',
            comment_feed TEXT NOT NULL DEFAULT '',
            replies_feed TEXT NOT NULL DEFAULT '',
            comment_count INTEGER,
            read INTEGER NOT NULL DEFAULT 0,
            fetched REAL NOT NULL,
            digest TEXT NOT NULL DEFAULT '',
            UNIQUE (feed_id, key)
        );
        CREATE INDEX articles_by_feed ON articles (feed_id, published DESC, id DESC);
        CREATE INDEX articles_unread ON articles (feed_id) WHERE read = 0;
        CREATE INDEX articles_by_date ON articles (published DESC, id DESC);
        CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
            UPDATE feeds SET total = total + 1, unread = unread + (new.read = 0)
            WHERE id = new.feed_id;
        END;
        CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
            UPDATE feeds SET total = total - 1, unread = unread - (old.read = 0)
            WHERE id = old.feed_id;
        END;
        CREATE TRIGGER articles_count_read AFTER UPDATE OF read ON articles
        WHEN old.read != new.read BEGIN
            UPDATE feeds SET unread = unread + (new.read = 0) - (old.read = 0)
            WHERE id = new.feed_id;
        END;
        """,
    )


def create_comments(db: sqlite3.Connection) -> None:
    """Comments with parent links and per-comment seen state; thread state; per-blog memory."""
    run_script(
        db,
        """
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
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
            UNIQUE (article_id, key)
        );
        CREATE INDEX comments_unseen ON comments (article_id) WHERE seen = 0;
        CREATE INDEX comments_mine ON comments (mine) WHERE mine = 1;
        CREATE TABLE threads (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            provider TEXT NOT NULL DEFAULT '',
            fetched REAL,
            partial INTEGER NOT NULL DEFAULT 0,
            error TEXT NOT NULL DEFAULT '',
            last_visit REAL,
            comments_open INTEGER,
            seen_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE blogs (
            site TEXT PRIMARY KEY,
            provider TEXT NOT NULL DEFAULT '',
            api_root TEXT NOT NULL DEFAULT '',
            updated REAL NOT NULL
        );
        """,
    )


def create_outbox(db: sqlite3.Connection) -> None:
    """Replies on their way to a blog."""
    run_script(
        db,
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            draft_id TEXT NOT NULL UNIQUE,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            parent_key TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            next_attempt REAL,
            remote_id TEXT NOT NULL DEFAULT '',
            remote_url TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            updated REAL NOT NULL
        );
        """,
    )


def create_search_index(db: sqlite3.Connection) -> None:
    """Full-text search over article titles, authors and text (FTS5, rowid = article id)."""
    run_script(
        db,
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, author, body, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            DELETE FROM articles_fts WHERE rowid = old.id;
        END;
        """,
    )


def index_article_links(db: sqlite3.Connection) -> None:
    """Find articles by their link (drafts and `blogtui comments URL` name articles so)."""
    db.execute("CREATE INDEX articles_by_link ON articles (link)")


def defer_search_indexing(db: sqlite3.Connection) -> None:
    """Articles are indexed for search after a refresh, not during it: `indexed` says which are.

    Rows that exist already were indexed when they were written."""
    run_script(
        db,
        """
        ALTER TABLE articles ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX articles_unindexed ON articles (id) WHERE indexed = 0;
        """,
    )


def keep_author_addresses_and_encodings(db: sqlite3.Connection) -> None:
    """Authors' addresses apart from their names; the encoding a feed was last read in."""
    run_script(
        db,
        """
        ALTER TABLE articles ADD COLUMN author_email TEXT NOT NULL DEFAULT '';
        ALTER TABLE feeds ADD COLUMN encoding TEXT NOT NULL DEFAULT '';
        """,
    )


def keep_comment_author_identity(db: sqlite3.Connection) -> None:
    """Who wrote a comment and the post as the provider says (`core.comments.identity`)."""
    run_script(
        db,
        """
        ALTER TABLE comments ADD COLUMN author_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE threads ADD COLUMN post_author_key TEXT NOT NULL DEFAULT '';
        """,
    )


def add_sync_tables(db: sqlite3.Connection) -> None:
    """Starred articles; sync accounts, remote id maps, the change queue and its triggers."""
    run_script(db, SYNC_SCHEMA)


def remember_full_unread_pulls(db: sqlite3.Connection) -> None:
    """When each sync account last pulled its whole unread id set."""
    run_script(db, FULL_PULL_SCHEMA)


def index_starred_articles(db: sqlite3.Connection) -> None:
    """The starred articles newest first, for the "Starred" list and its count: a partial index
    holds only them, so neither reads the other articles."""
    db.execute(
        "CREATE INDEX articles_starred ON articles (published DESC, id DESC) WHERE starred = 1"
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    create_feeds_and_articles,
    create_comments,
    create_outbox,
    create_search_index,
    index_article_links,
    defer_search_indexing,
    keep_author_addresses_and_encodings,
    keep_comment_author_identity,
    move_logins_out_of_urls,
    add_sync_tables,
    keep_comments_per_source,
    remember_full_unread_pulls,
    remember_others_lookups,
    index_starred_articles,
]
"""Applied in order; a database's `user_version` is the number applied so far."""
