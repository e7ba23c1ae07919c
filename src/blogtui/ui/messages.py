"""Messages thread workers post with their results; the owner's handler changes the widgets.

A worker's unexpected failure reaches the screen as a `WorkFailed` too (`worker_failed`).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import Worker, WorkerState

from blogtui.core.models import Article, Comment, Feed, ThreadState
from blogtui.core.text.html import RenderedText

if TYPE_CHECKING:
    from pathlib import Path

    from blogtui.core.feeds.refresh import FeedOutcome, RefreshSummary


@dataclass
class FeedsLoaded(Message):
    """The feed list, with fresh unread counts."""

    feeds: list[Feed]
    relist: bool = False
    """Also reload the article list (a feed was changed or removed)."""
    relist_if_changed: bool = False
    """Reload the article list if the feeds (their counts) differ from those shown."""


@dataclass
class ArticlesListed(Message):
    """The ids the article list should show, newest first."""

    ids: list[int]
    keep_cursor_on: int | None = None
    """The article to keep the cursor on, if it is still listed."""
    partial: bool = False
    """Only the first rows (shown at once on a big list); the full list follows."""
    total: int | None = None
    """How many the full list holds (given with a partial one)."""
    painted: threading.Event | None = None
    """Set once a partial list is on the screen (the full list is read after that)."""


@dataclass
class ArticleLoaded(Message):
    """An article and its rendered body, ready for the reader."""

    article: Article
    rendered: RenderedText


@dataclass
class ReadStateChanged(Message):
    """Articles were marked read or unread; `feeds` carries the new counts."""

    article_ids: list[int]
    read: bool
    feeds: list[Feed]


@dataclass
class RefreshProgress(Message):
    """One feed of a running refresh is done."""

    outcome: FeedOutcome


@dataclass
class RefreshFinished(Message):
    """A refresh ended."""

    summary: RefreshSummary
    feeds: list[Feed] = field(default_factory=list)


@dataclass
class FeedAdded(Message):
    """A subscription was stored."""

    feed: Feed
    created: bool


@dataclass
class ThreadLoaded(Message):
    """An article's comment thread for the reader: the stored one, or one just refreshed."""

    article_id: int
    comments: list[Comment]
    state: ThreadState
    """For the stored thread, the state as it was before this visit (the "new" baseline)."""
    refreshed: bool
    """False: the stored thread (a refresh follows); True: after a refresh."""
    source: str = ""
    """Which of the article's comment sources: "" is the blog's own thread."""
    account: bool = False
    """A reply to it is posted with the user's stored key (else its `reply_mode` holds)."""
    sources: int = 0
    """How many further sources the article has (`S` chooses)."""
    note: str = ""
    """A line about the source from the read just done (`ThreadResult.note`: GitHub's rate
    limit, the Webmentions' likes and reposts); not stored, so "" for a stored thread."""


@dataclass
class WorkFailed(Message):
    """A worker failed; `message` is shown to the user as plain text."""

    title: str
    message: str


def worker_failed(event: Worker.StateChanged, database: Path | None = None) -> WorkFailed | None:
    """The `WorkFailed` to show for a worker that ended with an error, else None.

    An SQLite error that is damage to `database` (core/store/damage.py) is named as such (and
    marked, so the next start moves the file aside) instead of "internal error".
    """
    error = event.worker.error
    if event.state != WorkerState.ERROR or error is None:
        return None
    if database is not None and isinstance(error, sqlite3.Error):
        from blogtui.core.store.damage import damage_found

        damaged = damage_found(database, error)
        if damaged is not None:
            return WorkFailed(damaged.title, damaged.message)
    text = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
    return WorkFailed("Error", str(text))
