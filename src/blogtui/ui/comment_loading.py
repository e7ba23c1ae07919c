"""Loading a comment thread from a thread worker (the UI's event loop is never blocked)."""

from __future__ import annotations

import asyncio
from typing import Any

from blogtui.core.comments import ThreadResult, load_thread
from blogtui.core.fetch import make_client
from blogtui.core.models import Article


async def _load(store: Any, article: Article, deadline: float) -> ThreadResult:
    async with make_client(4) as client:
        return await load_thread(client, store, article, deadline=deadline)


def load_thread_sync(store: Any, article: Article, *, deadline: float = 30.0) -> ThreadResult:
    """Fetch and store `article`'s thread with a short-lived HTTP client; never raises for
    an unreachable thread (the result's `error` says why). Call it from a thread worker."""
    return asyncio.run(_load(store, article, deadline))
