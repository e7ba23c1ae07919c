"""The SQLite store. `Store(path)` opens (and migrates) one database file."""

from __future__ import annotations

from blogtui.core.store.articles import ArticlesMixin
from blogtui.core.store.comments import CommentsMixin
from blogtui.core.store.feeds import FeedsMixin
from blogtui.core.store.outbox import OutboxMixin
from blogtui.core.store.sync_articles import SyncArticlesMixin


class Store(FeedsMixin, ArticlesMixin, CommentsMixin, OutboxMixin, SyncArticlesMixin):
    """Feeds, articles, comments, thread state, the outbox and sync state in one SQLite database."""


__all__ = ["Store"]
