"""Reading one named source of an article's comments, and looking up its discussions.

An article's comments may come from several sources: the blog's own thread (source "", read by
`load_thread`), the other systems its page shows (recorded by `load_thread`, see
`core.comments.others`), and discussion sites (Hacker News, Lobsters) found on demand by
`look_up_discussions`. `load_source` reads one of them by its provider's name and stores it
under that name, with its own thread state and new-since-last-visit marks. A discussion's
result stays stored: it is read again only when asked (never by a refresh).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx

from blogtui.core.comments.base import FetchedThread, Hints, Target
from blogtui.core.comments.discussions import Discussion, find_discussions
from blogtui.core.comments.fetching import reset_deadline, set_deadline
from blogtui.core.comments.loading import ClientFactory, ThreadResult, default_client, load_thread
from blogtui.core.comments.registry import PROVIDERS, page_systems
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
from blogtui.core.store.sources import ThreadSource

if TYPE_CHECKING:
    from blogtui.core.store import Store

KIND_ORDER = {"blog": 0, "elsewhere": 1, "discussion": 2}
"""How sources are listed: the blog's comments, replies elsewhere, then discussions."""


def label_of(name: str) -> str:
    """How provider `name` is named to the user ("Hacker News"), its name when unknown."""
    provider = PROVIDERS.get(name)
    return (provider.label or provider.name) if provider is not None else name


def kind_of(name: str) -> str:
    """The kind of provider `name` ("blog" when unknown)."""
    provider = PROVIDERS.get(name)
    return provider.kind if provider is not None else "blog"


def source_title(name: str, count: int | None = None) -> str:
    """One line naming a source: "Comments via Disqus · 34", "Webmentions · 3",
    "Hacker News discussion · 312" (no count when `count` is None)."""
    label, kind = label_of(name), kind_of(name)
    if kind == "discussion":
        title = f"{label} discussion"
    elif kind == "elsewhere":
        title = label
    else:
        title = f"Comments via {label}" if name else "Comments"
    return title if count is None else f"{title} · {count}"


def ordered(sources: list[ThreadSource]) -> list[ThreadSource]:
    """`sources` by kind (blog, elsewhere, discussion), each kind in the order found."""
    return sorted(sources, key=lambda s: KIND_ORDER.get(s.kind, 1))


async def load_source(
    client: httpx.AsyncClient, store: Store, article: Article, name: str, *, deadline: float = 30.0
) -> ThreadResult:
    """Read and store source `name` of `article` ("" or the blog's own thread's provider:
    `load_thread`). Its recorded target is read (else the provider detects one first); never
    raises CommentsUnavailable: on failure the stored copy is kept and the error recorded."""
    own = store.thread_state(article.id).provider
    if not name or name == own:
        return await load_thread(client, store, article, deadline=deadline)
    provider = PROVIDERS.get(name)
    if provider is None:
        return _failed(store, article, name, f"no comment source is called {name!r}")
    recorded = store.source_of(article.id, name)
    try:
        target, thread = await read_source(
            client, article, name, deadline=deadline, target=_target_of(recorded)
        )
    except CommentsUnavailable as error:
        return _failed(store, article, name, error.message)
    if recorded is None or not recorded.url:
        store.add_sources(article.id, [_recorded(article, name, target)])
    return _keep(store, article, name, thread)


async def read_source(
    client: httpx.AsyncClient,
    article: Article,
    name: str,
    *,
    deadline: float = 30.0,
    target: Target | None = None,
) -> tuple[Target, FetchedThread]:
    """Read source `name` of `article` at `target` (found first when None), storing nothing.
    Raises CommentsUnavailable (an unknown source, none for the article, any failure)."""
    provider = PROVIDERS.get(name)
    if provider is None:
        raise CommentsUnavailable(f"no comment source is called {name!r}")
    token = set_deadline(deadline)
    try:
        async with asyncio.timeout(deadline + 1.0):
            found = target or await _find_target(client, article, name)
            return found, await provider.fetch(client, found)
    except TimeoutError as error:
        raise CommentsUnavailable(f"gave up after {deadline:g} s") from error
    finally:
        reset_deadline(token)


def _target_of(source: ThreadSource | None) -> Target | None:
    if source is None or not (source.url or source.ident):
        return None
    return Target(source.name, source.url, source.ident, source.api_root, source.expected)


async def _find_target(client: httpx.AsyncClient, article: Article, name: str) -> Target:
    """Where source `name` keeps the article's thread; raises CommentsUnavailable if nowhere."""
    provider = PROVIDERS[name]
    if provider.kind == "discussion":
        found = await find_discussions(client, article, sites=[provider])
        if found and found[0].error:
            raise CommentsUnavailable(found[0].error)
        target = found[0].target if found else None
    else:
        target = await provider.detect(client, article, Hints(article))
    if target is None:
        raise CommentsUnavailable(f"{label_of(name)} has no thread for this article")
    return target


def _recorded(article: Article, name: str, target: Target) -> ThreadSource:
    return ThreadSource(article.id, name, kind_of(name), target.url, target.ident,
                        target.api_root, target.expected)  # fmt: skip


def _failed(store: Store, article: Article, name: str, message: str) -> ThreadResult:
    store.set_source(article.id, name, kind=kind_of(name), error=message)
    comments = store.comments_for(article.id, name)
    return ThreadResult(article.id, name, comments, error=message, source=name)


def _keep(store: Store, article: Article, name: str, thread: FetchedThread) -> ThreadResult:
    new = store.store_thread(article.id, thread.comments, provider=name, partial=thread.partial,
                             post_author_key=thread.post_author_key, source=name)  # fmt: skip
    if thread.comments_open is not None:
        store.set_comments_open(article.id, thread.comments_open, source=name)
    return ThreadResult(
        article.id, name, store.comments_for(article.id, name), new=new, partial=thread.partial,
        comments_open=thread.comments_open, source=name, note=thread.note,
    )  # fmt: skip


async def look_up_discussions(
    client: httpx.AsyncClient, store: Store, article: Article, *, deadline: float = 15.0
) -> list[Discussion]:
    """Ask every discussion site about `article` (`find_discussions`) and record each found
    discussion as a source of the article (its threads are read by `load_source`)."""
    found = await find_discussions(client, article, deadline=deadline)
    sources = [
        ThreadSource(
            article.id,
            d.provider,
            "discussion",
            d.target.url,
            d.target.ident,
            d.target.api_root,
            d.comments,
        )  # fmt: skip
        for d in found
        if d.ok and d.target is not None
    ]
    if sources:
        store.add_sources(article.id, sources)
    return found


def load_source_sync(
    store: Store,
    article: Article,
    name: str,
    *,
    deadline: float = 30.0,
    client_factory: ClientFactory | None = None,
) -> ThreadResult:
    """`load_source` with a short-lived client of its own, from a thread worker or a script."""

    async def run() -> ThreadResult:
        async with (client_factory or default_client)() as client:
            return await load_source(client, store, article, name, deadline=deadline)

    return asyncio.run(run())


def look_up_discussions_sync(
    store: Store,
    article: Article,
    *,
    deadline: float = 15.0,
    client_factory: ClientFactory | None = None,
) -> list[Discussion]:
    """`look_up_discussions` with a short-lived client of its own (see `load_source_sync`)."""

    async def run() -> list[Discussion]:
        async with (client_factory or default_client)() as client:
            return await look_up_discussions(client, store, article, deadline=deadline)

    return asyncio.run(run())


def page_systems_of(
    article: Article, *, deadline: float = 10.0, client_factory: ClientFactory | None = None
) -> tuple[list[str], str]:
    """(the comment systems the article's page shows, each with what gave it away; why the
    page could not be read, "" when it could), from a thread worker or a script."""

    async def run() -> tuple[list[str], str]:
        token = set_deadline(deadline)
        try:
            async with (client_factory or default_client)() as client:
                hints = Hints(article)
                async with asyncio.timeout(deadline + 1.0):
                    page = await hints.page(client)
        except TimeoutError:
            return [], f"no answer within {deadline:g} s"
        finally:
            reset_deadline(token)
        return (page_systems(page) if page is not None else []), hints.page_error

    if not article.link:
        return [], "the article has no link"
    return asyncio.run(run())
