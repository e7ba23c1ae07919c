"""Loading a comment thread from a thread worker or a script: its own event loop and client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from blogtui.core.comments import ThreadResult, load_thread
from blogtui.core.models import Article

if TYPE_CHECKING:
    from blogtui.core.store import Store

ClientFactory = Callable[[], httpx.AsyncClient]
"""Makes the HTTP client one load uses and closes (the app's `make_client`)."""


def default_client() -> httpx.AsyncClient:
    """core.feeds.fetch's client, with four connections per host."""
    from blogtui.core.feeds.fetch import make_client

    return make_client(4)


async def _load(
    store: Store, article: Article, deadline: float, client_factory: ClientFactory
) -> ThreadResult:
    async with client_factory() as client:
        return await load_thread(client, store, article, deadline=deadline)


def load_thread_sync(
    store: Store,
    article: Article,
    *,
    deadline: float = 30.0,
    client_factory: ClientFactory | None = None,
) -> ThreadResult:
    """Fetch and store `article`'s thread with a short-lived client from `client_factory`
    (core.feeds.fetch's by default); never raises for an unreachable thread (the result's
    `error` says why). Call it from a thread worker: it runs an event loop of its own."""
    factory = client_factory or default_client
    return asyncio.run(_load(store, article, deadline, factory))
