"""Reading a hosted comment service's JSON API (Disqus, Discourse): error bodies kept, keys safe.

`core.comments.fetching.get` drops the body of an error answer; a service says *why* in it
(Disqus's `code`, Discourse's `error_type`), so `api_get` keeps it. It never follows a redirect
(a key must not travel on), sends a credential only where `check_destination` allows (https, or
a loopback literal), and never puts a URL in a message: a Disqus key rides in the query string.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from blogtui.core.comments.fetching import MAX_BYTES, time_left
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.fetch import parse_retry_after
from blogtui.core.posting.credentials import CredentialError, check_destination

KeySource = Callable[[], str]
"""Gives a service key ("" when none is configured); called once per fetch."""

RETRY_WAIT_MAX = 5.0
"""A Retry-After at most this long (seconds) is waited out once; longer ones end the read."""


class RateLimited(CommentsUnavailable):
    """The service refused for now; `wait` is how long it asked for (None when unsaid)."""

    def __init__(self, message: str, wait: float | None) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True, slots=True)
class Answer:
    """One API answer, whatever its status: status, lowercased headers, the JSON body (or None)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    data: Any = None
    body: bytes = b""


def mapping(value: object) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def wait_words(seconds: float | None) -> str:
    """How long to wait, in words: "in 3 min", "in 40 s" or "later"."""
    if seconds is None or seconds <= 0:
        return "later"
    return f"in {round(seconds / 60)} min" if seconds >= 90 else f"in {round(seconds)} s"


def retry_after(headers: dict[str, str]) -> float | None:
    """Seconds a Retry-After header asks for (unclamped below: 2 means 2), or None."""
    value = headers.get("retry-after", "").strip()
    if value.isascii() and value.isdigit():
        return float(value)
    return parse_retry_after(value) if value else None


async def api_get(
    client: httpx.AsyncClient,
    url: str,
    what: str,
    *,
    headers: dict[str, str] | None = None,
    secret: bool = False,
    as_json: bool = True,
) -> Answer:
    """GET `url` (as JSON unless `as_json` is False); `secret` when the URL or headers carry a
    key (checked first).

    Raises CommentsUnavailable (never naming the URL) on network failures, redirects, bodies
    over MAX_BYTES and non-JSON success answers. Error statuses are returned, not raised.
    """
    if secret:
        try:
            check_destination(url)
        except CredentialError as error:
            raise CommentsUnavailable(f"{what}: {error.message}") from None
        except ValueError:
            raise CommentsUnavailable(f"{what}: its address is not a valid URL") from None
    accept = "application/json" if as_json else "text/html"
    sent = {"Accept": accept, "Accept-Encoding": "identity", **(headers or {})}
    try:
        async with asyncio.timeout(time_left()):
            async with client.stream("GET", url, headers=sent, follow_redirects=False) as reply:
                body = await _read(reply, what)
                status, got = reply.status_code, {k.lower(): v for k, v in reply.headers.items()}
    except (TimeoutError, httpx.TimeoutException):
        raise CommentsUnavailable(f"{what}: no answer in time") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise CommentsUnavailable(f"{what}: connection failed ({type(error).__name__})") from None
    if 300 <= status < 400:
        raise CommentsUnavailable(f"{what}: the server answered with a redirect; not followed")
    if not as_json:
        return Answer(status, got, None, body)
    try:
        data = json.loads(body.decode("utf-8-sig")) if body.strip() else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        if 200 <= status < 300:
            kind = got.get("content-type", "").split(";")[0].strip() or "something else"
            raise CommentsUnavailable(f"{what}: expected JSON, the server sent {kind}") from None
        data = None
    return Answer(status, got, data, body)


async def _read(reply: httpx.Response, what: str) -> bytes:
    """The body, decoded, capped at MAX_BYTES."""
    parts: list[bytes] = []
    size = 0
    encoded = reply.headers.get("content-encoding", "identity").strip().lower() != "identity"
    chunks = reply.aiter_bytes() if encoded else reply.aiter_raw()
    async for chunk in chunks:
        size += len(chunk)
        if size > MAX_BYTES:
            raise CommentsUnavailable(f"{what}: the answer is larger than {MAX_BYTES >> 20} MB")
        parts.append(chunk)
    return b"".join(parts)


def stored_key(entry: str, secrets_dir: Path | None = None) -> str:
    """The key stored in blogtui's credentials (in `secrets_dir`, else the default places')
    under `entry`; "" when none or unreadable."""
    from blogtui.core.paths import places
    from blogtui.core.posting.credentials import CredentialStore

    try:
        found = CredentialStore(secrets_dir or places().secrets_dir).get_entry(entry)
    except CredentialError:
        return ""
    return found.password.reveal() if found else ""
