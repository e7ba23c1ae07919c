"""The article's other comment systems, found while its own thread is loaded.

After `load_thread` picked the blog's own thread, every other provider of kind "blog" or
"elsewhere" is asked whether it sees the article too (the page is read once: `Hints` keeps it).
Those that do are recorded with their `Target` as further sources of the article
(`Store.sources_of`), to be read when the user switches to one (`core.comments.sources`).
Discussion sites (kind "discussion") are never asked here: they are looked up on demand.

The blog engine's own readings of one thread (its REST API and its comment feeds) are one
system: at most one of them is offered, and none when one of them is the thread shown.
"""

from __future__ import annotations

import asyncio

import httpx

from blogtui.core.comments.base import CommentProvider, Hints, Target
from blogtui.core.comments.fetching import reset_deadline, set_deadline
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
from blogtui.core.store.sources import ThreadSource

SAME_THREAD = frozenset({"wordpress", "blogger", "atom", "rss"})
"""Providers that read the blog engine's own comments (one thread, several readings)."""
DETECT_SECONDS = 5.0
"""How long the other systems may take to say whether they see the article."""


def candidates(shown: str, skip: set[str]) -> list[CommentProvider]:
    """The providers to ask, in the registry's order: kind "blog" or "elsewhere", not `shown`
    (the thread shown) nor those in `skip` (already asked while looking for it)."""
    return [
        provider
        for name, provider in PROVIDERS.items()
        if provider.kind in ("blog", "elsewhere") and name != shown and name not in skip
    ]


async def _detect(
    provider: CommentProvider, client: httpx.AsyncClient, article: Article, hints: Hints
) -> Target | None:
    try:
        return await provider.detect(client, article, hints)
    except CommentsUnavailable:
        return None
    except Exception:  # noqa: BLE001 - one provider's bug must not hide the others
        return None


async def detect_others(
    client: httpx.AsyncClient,
    article: Article,
    hints: Hints,
    *,
    shown: str = "",
    skip: set[str] | None = None,
    seconds: float = DETECT_SECONDS,
) -> list[ThreadSource]:
    """The further sources of `article` besides the thread `shown` (see the module docstring);
    those that did not answer within `seconds` are left out. Never raises."""
    asked = candidates(shown, skip or set())
    if not asked:
        return []
    token = set_deadline(seconds)
    try:
        await _page(client, hints, seconds)
        tasks = [asyncio.ensure_future(_detect(p, client, article, hints)) for p in asked]
        _, late = await asyncio.wait(tasks, timeout=seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    finally:
        reset_deadline(token)
    found: list[ThreadSource] = []
    same_thread = shown in SAME_THREAD
    for provider, task in zip(asked, tasks, strict=True):
        target = None if task.cancelled() else task.result()
        if target is None:
            continue
        if provider.name in SAME_THREAD:
            if same_thread:
                continue
            same_thread = True
        found.append(_source(article.id, provider, target))
    return found


async def _page(client: httpx.AsyncClient, hints: Hints, seconds: float) -> None:
    """Read the article's page once before the providers ask for it at the same time."""
    try:
        async with asyncio.timeout(seconds):
            await hints.page(client)
    except TimeoutError:
        return


def _source(article_id: int, provider: CommentProvider, target: Target) -> ThreadSource:
    return ThreadSource(article_id, provider.name, provider.kind, target.url, target.ident,
                        target.api_root, target.expected)  # fmt: skip
