"""Where an article is discussed: every provider of kind "discussion" (Hacker News, Lobsters)
asked at once, by the article's URL, under one deadline.

`find_discussions` never raises: a site that is down, slow or answers garbage gives a
`Discussion` with `error` set, a site where the article was never submitted gives nothing. The
`target` of a found discussion is what its provider's `fetch` reads (the thread itself).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from blogtui.core.comments.base import CommentProvider, Hints, Target
from blogtui.core.comments.discussion_site import DiscussionSite, best
from blogtui.core.comments.fetching import reset_deadline, set_deadline
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article

DEADLINE = 15.0
"""Seconds the lookup may take in all (every site is asked at the same time)."""


@dataclass(frozen=True, slots=True)
class Discussion:
    """The article's discussion on one site, or why the site could not say.

    `url` is the discussion's page, `comments` the count the site gives, `submissions` how many
    times the article was submitted there (the one with the most comments is shown)."""

    provider: str
    label: str
    url: str = ""
    comments: int = 0
    title: str = ""
    points: int | None = None
    submissions: int = 1
    target: Target | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the site answered."""
        return not self.error


def discussion_sites() -> list[CommentProvider]:
    """The registered providers of kind "discussion", in the registry's order."""
    return [provider for provider in PROVIDERS.values() if provider.kind == "discussion"]


async def find_discussions(
    client: httpx.AsyncClient,
    article: Article,
    *,
    deadline: float = DEADLINE,
    sites: Iterable[CommentProvider] | None = None,
) -> list[Discussion]:
    """The article's discussions on every discussion site (`sites`, by default the registered
    ones), asked concurrently; one entry per site that has one or failed, in the sites' order.
    Never raises."""
    chosen = list(discussion_sites() if sites is None else sites)
    if not article.link or not chosen:
        return []
    token = set_deadline(deadline)
    try:
        asked = [_ask(site, client, article, deadline) for site in chosen]
        answers = await asyncio.gather(*asked)
    finally:
        reset_deadline(token)
    return [answer for answer in answers if answer is not None]


async def _ask(
    site: CommentProvider, client: httpx.AsyncClient, article: Article, deadline: float
) -> Discussion | None:
    """One site's discussion of the article, None when it has none, an error entry on failure."""
    label = site.label or site.name
    try:
        async with asyncio.timeout(deadline + 1.0):
            return await _lookup(site, client, article)
    except TimeoutError:
        message = "no answer in time"
    except CommentsUnavailable as error:
        message = error.message
    except Exception as error:  # a provider's bug must not hide the other sites
        message = f"the lookup failed ({type(error).__name__})"
    prefix = f"{label}: "
    return Discussion(site.name, label, error=message.removeprefix(prefix))


async def _lookup(
    site: CommentProvider, client: httpx.AsyncClient, article: Article
) -> Discussion | None:
    label = site.label or site.name
    if not isinstance(site, DiscussionSite):
        target = await site.detect(client, article, Hints(article))
        if target is None:
            return None
        page = site.reply_page(target, article)
        return Discussion(site.name, label, page, target.expected or 0, target=target)
    stories = await site.stories(client, article.link)
    story = best(stories)
    if story is None:
        return None
    target = Target(site.name, site.api_root, story.ident, expected=story.comments)
    return Discussion(site.name, label, story.page, story.comments, story.title, story.points,
                      len(stories), target)  # fmt: skip


async def _find_with(
    client_factory: Callable[[], httpx.AsyncClient], article: Article, deadline: float
) -> list[Discussion]:
    async with client_factory() as client:
        return await find_discussions(client, article, deadline=deadline)


def find_discussions_sync(
    article: Article,
    *,
    deadline: float = DEADLINE,
    client_factory: Callable[[], httpx.AsyncClient] | None = None,
) -> list[Discussion]:
    """`find_discussions` with a short-lived client of its own (core.feeds.fetch's by default),
    from a thread worker or a script: it runs an event loop of its own."""
    from blogtui.core.feeds.client import make_client

    factory = client_factory or (lambda: make_client(4))
    return asyncio.run(_find_with(factory, article, deadline))
