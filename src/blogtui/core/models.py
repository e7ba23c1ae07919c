"""Domain values. Rows leave the store as these frozen dataclasses, never as sqlite rows."""

from __future__ import annotations

from dataclasses import dataclass

from blogtui.core.posting.state import ReplyState


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription and its fetch state."""

    id: int
    url: str
    title: str
    site_url: str = ""
    folder: str = ""
    etag: str = ""
    last_modified: str = ""
    last_status: int | None = None
    last_error: str = ""
    last_checked: float | None = None
    next_fetch: float | None = None
    gone: bool = False
    unread: int = 0
    total: int = 0
    encoding: str = ""
    """The character encoding the last parse read the feed in, and what decided it."""

    @property
    def display_title(self) -> str:
        """The title to show: the feed's own or its URL."""
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list row needs: no content."""

    id: int
    feed_id: int
    title: str
    author: str
    link: str
    published: float | None
    read: bool
    comment_count: int | None
    new_comments: int = 0
    starred: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    """One article with its content and the comment hints its feed gave."""

    id: int
    feed_id: int
    key: str
    title: str
    author: str
    link: str
    published: float | None
    updated: float | None
    content: str
    read: bool
    comment_count: int | None = None
    comments_url: str = ""
    comment_feed: str = ""
    replies_feed: str = ""
    guid: str = ""
    feed_title: str = ""
    author_email: str = ""
    """The authors' addresses, kept apart from `author` (names), comma-separated."""


@dataclass(frozen=True, slots=True)
class EntryData:
    """An article as a parsed feed gives it, before it has a row."""

    key: str
    title: str
    author: str = ""
    """The authors' names, "Ann, Bob"."""
    link: str = ""
    published: float | None = None
    updated: float | None = None
    content: str = ""
    guid: str = ""
    comment_count: int | None = None
    comments_url: str = ""
    comment_feed: str = ""
    replies_feed: str = ""
    author_email: str = ""
    """The authors' addresses, kept apart from `author`, comma-separated."""


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment of a thread. `key` is the provider's stable id, `parent_key` its parent's."""

    id: int
    article_id: int
    key: str
    parent_key: str
    author: str
    author_url: str
    published: float | None
    content: str
    first_seen: float
    seen: bool
    status: str = "approved"
    mine: bool = False
    link: str = ""
    author_key: str = ""
    """Who wrote it as the provider says (`core.comments.identity`), "" when it gives no one."""


@dataclass(frozen=True, slots=True)
class CommentData:
    """A comment as a provider gives it, before it has a row."""

    key: str
    parent_key: str
    author: str
    content: str
    published: float | None = None
    author_url: str = ""
    link: str = ""
    status: str = "approved"
    author_key: str = ""
    """Who wrote it as the provider says (`core.comments.identity`), "" when it gives no one."""


@dataclass(frozen=True, slots=True)
class ThreadState:
    """What is known about an article's thread as a whole."""

    article_id: int
    provider: str = ""
    fetched: float | None = None
    partial: bool = False
    error: str = ""
    last_visit: float | None = None
    comments_open: bool | None = None
    post_author_key: str = ""
    """The post author's identity key as the thread's provider gives it, "" when it gives none."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A reply on its way to a blog; it leaves the outbox only when the server confirmed it."""

    id: int
    draft_id: str
    article_id: int | None
    parent_key: str
    state: ReplyState
    attempts: int
    last_error: str
    next_attempt: float | None
    remote_id: str
    remote_url: str
    created: float
    updated: float
