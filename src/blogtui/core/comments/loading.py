"""Loading an article's comment thread from wherever its blog keeps it.

`load_thread` picks the provider per article: first the one that last worked for the blog
(remembered per `scheme://host`), then WordPress REST -> Atom threading -> RSS comment feed ->
Isso (`core.comments.registry`). The thread is stored; on failure the stored thread is kept and
the error recorded. The other systems that see the article are recorded as its further sources
(`core.comments.others`), at most once in `others.LOOK_AGAIN_SECONDS` per article unless a
lookup failed (`Store.forget_others_lookup` has them asked again: the user's `r`);
`core.comments.sources` reads one of them. `load_thread_sync` does the
same from a thread worker or a script, with an event loop and a client of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from blogtui.core.comments.base import FetchedThread, Hints, Target
from blogtui.core.comments.fetching import reset_deadline, set_deadline
from blogtui.core.comments.others import LOOK_AGAIN_SECONDS, look_for_others
from blogtui.core.comments.registry import PROVIDERS, provider_order
from blogtui.core.comments.wordpress import WordPressProvider
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.client import make_client
from blogtui.core.models import Article, Comment

if TYPE_CHECKING:
    from blogtui.core.store import Store

ClientFactory = Callable[[], httpx.AsyncClient]
"""Makes the HTTP client one load uses and closes (the app's `make_client`)."""


@dataclass(frozen=True, slots=True)
class ThreadResult:
    """The outcome of one `load_thread`: the stored thread after it, and what happened.

    `comments` is the stored thread (kept as it was when `error` is set); `new` counts
    comments not stored before; `provider` names the source that answered (or failed);
    `source` is "" for the blog's own thread, else the further source's name.
    """

    article_id: int
    provider: str
    comments: list[Comment] = field(default_factory=list)
    new: int = 0
    partial: bool = False
    comments_open: bool | None = None
    error: str = ""
    source: str = ""
    note: str = ""
    """A line about the source worth showing (`FetchedThread.note`)."""

    @property
    def ok(self) -> bool:
        """True when the thread was read."""
        return not self.error


@dataclass(frozen=True, slots=True)
class Found:
    """A thread one provider read; `unsure` names the providers asked before it that could not
    say whether they see the article (their detection failed)."""

    provider: str
    target: Target
    thread: FetchedThread
    unsure: frozenset[str] = frozenset()


class NoThread(CommentsUnavailable):
    """No provider could read the thread; `provider` is the first that tried, `unsure` those
    that could not say whether they see the article (all of them when time ran out)."""

    def __init__(self, message: str, provider: str = "", unsure: frozenset[str] = frozenset()):
        super().__init__(message)
        self.provider = provider
        self.unsure = unsure


def site_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lowercased: the key blogs are remembered by."""
    parts = urlsplit(url or "")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}" if parts.netloc else ""


async def find_thread(
    client: httpx.AsyncClient,
    article: Article,
    *,
    deadline: float = 30.0,
    api_root: str = "",
    preferred: str = "",
    hints: Hints | None = None,
) -> Found:
    """Read `article`'s thread with the first provider that can; raises NoThread otherwise.
    `hints` (made from `api_root` when None) keeps what was learnt, the page above all."""
    token = set_deadline(deadline)
    try:
        async with asyncio.timeout(deadline + 1.0):
            known = hints or Hints(article, api_root)
            return await _try_providers(client, article, known, preferred)
    except TimeoutError as error:
        raise NoThread(f"gave up after {deadline:g} s", unsure=frozenset(PROVIDERS)) from error
    finally:
        reset_deadline(token)


async def _try_providers(
    client: httpx.AsyncClient, article: Article, hints: Hints, preferred: str
) -> Found:
    errors: list[tuple[str, str]] = []
    unsure: set[str] = set()
    for name in provider_order(preferred):
        provider = PROVIDERS[name]
        if provider.kind != "blog":  # replies elsewhere and discussion sites are read on demand
            continue
        try:
            target = await provider.detect(client, article, hints)
        except CommentsUnavailable as error:
            errors.append((name, error.message))
            unsure.add(name)
            continue
        if target is None:
            continue
        try:
            return Found(name, target, await provider.fetch(client, target), frozenset(unsure))
        except CommentsUnavailable as error:
            errors.append((name, error.message))
    raise _failure(errors, hints, frozenset(unsure))


def _failure(errors: list[tuple[str, str]], hints: Hints, unsure: frozenset[str]) -> NoThread:
    if errors:
        message = "; ".join(dict.fromkeys(text for _, text in errors))
        return NoThread(message, errors[0][0], unsure)
    why = f" ({hints.page_error})" if hints.page_error else ""
    return NoThread(
        "no comments found: the article names no comment feed and its page shows no known"
        f" comment system{why}"
    )


async def load_thread(
    client: httpx.AsyncClient,
    store: Store,
    article: Article,
    *,
    deadline: float = 30.0,
    find_others: bool = True,
) -> ThreadResult:
    """Fetch and store `article`'s thread; never raises CommentsUnavailable.

    On failure the stored thread is kept, the error recorded, and the result carries its text.
    `find_others` also asks the other comment systems whether they see the article (up to
    `others.DETECT_SECONDS` more) unless they were asked within `others.LOOK_AGAIN_SECONDS`;
    a reload that only looks for new replies leaves it off.
    """
    site = site_of(article.link)
    remembered, remembered_root = store.blog_provider(site) if site else ("", "")
    api_root = store.api_root(article.feed_id)
    if not api_root and remembered == WordPressProvider.name:
        api_root = remembered_root
    hints = Hints(article, api_root)
    try:
        found = await find_thread(
            client, article, deadline=deadline, preferred=remembered, hints=hints
        )
    except NoThread as error:
        store.record_thread_error(article.id, error.provider, error.message)
        if find_others:
            await _record_others(client, store, article, hints, ("", error.unsure), remembered)
        return ThreadResult(
            article.id, error.provider, store.comments_for(article.id), error=error.message
        )
    result = _keep(store, article, site, found)  # stored before the others are asked
    if find_others:
        shown = (found.provider, found.unsure)
        await _record_others(client, store, article, hints, shown, remembered)
    return result


async def _record_others(
    client: httpx.AsyncClient,
    store: Store,
    article: Article,
    hints: Hints,
    shown: tuple[str, frozenset[str]],
    preferred: str,
) -> None:
    """Record the article's other comment systems (`core.comments.others`), and when they were
    asked if all of them answered; not again while an earlier answer stands. `shown`: the
    provider of the thread shown ("" none) and those that could not say while it was looked for
    (they are not asked again now, but the lookup is then not complete)."""
    looked = store.others_looked_up(article.id)
    now = time.time()
    if looked is not None and 0 <= now - looked < LOOK_AGAIN_SECONDS:
        return
    provider, unsure = shown
    skip = tried_before(provider, preferred)
    lookup = await look_for_others(client, article, hints, shown=provider, skip=skip)
    if lookup.found:
        store.add_sources(article.id, lookup.found)
    if lookup.complete and not unsure:
        store.note_others_looked_up(article.id, now)


def _keep(store: Store, article: Article, site: str, found: Found) -> ThreadResult:
    """Store what a provider read and remember that it worked for the blog."""
    thread = found.thread
    new = store.store_thread(
        article.id,
        thread.comments,
        provider=found.provider,
        partial=thread.partial,
        post_author_key=thread.post_author_key,
    )
    if thread.comments_open is not None:
        store.set_comments_open(article.id, thread.comments_open)
    if site:
        store.remember_blog(site, found.provider, found.target.api_root)
    return ThreadResult(
        article.id,
        found.provider,
        store.comments_for(article.id),
        new=new,
        partial=thread.partial,
        comments_open=thread.comments_open,
        note=thread.note,
    )


def tried_before(shown: str, preferred: str = "") -> set[str]:
    """The providers `find_thread` asked before `shown` answered (all of kind "blog" when none
    did): they saw no thread, so they need not be asked again."""
    order = [name for name in provider_order(preferred) if PROVIDERS[name].kind == "blog"]
    return set(order[: order.index(shown)] if shown in order else order)


def default_client() -> httpx.AsyncClient:
    """core.feeds.fetch's client, with four connections per host."""
    return make_client(4)


async def _load(
    store: Store,
    article: Article,
    deadline: float,
    client_factory: ClientFactory,
    find_others: bool,
) -> ThreadResult:
    async with client_factory() as client:
        return await load_thread(client, store, article, deadline=deadline, find_others=find_others)


def load_thread_sync(
    store: Store,
    article: Article,
    *,
    deadline: float = 30.0,
    client_factory: ClientFactory | None = None,
    find_others: bool = True,
) -> ThreadResult:
    """Fetch and store `article`'s thread with a short-lived client from `client_factory`
    (core.feeds.fetch's by default); never raises for an unreachable thread (the result's
    `error` says why). Call it from a thread worker: it runs an event loop of its own.
    `find_others` as for `load_thread`."""
    factory = client_factory or default_client
    loading = _load(store, article, deadline, factory, find_others)
    try:
        return asyncio.run(loading)
    except RuntimeError:  # called on a thread that already runs an event loop
        loading.close()
        raise
