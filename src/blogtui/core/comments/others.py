"""The article's other comment systems, found while its own thread is loaded.

After `load_thread` picked the blog's own thread, every other provider of kind "blog" or
"elsewhere" is asked whether it sees the article too (the page is read once: `Hints` keeps it).
Those that do are recorded with their `Target` as further sources of the article
(`Store.sources_of`), to be read when the user switches to one (`core.comments.sources`).
Discussion sites (kind "discussion") are never asked here: they are looked up on demand.

The blog engine's own readings of one thread (its REST API and its comment feeds) are one
system: at most one of them is offered, and none when one of them is the thread shown.

A lookup is complete when the page was read (or the article has none) and every provider asked
answered in time; only a complete one may be remembered as done (`Store.note_others_looked_up`):
one that failed (network error, time-out, an unreadable page) is tried again on the next
opening. A done lookup is repeated after LOOK_AGAIN_SECONDS, or when the user asks (`r`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

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
LOOK_AGAIN_SECONDS = 24 * 3600.0
"""How long a complete lookup stands: within it, opening the article asks no other system."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """What asking the other systems gave: the sources `found`, and whether every one asked
    answered (`complete`: the page was read and none failed or ran out of time)."""

    found: list[ThreadSource] = field(default_factory=list)
    complete: bool = True


def candidates(shown: str, skip: set[str]) -> list[CommentProvider]:
    """The providers to ask, in the registry's order: kind "blog" or "elsewhere", not `shown`
    (the thread shown) nor those in `skip` (already asked while looking for it)."""
    return [
        provider
        for name, provider in PROVIDERS.items()
        if provider.kind in ("blog", "elsewhere") and name != shown and name not in skip
    ]


_FAILED = object()
"""What `_detect` gives for a provider that could not say (an error, a bug)."""


async def _detect(
    provider: CommentProvider, client: httpx.AsyncClient, article: Article, hints: Hints
) -> Target | None | object:
    try:
        return await provider.detect(client, article, hints)
    except CommentsUnavailable:
        return _FAILED
    except Exception:  # noqa: BLE001 - one provider's bug must not hide the others
        return _FAILED


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
    found = await look_for_others(client, article, hints, shown=shown, skip=skip, seconds=seconds)
    return found.found


async def look_for_others(
    client: httpx.AsyncClient,
    article: Article,
    hints: Hints,
    *,
    shown: str = "",
    skip: set[str] | None = None,
    seconds: float = DETECT_SECONDS,
) -> Lookup:
    """`detect_others` with whether the lookup was complete (`Lookup`). Never raises."""
    asked = candidates(shown, skip or set())
    if not asked:
        return Lookup()
    token = set_deadline(seconds)
    try:
        page_read = await _page(client, hints, seconds)
        tasks = [asyncio.ensure_future(_detect(p, client, article, hints)) for p in asked]
        _, late = await asyncio.wait(tasks, timeout=seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    finally:
        reset_deadline(token)
    found: list[ThreadSource] = []
    complete = page_read and not late
    same_thread = shown in SAME_THREAD
    for provider, task in zip(asked, tasks, strict=True):
        target = None if task.cancelled() else task.result()
        if target is _FAILED:
            complete = False
        if not isinstance(target, Target):
            continue
        if provider.name in SAME_THREAD:
            if same_thread:
                continue
            same_thread = True
        found.append(_source(article.id, provider, target))
    return Lookup(found, complete)


async def _page(client: httpx.AsyncClient, hints: Hints, seconds: float) -> bool:
    """Read the article's page once before the providers ask for it at the same time; False
    when it could not be read (an article without a link has none to read: True)."""
    try:
        async with asyncio.timeout(seconds):
            page = await hints.page(client)
    except TimeoutError:
        return False
    return page is not None or not hints.article.link


def _source(article_id: int, provider: CommentProvider, target: Target) -> ThreadSource:
    return ThreadSource(article_id, provider.name, provider.kind, target.url, target.ident,
                        target.api_root, target.expected)  # fmt: skip
