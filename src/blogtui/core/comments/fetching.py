"""How providers fetch: every GET under one deadline per thread load and one size cap.

`get` uses `core.feeds.fetch.fetch` (deadline, size cap, http/https only) and turns every failure
into `CommentsUnavailable` with a one-line message.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

import httpx

from blogtui.core.errors import CommentsUnavailable, FeedError
from blogtui.core.feeds.fetch import FetchResult, HTTPStatusError, fetch

Item = TypeVar("Item")

MAX_BYTES = 8 * 2**20
"""Largest comment document accepted."""
DEFAULT_DEADLINE = 30.0

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "blogtui_comments_deadline", default=None
)


class StatusUnavailable(CommentsUnavailable):
    """The server answered with an error status (`status`)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def time_left() -> float:
    """Seconds left of the current thread load; raises CommentsUnavailable when none are."""
    end = _deadline.get()
    if end is None:
        return DEFAULT_DEADLINE
    left = end - time.monotonic()
    if left <= 0:
        raise CommentsUnavailable("gave up: loading the comments took too long")
    return left


def set_deadline(seconds: float) -> contextvars.Token[float | None]:
    """Start the clock for one thread load (every `get` shares it)."""
    return _deadline.set(time.monotonic() + seconds)


def reset_deadline(token: contextvars.Token[float | None]) -> None:
    """Stop the clock started by `set_deadline`."""
    _deadline.reset(token)


async def get(client: httpx.AsyncClient, url: str, what: str) -> FetchResult:
    """GET `url` (described as `what` in errors); raises CommentsUnavailable on any failure."""
    if not url:
        raise CommentsUnavailable(f"{what} has no address")
    try:
        result = await fetch(client, url, deadline=time_left(), max_bytes=MAX_BYTES)
    except HTTPStatusError as error:
        message = f"{what}: the server answered {error.message}"
        raise StatusUnavailable(message, error.status) from error
    except FeedError as error:
        raise CommentsUnavailable(f"{what}: {error.message}") from error
    if not 200 <= result.status < 300:
        message = f"{what}: the server answered HTTP {result.status}"
        raise StatusUnavailable(message, result.status)
    return result


def json_of(result: FetchResult, what: str) -> Any:
    """The body as JSON; raises CommentsUnavailable naming what came instead."""
    try:
        return json.loads(result.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        kind = result.media_type or "an unknown kind of document"
        raise CommentsUnavailable(f"{what}: expected JSON, the server sent {kind}") from error


async def gather_pages(pages: Iterable[Awaitable[list[Item]]]) -> tuple[list[Item], bool]:
    """Read `pages` concurrently: their items in page order, and whether any page was
    unavailable (CommentsUnavailable: the thread is then partial). Other errors propagate."""
    results = await asyncio.gather(*pages, return_exceptions=True)
    found: list[Item] = []
    failed = False
    for result in results:
        if isinstance(result, CommentsUnavailable):
            failed = True
        elif isinstance(result, BaseException):
            raise result
        else:
            found.extend(result)
    return found, failed
