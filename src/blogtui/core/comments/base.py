"""What every comment provider is: the `CommentProvider` interface and the helpers they share.

A provider first *detects* whether it can read an article's thread (returning a `Target`, or
None when the article shows no sign of it), then *fetches* that target. Every HTTP GET goes
through `get`, which uses `core.fetch.fetch` (deadline, size cap, http/https only) and turns
every failure into `CommentsUnavailable` with a one-line message.
"""

from __future__ import annotations

import contextvars
import json
import re
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx

from blogtui.core.errors import CommentsUnavailable, FeedError
from blogtui.core.feeds.fetch import FetchResult, HTTPStatusError, fetch
from blogtui.core.models import Article, CommentData

MAX_BYTES = 8 * 2**20
"""Largest comment document accepted."""
DEFAULT_DEADLINE = 30.0

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "blogtui_comments_deadline", default=None
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where one provider will read one article's thread.

    `url` is the provider's endpoint (REST root, feed, Isso server), `ident` the thread's id
    there (post id, thread URI), `api_root` what to remember for the blog, `expected` the
    comment count the article claims (for partial marking).
    """

    provider: str
    url: str
    ident: str = ""
    api_root: str = ""
    expected: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedThread:
    """A thread as a provider read it; `partial` when the source could not give all of it."""

    comments: list[CommentData]
    partial: bool = False
    comments_open: bool | None = None


@dataclass(frozen=True, slots=True)
class PageLink:
    """A `<link>` (or `<a>`) element: its rel values, type and resolved href."""

    rel: frozenset[str]
    type: str
    href: str


@dataclass(frozen=True, slots=True)
class Page:
    """The article's web page, read once and shared by every provider."""

    url: str
    headers: dict[str, str]
    links: list[PageLink] = field(default_factory=list)
    isso_server: str = ""
    isso_id: str = ""

    def link(self, rel: str, type_: str = "") -> str:
        """The href of the first `<link>` (or Link header) with `rel` (and `type_`), or ""."""
        for found in link_header(self.headers.get("link", ""), self.url):
            if rel in found.rel and (not type_ or found.type == type_):
                return found.href
        for found in self.links:
            if rel in found.rel and (not type_ or found.type == type_):
                return found.href
        return ""


class _PageParser(HTMLParser):
    """Collects `<link>` elements and Isso's markers from a page."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[PageLink] = []
        self.isso_server = ""
        self.isso_id = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        if tag == "link" and values.get("href"):
            rel = frozenset(values.get("rel", "").lower().split())
            href = httpx.URL(self.base).join(values["href"])
            self.links.append(PageLink(rel, values.get("type", "").lower(), str(href)))
        elif tag == "script" and not self.isso_server:
            self.isso_server = _isso_server(values, self.base)
        elif tag == "section" and values.get("id") == "isso-thread":
            self.isso_id = values.get("data-isso-id", "")


def _isso_server(values: dict[str, str], base: str) -> str:
    """The Isso server a `<script>` tag names: its data-isso, or where embed.js came from."""
    if values.get("data-isso"):
        return str(httpx.URL(base).join(values["data-isso"]))
    src = values.get("src", "")
    match = re.search(r"^(.*/)js/embed\.(?:min|dev)\.js(?:\?.*)?$", src)
    return str(httpx.URL(base).join(match.group(1))) if match else ""


def parse_page(html: str, url: str, headers: dict[str, str]) -> Page:
    """Read the links and Isso markers of an HTML page."""
    parser = _PageParser(url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken page just yields fewer links
        pass
    return Page(url, headers, parser.links, parser.isso_server, parser.isso_id)


_LINK_VALUE = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_LINK_PARAM = re.compile(r";\s*([\w*-]+)\s*=\s*(?:\"([^\"]*)\"|([^;,\s]*))")


def link_header(value: str, base: str) -> list[PageLink]:
    """The links of an HTTP `Link:` header, hrefs resolved against `base`."""
    found = []
    for match in _LINK_VALUE.finditer(value or ""):
        params = {
            m.group(1).lower(): m.group(2) or m.group(3)
            for m in _LINK_PARAM.finditer(match.group(2))
        }
        rel = frozenset(params.get("rel", "").lower().split())
        try:
            href = str(httpx.URL(base).join(match.group(1).strip()))
        except (httpx.InvalidURL, ValueError):
            continue
        found.append(PageLink(rel, params.get("type", "").lower(), href))
    return found


class StatusUnavailable(CommentsUnavailable):
    """The server answered with an error status (`status`)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Hints:
    """What is known about an article before any provider ran; fetches its page at most once."""

    def __init__(self, article: Article, api_root: str = "") -> None:
        self.article = article
        self.api_root = api_root
        self._page: Page | None = None
        self.page_error = ""
        self._tried = False

    async def page(self, client: httpx.AsyncClient) -> Page | None:
        """The article's page, or None when it has no link or cannot be read."""
        if not self._tried:
            self._tried = True
            try:
                result = await get(client, self.article.link, "the article page")
            except CommentsUnavailable as error:
                self.page_error = error.message
            else:
                url = result.final_url or result.url
                self._page = parse_page(decode(result), url, result.headers)
        return self._page


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


def decode(result: FetchResult) -> str:
    """The body as text, in the charset the server named (UTF-8 otherwise)."""
    match = re.search(r"charset=[\"']?([\w.:-]+)", result.headers.get("content-type", ""), re.I)
    try:
        return result.body.decode(match.group(1) if match else "utf-8", errors="replace")
    except LookupError:
        return result.body.decode("utf-8", errors="replace")


def content_type(result: FetchResult) -> str:
    """The response's media type, lowercased, without parameters."""
    return result.headers.get("content-type", "").split(";")[0].strip().lower()


def json_of(result: FetchResult, what: str) -> Any:
    """The body as JSON; raises CommentsUnavailable naming what came instead."""
    try:
        return json.loads(result.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        kind = content_type(result) or "an unknown kind of document"
        raise CommentsUnavailable(f"{what}: expected JSON, the server sent {kind}") from error


class CommentProvider(ABC):
    """A way of reading comment threads (WordPress REST, Atom threading, RSS, Isso…).

    Providers keep no state between calls; one instance serves every article.
    """

    name: str = ""
    """Stable identifier stored per thread and per blog ("wordpress", "atom", …)."""

    @abstractmethod
    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """Where this provider would read `article`'s thread, or None if the article shows no
        sign of it. May fetch the article's page (through `hints.page`) or probe an API.

        Raises CommentsUnavailable when the provider clearly applies but its source is broken
        (the message says how).
        """

    @abstractmethod
    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Read the whole thread at `target` (as much as the source allows; else `partial`).

        Raises CommentsUnavailable with a one-line message on any failure: network errors,
        timeouts, error statuses, and answers that are not what the provider expects.
        """
