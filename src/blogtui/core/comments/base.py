"""What every comment provider is: the `CommentProvider` interface and the values it trades in.

A provider first *detects* whether it can read an article's thread (returning a `Target`, or
None when the article shows no sign of it), then *fetches* that target. Providers fetch through
`core.comments.fetching.get`; the article's page is read once per load (`Hints.page`) and
scraped by `core.comments.page`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import httpx

from blogtui.core.comments.fetching import get
from blogtui.core.comments.page import Page, parse_page
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData


@dataclass(frozen=True, slots=True)
class Target:
    """Where one provider will read one article's thread.

    `url` is the provider's endpoint (REST root, feed, Isso server), `ident` the thread's id
    there (post id, thread URI), `api_root` what to remember for the blog, `expected` the
    comment count the article claims (for partial marking).
    """

    provider: str
    url: str
    ident: str = ""
    api_root: str = ""
    expected: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedThread:
    """A thread as a provider read it; `partial` when the source could not give all of it.

    `post_author_key` is who wrote the post as the provider says (`core.comments.identity`),
    "" when it does not say; `note` a line about the source (its rate limit)."""

    comments: list[CommentData]
    partial: bool = False
    comments_open: bool | None = None
    post_author_key: str = ""
    note: str = ""
    """A line about the source worth showing with the thread ("GitHub: 58 of 60 requests left
    this hour"), "" for none."""


class Hints:
    """What is known about an article before any provider ran; fetches its page at most once."""

    def __init__(self, article: Article, api_root: str = "") -> None:
        self.article = article
        self.api_root = api_root
        self._page: Page | None = None
        self.page_error = ""
        self._tried = False

    async def page(self, client: httpx.AsyncClient) -> Page | None:
        """The article's page, or None when it has no link or cannot be read."""
        if not self._tried:
            self._tried = True
            try:
                result = await get(client, self.article.link, "the article page")
            except CommentsUnavailable as error:
                self.page_error = error.message
            else:
                url = result.final_url or result.url
                self._page = parse_page(result.text, url, result.headers)
        return self._page


class CommentProvider(ABC):
    """A way of reading comment threads (WordPress REST, Atom threading, RSS, Isso…).

    Providers keep no state between calls; one instance serves every article.
    """

    name: str = ""
    """Stable identifier stored per thread and per blog ("wordpress", "atom", …)."""
    label: str = ""
    """How the thread's source is named to the user ("Disqus"); "" means `name` as it is."""
    reply_mode: str = ""
    """What a reply does: "browser" when only the service's own page can take one; "" when
    blogtui's posting decides (`core.posting`)."""
    kind: str = "blog"
    """"blog": the blog's own comments, tried in the registry's order (the first that detects
    the article's thread wins, the others detected are offered as further sources);
    "elsewhere": replies and mentions around the article (Mastodon, Webmentions), read as a
    further source of the same article; "discussion": a discussion site (Hacker News,
    Lobsters), looked up by the article's URL only on demand."""

    def reply_page(self, target: Target, article: Article) -> str:
        """The web page where a reply is written when `reply_mode` is "browser" (the article's
        own page unless the service keeps the thread elsewhere)."""
        return article.link

    @abstractmethod
    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """Where this provider would read `article`'s thread, or None if the article shows no
        sign of it. May fetch the article's page (through `hints.page`) or probe an API.

        Raises CommentsUnavailable when the provider clearly applies but its source is broken
        (the message says how).
        """

    @abstractmethod
    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Read the whole thread at `target` (as much as the source allows; else `partial`).

        Raises CommentsUnavailable with a one-line message on any failure: network errors,
        timeouts, error statuses, and answers that are not what the provider expects.
        """
