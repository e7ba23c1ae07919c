"""Loading a comment thread from a thread worker (the UI's event loop is never blocked)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from blogtui.core.comments import ThreadResult, load_thread
from blogtui.core.models import Article

ClientFactory = Callable[[], httpx.AsyncClient]
"""Makes the HTTP client one load uses and closes (the app's `make_client`)."""


def _default_client() -> httpx.AsyncClient:
    from blogtui.core.feeds.fetch import make_client

    return make_client(4)


async def _load(
    store: Any, article: Article, deadline: float, client_factory: ClientFactory
) -> ThreadResult:
    async with client_factory() as client:
        return await load_thread(client, store, article, deadline=deadline)


def load_thread_sync(
    store: Any,
    article: Article,
    *,
    deadline: float = 30.0,
    client_factory: ClientFactory | None = None,
) -> ThreadResult:
    """Fetch and store `article`'s thread with a short-lived client from `client_factory`
    (the app's; core.fetch's by default); never raises for an unreachable thread (the
    result's `error` says why). Call it from a thread worker."""
    factory = client_factory or _default_client
    return asyncio.run(_load(store, article, deadline, factory))
