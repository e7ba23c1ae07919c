"""A tiny in-memory sync server behind the SyncBackend interface, for the engine's rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import httpx

from blogtui.core.sync.base import (
    Account,
    ArticlePage,
    Field,
    RemoteArticle,
    RemoteFeed,
    SyncBackend,
    SyncError,
)

DAY = 86400.0


@dataclass
class FakeServer:
    """What the fake backend serves: feeds, articles by id, and a log of calls."""

    feeds: dict[str, RemoteFeed] = field(default_factory=dict)
    articles: dict[str, RemoteArticle] = field(default_factory=dict)
    calls: list[tuple[str, object]] = field(default_factory=list)
    retention_days: float = 30.0
    ignore_marks: bool = False
    fail_marks: bool = False
    next_id: int = 1

    def add_feed(self, feed_id: str, url: str, folder: str = "") -> None:
        self.feeds[feed_id] = RemoteFeed(feed_id, url, f"Feed {feed_id}", folder)

    def add_article(
        self, feed_id: str, published: float, *, unread: bool = True, link: str = ""
    ) -> str:
        article_id = str(self.next_id)
        self.next_id += 1
        url = link or f"https://example.org/{feed_id}/{article_id}"
        self.articles[article_id] = RemoteArticle(
            article_id, feed_id, "", url, f"Artikel {article_id} über Äpfel", "Jörg",
            f"<p>Text {article_id}</p>", published, unread, False, f"{url}#comments",
        )  # fmt: skip
        return article_id

    def set(self, article_id: str, **changes: bool) -> None:
        self.articles[article_id] = replace(self.articles[article_id], **changes)


class FakeBackend(SyncBackend):
    """Serves a FakeServer; pages of `page_size` by ascending numeric id."""

    kind = "ttrss"
    page_size = 3

    def __init__(self, server: FakeServer, name: str = "home") -> None:
        super().__init__(Account(name, "ttrss", "https://rss.example.org/", "ich"), "pw")
        self.server = server

    async def login(self, client: httpx.AsyncClient) -> None:
        self.server.calls.append(("login", None))

    async def feeds(self, client: httpx.AsyncClient) -> list[RemoteFeed]:
        return list(self.server.feeds.values())

    async def unread_ids(self, client: httpx.AsyncClient) -> set[str]:
        return {a.id for a in self.server.articles.values() if a.unread}

    async def starred_ids(self, client: httpx.AsyncClient) -> set[str]:
        return {a.id for a in self.server.articles.values() if a.starred}

    async def articles(self, client: httpx.AsyncClient, ids: Sequence[str]) -> list[RemoteArticle]:
        self.server.calls.append(("articles", list(ids)))
        return [self.server.articles[i] for i in ids if i in self.server.articles]

    async def articles_since(self, client: httpx.AsyncClient, cursor: str) -> ArticlePage:
        after = int(cursor or 0)
        newer = sorted((a for a in self.server.articles.values() if int(a.id) > after),
                       key=lambda a: int(a.id))  # fmt: skip
        page = newer[: self.page_size]
        return ArticlePage(page, page[-1].id if page else cursor, len(newer) > len(page))

    async def mark(
        self, client: httpx.AsyncClient, ids: Sequence[str], field: Field, value: bool
    ) -> None:
        self.server.calls.append(("mark", (sorted(ids), field, value)))
        if self.server.fail_marks:
            raise SyncError("the server went away")
        if self.server.ignore_marks:
            return
        for i in ids:
            if field == "read":
                self.server.set(i, unread=not value)
            else:
                self.server.set(i, starred=value)

    async def catch_up(self, client: httpx.AsyncClient, feed_id: str, before: float) -> None:
        self.server.calls.append(("catch_up", (feed_id, before)))
        for a in list(self.server.articles.values()):
            if a.feed_id == feed_id and a.published <= before:
                self.server.set(a.id, unread=False)

    async def subscribe(self, client: httpx.AsyncClient, url: str, folder: str = "") -> str:
        feed_id = f"f{len(self.server.feeds) + 100}"
        self.server.add_feed(feed_id, url, folder)
        return feed_id

    async def unsubscribe(self, client: httpx.AsyncClient, feed_id: str) -> None:
        self.server.calls.append(("unsubscribe", feed_id))
        self.server.feeds.pop(feed_id, None)

    async def retention_days(self, client: httpx.AsyncClient) -> float:
        return self.server.retention_days


class CountingBackend(FakeBackend):
    """A FakeBackend whose server tells unread counts per feed (as tt-rss's getFeeds does)."""

    async def unread_counts(self, client: httpx.AsyncClient) -> dict[str, int] | None:
        counts = dict.fromkeys(self.server.feeds, 0)
        for article in self.server.articles.values():
            if article.unread and article.feed_id in counts:
                counts[article.feed_id] += 1
        return counts

    async def feed_unread_ids(self, client: httpx.AsyncClient, feed_ids: Sequence[str]) -> set[str]:
        self.server.calls.append(("feed_unread_ids", sorted(feed_ids)))
        return {a.id for a in self.server.articles.values() if a.unread and a.feed_id in feed_ids}
