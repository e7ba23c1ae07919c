"""Messages thread workers post to the main screen; handlers there own every widget change."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from blogtui.core.models import Article, Comment, Feed, ThreadState
from blogtui.core.text.html import RenderedText


@dataclass
class FeedsLoaded(Message):
    """The feed list, with fresh unread counts."""

    feeds: list[Feed]
    relist: bool = False
    """Also reload the article list (a feed was changed or removed)."""


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
class UnreadFound(Message):
    """Where `n`/`N` leads: an article, in a feed the list may not show yet."""

    article_id: int
    feed_id: int


@dataclass
class RefreshProgress(Message):
    """One feed of a running refresh is done."""

    outcome: Any
    """A core.refresh.FeedOutcome."""


@dataclass
class RefreshFinished(Message):
    """A refresh ended."""

    summary: Any
    """A core.refresh.RefreshSummary."""
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


@dataclass
class CommentsSeen(Message):
    """Comments of an article were marked seen (its list row's new count changed)."""

    article_id: int


@dataclass
class WorkFailed(Message):
    """A worker failed; `message` is shown to the user as plain text."""

    title: str
    message: str


@dataclass
class ReplyQueued(Message):
    """A draft was put into the outbox (or could not be: `error`)."""

    draft_id: str
    title: str
    error: str = ""


@dataclass
class OutboxSending(Message):
    """A sending pass starts with these many due replies."""

    count: int


@dataclass
class OutboxSent(Message):
    """A sending pass ended: one report per reply, when the next is due, or why it did not run."""

    reports: list[Any]
    """ui.screens.sending.SentReply items."""
    due: float | None
    busy: str = ""
    """Set when another blogtui held the outbox (nothing was sent)."""


@dataclass
class RepliesChecked(Message):
    """The unseen replies to the user's comments (core.models.Comment items)."""

    replies: list[Comment]
