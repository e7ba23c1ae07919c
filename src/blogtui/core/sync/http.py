"""The one way sync backends talk to servers: `call` and `json_of`.

Credentials go only over https or to a loopback literal (`check_destination`), redirects are
never followed (a redirect would carry them elsewhere), bodies are read up to `MAX_BYTES`,
and every failure becomes a one-line `SyncError` that never contains a password or token.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from blogtui.core.posting.credentials import CredentialError, check_destination
from blogtui.core.sync.base import SyncError
from blogtui.core.text.sanitize import clean

MAX_BYTES = 32 * 2**20
"""Largest answer accepted from a sync server (a page of article bodies, a long id list)."""
TIMEOUT = 60.0
"""Seconds one request may take."""


@dataclass(frozen=True, slots=True)
class Reply:
    """A server's answer: status, headers and the whole (bounded) body."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text (bad bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")


def shown(text: object, limit: int = 200) -> str:
    """Server text as one safe line for an error message."""
    return clean(str(text), limit=limit)


async def call(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    what: str,
    params: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_BYTES,
) -> Reply:
    """One request to a sync server (`what` names it in errors); any status is returned.

    Raises SyncError when the destination may not receive credentials, on a network failure
    or timeout, on a redirect, or when the body is larger than `max_bytes`.
    """
    try:
        check_destination(url)
    except CredentialError as error:
        raise SyncError(error.message) from None
    content = None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if json_body is not None:
        all_headers["Content-Type"] = "application/json; charset=utf-8"
        content = json.dumps(json_body).encode("utf-8")
    try:
        request = client.build_request(
            method,
            url,
            params=params,
            data=data,
            content=content,
            headers=all_headers,
            timeout=httpx.Timeout(TIMEOUT, connect=min(TIMEOUT, 15.0)),
        )
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            body = await _read(response, max_bytes, what)
        finally:
            await response.aclose()
    except httpx.TimeoutException:
        raise SyncError(f"{what}: the server did not answer in time") from None
    except httpx.HTTPError as error:
        reason = shown(str(error).splitlines()[0] if str(error) else type(error).__name__)
        raise SyncError(f"{what}: cannot reach the server ({reason})") from None
    if 300 <= response.status_code < 400:
        raise SyncError(
            f"{what}: the server redirected (HTTP {response.status_code}); check the URL"
        )
    return Reply(response.status_code, response.headers, body)


async def _read(response: httpx.Response, max_bytes: int, what: str) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise SyncError(f"{what}: the answer is larger than {max_bytes // 2**20} MB")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SyncError(f"{what}: the answer is larger than {max_bytes // 2**20} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def json_of(reply: Reply, what: str) -> Any:
    """The body as JSON; raises SyncError saying what came instead (garbage, HTML, nothing)."""
    try:
        return json.loads(reply.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        kind = reply.headers.get("content-type", "").split(";")[0].strip() or "no content type"
        status = f"HTTP {reply.status}, " if reply.status != 200 else ""
        raise SyncError(
            f"{what}: expected JSON, the server sent something else ({status}{kind})"
        ) from None
