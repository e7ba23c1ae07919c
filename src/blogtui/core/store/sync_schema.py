"""A migration step: sync accounts, remote id maps and the change queue (core/store/sync.py).

A read or star change on an article of a synced feed is queued by a trigger, in the same
transaction as the change itself, whoever makes it (the TUI, the CLI, an undo): the last change
per article and field wins (one row each). The sync engine's own writes are not queued: it
holds a row in `sync_applying` for the length of its transaction (other connections never see
it, and it is deleted before commit). Removing a synced feed locally queues its unsubscription.
"""

from __future__ import annotations

NOW = "((julianday('now') - 2440587.5) * 86400.0)"
"""The current Unix time with milliseconds, in SQL (SQLite 3.40 has no unixepoch('subsec'))."""

SCHEMA = f"""
ALTER TABLE articles ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sync_accounts (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    user TEXT NOT NULL,
    cursor TEXT NOT NULL DEFAULT '',
    last_sync REAL,
    last_error TEXT NOT NULL DEFAULT '',
    added REAL NOT NULL
);
CREATE TABLE sync_feeds (
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    feed_id INTEGER NOT NULL UNIQUE REFERENCES feeds(id) ON DELETE CASCADE,
    PRIMARY KEY (account, remote_id)
);
CREATE TABLE sync_articles (
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    article_id INTEGER NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (account, remote_id)
);
CREATE TABLE sync_queue (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value INTEGER NOT NULL,
    changed REAL NOT NULL,
    PRIMARY KEY (article_id, field)
);
CREATE TABLE sync_catchups (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    before REAL NOT NULL
);
CREATE TABLE sync_unsubscribes (
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    PRIMARY KEY (account, remote_id)
);
CREATE TABLE sync_applying (one INTEGER PRIMARY KEY);
CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON articles
WHEN old.read != new.read AND NOT EXISTS (SELECT 1 FROM sync_applying)
    AND EXISTS (SELECT 1 FROM sync_articles WHERE article_id = new.id) BEGIN
    INSERT OR REPLACE INTO sync_queue VALUES (new.id, 'read', new.read, {NOW});
END;
CREATE TRIGGER sync_queue_starred AFTER UPDATE OF starred ON articles
WHEN old.starred != new.starred AND NOT EXISTS (SELECT 1 FROM sync_applying)
    AND EXISTS (SELECT 1 FROM sync_articles WHERE article_id = new.id) BEGIN
    INSERT OR REPLACE INTO sync_queue VALUES (new.id, 'starred', new.starred, {NOW});
END;
CREATE TRIGGER sync_queue_unsubscribe AFTER DELETE ON sync_feeds
WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT OR IGNORE INTO sync_unsubscribes VALUES (old.account, old.remote_id);
END;
"""

FULL_PULL_SCHEMA = "ALTER TABLE sync_accounts ADD COLUMN full_pull REAL;"
"""When the account's whole unread id set was last pulled (between two, only feeds whose unread
count changed are asked for theirs)."""
