"""The SQLite store. `Store(path)` opens (and migrates) one database file."""

from __future__ import annotations

from blogtui.core.store.articles import ArticlesMixin
from blogtui.core.store.comments import CommentsMixin
from blogtui.core.store.feeds import FeedsMixin
from blogtui.core.store.outbox import OutboxMixin


class Store(FeedsMixin, ArticlesMixin, CommentsMixin, OutboxMixin):
    """Feeds, articles, comments, thread state and the outbox in one SQLite database."""


__all__ = ["Store"]
