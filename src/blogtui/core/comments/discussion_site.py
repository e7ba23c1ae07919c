"""What the discussion sites (Hacker News, Lobsters) share: a story found by the article's URL,
URL matching, and reading their public JSON.

A discussion site is a `CommentProvider` of kind "discussion": it is never tried when a blog's
own thread is loaded, only when the user asks where the article is discussed. `stories` lists
the submissions of one URL; `detect` picks the one with the most comments, whose id the
`Target` carries and whose comment count is `expected`. Replies open the site in the browser.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, Hints, Target
from blogtui.core.comments.fetching import MAX_BYTES, time_left
from blogtui.core.comments.service import RateLimited, retry_after, wait_words
from blogtui.core.errors import CommentsUnavailable, FeedError
from blogtui.core.feeds.fetch import HTTPStatusError, fetch
from blogtui.core.models import Article

_DEFAULT_PORTS = {"http": "80", "https": "443"}


@dataclass(frozen=True, slots=True)
class Story:
    """One submission of the article on a discussion site.

    `ident` is the site's id of it, `page` its discussion page, `comments` how many comments
    the site counts, `points` its score (None when unsaid), `link` the URL submitted."""

    ident: str
    page: str
    title: str = ""
    comments: int = 0
    points: int | None = None
    link: str = ""


def url_key(url: str) -> str:
    """`url` as discussion sites match it: no scheme, no `www.`, host lowercased, no default
    port, no trailing slash, no fragment; the query kept as it is."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").removeprefix("www.")
    if port is not None and str(port) != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def same_url(first: str, second: str) -> bool:
    """True when two URLs name the same page as discussion sites see it (`url_key`)."""
    return bool(first and second) and url_key(first) == url_key(second)


def best(stories: list[Story]) -> Story | None:
    """The story with the most comments (the first listed on a tie), or None."""
    return max(stories, key=lambda story: story.comments, default=None)


def whole(value: object) -> int | None:
    """A JSON integer (not a bool) that is not negative, or None."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def text_of(value: object, limit: int = 2000) -> str:
    """A JSON string cut to `limit` characters, "" for anything else."""
    return value[:limit] if isinstance(value, str) else ""


async def read_json(client: httpx.AsyncClient, url: str, what: str) -> Any:
    """GET `url` (redirects followed, http/https only, the body capped) as JSON.

    Raises CommentsUnavailable naming `what` (RateLimited for 429/503, with the wait the site
    asked for); a URL is never part of a message.
    """
    try:
        result = await fetch(client, url, deadline=time_left(), max_bytes=MAX_BYTES)
    except HTTPStatusError as error:
        raise CommentsUnavailable(f"{what}: the site answered {error.message}") from None
    except FeedError as error:
        slow = error.message.startswith("timed out")
        raise CommentsUnavailable(
            f"{what}: {'no answer in time' if slow else error.message}"
        ) from None
    if result.status in (429, 503):
        wait = retry_after(result.headers)
        busy = "too many requests" if result.status == 429 else "the site is unavailable"
        raise RateLimited(f"{what}: {busy}; try again {wait_words(wait)}", wait)
    if not 200 <= result.status < 300:
        raise CommentsUnavailable(f"{what}: the site answered HTTP {result.status}")
    try:
        return json.loads(result.body.decode("utf-8-sig"))
    except RecursionError:
        raise CommentsUnavailable(f"{what}: the answer is nested too deeply to read") from None
    except (UnicodeDecodeError, ValueError):
        kind = result.media_type or "an unknown kind of document"
        raise CommentsUnavailable(f"{what}: expected JSON, the site sent {kind}") from None


class DiscussionSite(CommentProvider):
    """A site where articles are submitted and discussed, read by the article's URL."""

    kind = "discussion"
    reply_mode = "browser"

    def __init__(self, api_root: str) -> None:
        self.api_root = api_root.rstrip("/")

    @abstractmethod
    async def stories(self, client: httpx.AsyncClient, url: str) -> list[Story]:
        """Every submission of `url` on the site (none: an empty list).

        Raises CommentsUnavailable when the site cannot be asked (down, slow, rate limit,
        an answer that is not its JSON)."""

    @abstractmethod
    def story_page(self, ident: str) -> str:
        """The web page of story `ident`, where its discussion is read and replied to."""

    def reply_page(self, target: Target, article: Article) -> str:
        """Replies are written on the story's page on the site."""
        return self.story_page(target.ident)

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """The submission of the article's URL with the most comments; None when there is
        none (or the article has no URL)."""
        if not article.link:
            return None
        story = best(await self.stories(client, article.link))
        if story is None:
            return None
        return Target(self.name, self.api_root, story.ident, expected=story.comments)
