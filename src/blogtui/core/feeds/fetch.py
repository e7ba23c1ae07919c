"""Fetching one feed over HTTP: conditional GET, redirects by hand, a total deadline, size caps.

The client never follows redirects or decodes bodies itself: `fetch` does both so that every hop
is checked (http/https only, no loops, at most `max_hops`) and so that a compressed body is capped
after decompression (a gzip bomb stops at `max_bytes`).

No URL goes on the wire with `user:password@` in it: a login (core/feeds/logins.py) travels as
an Authorization header, to its own origin only. A Location's userinfo is dropped; the caller's
own userinfo stays on the URLs returned for its origin (feed URLs never carry any).
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from blogtui.core.errors import FeedError
from blogtui.core.feeds.logins import (
    FeedLogin,
    origin,
    redact,
    refuse_plain_http,
    split_login,
    strip_userinfo,
    unauthorized_hint,
    with_login,
    with_userinfo,
)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
RETRY_STATUSES = frozenset({429, 503})
RETRY_MIN = 60.0
RETRY_MAX = 24 * 3600.0
_CHUNK = 64 * 1024
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch gave: a body (2xx), not_modified (304), 410 or 429/503 with retry_after."""

    status: int
    url: str
    """The URL the fetch began at."""
    final_url: str
    """Where the redirects (if any) led."""
    permanent_url: str = ""
    """`final_url` when there were redirects and every one was 301/308; else ""."""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    """The final response's headers, names lowercased, repeated ones joined with ", "."""
    etag: str = ""
    last_modified: str = ""
    retry_after: float | None = None
    """Seconds to wait (429/503), clamped to [60 s, 24 h]; None when absent or unreadable."""
    not_modified: bool = False

    @property
    def text(self) -> str:
        """The body as text, in the charset the server named (UTF-8 otherwise)."""
        match = _CHARSET.search(self.headers.get("content-type", ""))
        try:
            return self.body.decode(match.group(1) if match else "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def media_type(self) -> str:
        """The response's media type, lowercased, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class HTTPStatusError(FeedError):
    """The server answered with an error status; `status` says which."""

    def __init__(self, status: int, reason: str = "", hint: str = "") -> None:
        phrase = redact(reason or status_phrase(status))
        text = f"HTTP {status} {phrase}".rstrip()
        super().__init__(f"{text}: {hint}" if hint else text)
        self.status = status


def status_phrase(status: int) -> str:
    """The standard reason phrase of an HTTP status, or ""."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def clean_validator(value: str | None) -> str:
    """`value` when it is safe to send back (printable ASCII), else ""."""
    if not value:
        return ""
    value = value.strip()
    if value.isascii() and value.isprintable():
        return value
    return ""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After value (delta-seconds or an HTTP date), clamped; None if bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true too
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None or when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, RETRY_MIN), RETRY_MAX)


def _megabytes(count: int) -> str:
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count / 1024:g} KB"


class _Decoder:
    """Incremental Content-Encoding decoding with a cap on the decoded size."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self.encoding = encoding
        self.max_bytes = max_bytes
        self.parts: list[bytes] = []
        self.size = 0
        self.pending = b""
        self.inflater: Any = None
        if encoding == "gzip":
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _too_big(self) -> FeedError:
        return FeedError(f"body larger than {_megabytes(self.max_bytes)}")

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise self._too_big()
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        """Decode one raw chunk."""
        if self.encoding == "identity":
            return self._add(chunk)
        if self.inflater is None:  # deflate: zlib-wrapped or raw, decided on the first bytes
            self.pending += chunk
            if len(self.pending) < 2:
                return
            chunk, self.pending = self.pending, b""
            wrapped = (chunk[0] & 0x0F) == 8 and (chunk[0] * 256 + chunk[1]) % 31 == 0
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        self._inflate(chunk)

    def _inflate(self, data: bytes) -> None:
        try:
            while data and self.inflater is not None:
                out = self.inflater.decompress(data, self.max_bytes - self.size + 1)
                self._add(out)
                data = self.inflater.unconsumed_tail
                if self.inflater.eof:
                    data = self.inflater.unused_data
                    if self.encoding != "gzip" or not data.startswith(b"\x1f\x8b"):
                        break  # trailing garbage after the stream is ignored
                    self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        except zlib.error as error:
            raise FeedError(f"bad {self.encoding} data: {error}") from error

    def finish(self) -> bytes:
        """The decoded body; raises when a compressed stream was cut short."""
        if self.pending:
            self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            self._inflate(self.pending)
        if self.inflater is not None and not self.inflater.eof and self.size:
            raise FeedError(f"{self.encoding} body is truncated")
        return b"".join(self.parts)


def _content_encoding(headers: httpx.Headers) -> str:
    """The one supported coding of a response: identity, gzip or deflate; raises otherwise."""
    raw = ", ".join(headers.get_list("content-encoding"))
    codings = [c.strip().lower() for c in raw.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise FeedError(f"stacked Content-Encoding '{raw}' is not supported")
    if not codings:
        return "identity"
    coding = {"x-gzip": "gzip"}.get(codings[0], codings[0])
    if coding not in ("gzip", "deflate"):
        raise FeedError(f"unknown Content-Encoding '{codings[0]}'")
    return coding


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, capped at `max_bytes` before and after decoding."""
    decoder = _Decoder(_content_encoding(response.headers), max_bytes)
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise decoder._too_big()
    raw = 0
    async for chunk in response.aiter_raw():  # as they arrive: re-chunking only copies
        raw += len(chunk)
        if raw > max_bytes:
            raise decoder._too_big()
        decoder.feed(chunk)
    return decoder.finish()


def _request_headers(etag: str, last_modified: str) -> dict[str, str]:
    headers = {}
    if etag := clean_validator(etag):
        headers["If-None-Match"] = etag
    if last_modified := clean_validator(last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


def _next_hop(current: str, response: httpx.Response, seen: set[str], hops: int) -> str:
    """The URL a redirect leads to, after checking its scheme, loops and the hop count."""
    location = response.headers.get("location", "").strip()
    if not location:
        raise FeedError(f"HTTP {response.status_code} redirect without a Location")
    target = strip_userinfo(str(urljoin(current, str(location))))
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise FeedError(f"redirect to unsupported scheme '{scheme}'")
    if target in seen:
        raise FeedError("redirect loop")
    if len(seen) > hops:
        raise FeedError(f"too many redirects (more than {hops})")
    return target


def _result(
    url: str, final: str, permanent: bool, response: httpx.Response, body: bytes = b""
) -> FetchResult:
    headers = {name.lower(): value for name, value in response.headers.items()}
    status = response.status_code
    retry = parse_retry_after(headers.get("retry-after")) if status in RETRY_STATUSES else None
    return FetchResult(
        status=status,
        url=url,
        final_url=final,
        permanent_url=final if permanent and final != url else "",
        body=body,
        headers=headers,
        etag=clean_validator(headers.get("etag")),
        last_modified=clean_validator(headers.get("last-modified")),
        retry_after=retry,
        not_modified=status == 304,
    )


async def _drain(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a small unwanted body so the connection can be kept alive; give up past `limit`."""
    total = 0
    async for chunk in response.aiter_raw(_CHUNK):
        total += len(chunk)
        if total > limit:
            break


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    max_hops: int,
    timeout: httpx.Timeout,
    login: FeedLogin | None,
) -> FetchResult:
    current, seen, permanent = url, {url}, True
    while True:
        scheme = urlsplit(current).scheme.lower()
        if scheme not in ("http", "https"):
            raise FeedError(f"unsupported URL scheme '{scheme}'")
        sent = with_login(headers, login, current)
        try:
            request = client.build_request("GET", current, headers=sent, timeout=timeout)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise FeedError(f"invalid URL {current!r}: {_reason(error)}") from error
        response = await _send(client, request)
        try:
            status = response.status_code
            if 200 <= status < 300:
                body = await _read_body(response, max_bytes)
                return _result(url, current, permanent, response, body)
            await _drain(response)
            if status in REDIRECTS:
                permanent = permanent and status in PERMANENT
                current = _next_hop(current, response, seen, max_hops)
                seen.add(current)
                continue
            if status in (304, 410) or status in RETRY_STATUSES:
                return _result(url, current, permanent, response)
            hint = unauthorized_hint(login, current) if status == 401 else ""
            raise HTTPStatusError(status, response.reason_phrase, hint)
        finally:
            await response.aclose()


async def _send(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """Send `request` without following redirects, reading only the headers."""
    try:
        return await client.send(request, stream=True, follow_redirects=False)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        # httpx prepares a redirect's next request even when not following it, and fails on
        # Locations such as "data:,x" or "javascript:..." before handing the response back.
        raise FeedError(f"redirect to an invalid or unsupported URL ({_reason(error)})") from error
    except httpx.RemoteProtocolError as error:
        if "location header" in str(error).lower():
            raise FeedError(f"redirect to an invalid URL ({_reason(error)})") from error
        raise


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    deadline: float = 30.0,
    max_bytes: int = 5 * 2**20,
    max_hops: int = 5,
    login: FeedLogin | None = None,
) -> FetchResult:
    """GET `url` with validators, following at most `max_hops` redirects, within `deadline` s.

    `login` (or a `user:password@` in `url`) goes only to its own origin over https or to a
    loopback literal; a login for a plain-http URL of another host is refused before sending.
    Returns a FetchResult for 2xx, 304, 410, 429 and 503; raises FeedError for anything else.
    """
    given = url
    url, embedded = split_login(url)
    login = login or embedded
    refuse_plain_http(url, login)
    headers = _request_headers(etag, last_modified)
    timeout = httpx.Timeout(deadline, connect=min(deadline, 15.0))
    try:
        async with asyncio.timeout(deadline):
            result = await _fetch(client, url, headers, max_bytes, max_hops, timeout, login)
            return _as_given(result, given) if embedded else result
    except (TimeoutError, httpx.TimeoutException) as error:
        raise FeedError(f"timed out after {deadline:g} s") from error
    except httpx.ConnectError as error:
        raise FeedError(f"cannot connect: {_reason(error)}") from error
    except httpx.HTTPError as error:
        raise FeedError(f"connection failed: {_reason(error)}") from error


def _as_given(result: FetchResult, given: str) -> FetchResult:
    """`result` with the caller's userinfo back on the URLs of its origin."""
    same = origin(given)
    final, moved = (with_userinfo(u, given) if origin(u) == same else u
                    for u in (result.final_url, result.permanent_url))  # fmt: skip
    return dataclasses.replace(result, url=given, final_url=final, permanent_url=moved)


def _reason(error: Exception) -> str:
    text = redact(str(error).strip()) or type(error).__name__
    return text.splitlines()[0][:200]
