"""Waline (https://waline.js.org): a self-hosted comment server with a JSON API.

The article page loads `@waline/client` and calls `init({el: '#waline', serverURL:
'https://comments.example', path: …})` (older clients: `Waline.init` / `new Waline`); themes
often keep the same options as JSON (`"serverURL": "…"`). The thread is `path` when the page
sets it to a string, else the page's path, `decodeURI`d as the client does.

`GET {server}/api/comment?path=P&page=N&pageSize=100&sortBy=insertedAt_asc` answers `{errno,
errmsg, data: {page, totalPages, pageSize, count, data: [root, …]}}`: one page of top-level
comments (`pageSize` at most 100), each with `children`, every reply below it flat, each naming
its parent in `pid` (and its top-level comment in `rid`). A comment has `objectId`, `nick`,
`link`, `comment` (HTML the server rendered from Markdown and purified), `orig` (the text as
sent), `time` (ms since the epoch) and `status` ("approved"; anonymous readers never see
"waiting" or "spam"). Errors come as `{errno: N, errmsg}`, at HTTP 200 or an error status.
Pages after the first are read concurrently; oldest first, so pages do not shift as new
top-level comments arrive.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import gather_pages
from blogtui.core.comments.page import Page
from blogtui.core.comments.service import RateLimited, api_get, mapping, retry_after, wait_words
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData

WHAT = "the Waline server"
PAGE_SIZE = 100
"""Top-level comments per request (the most Waline allows)."""
MAX_PAGES = 50
"""At most this many pages of top-level comments are read; a longer thread is partial."""
MAX_COMMENTS = 20000
CONCURRENCY = 4
"""Pages read at once."""
_STATUS = {"approved": "approved", "waiting": "pending", "spam": "spam"}

_SERVER = re.compile(
    r"""["']?serverURL["']?\s*:\s*(["'`])(\s*https?:(?:\\?/){2}[^"'`\s]{1,500})\1"""
)
_PATH = re.compile(r"""["']?\bpath["']?\s*:\s*(["'`])(\\?/[^"'`]{0,1000})\1""")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_RESERVED = frozenset(";/?:@&=+$,#")
_JS_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)")


@dataclass(frozen=True, slots=True)
class WalineEmbed:
    """What a page says about its Waline thread: the server and the thread's path."""

    server: str
    path: str


@dataclass(frozen=True, slots=True)
class WalineTarget(Target):
    """A Waline thread; `page` is the article's address, for each comment's permalink."""

    page: str = ""


def decode_uri(path: str) -> str:
    """`path` as JavaScript's `decodeURI` leaves it: escapes decoded, except reserved characters
    (and escapes that are not UTF-8, kept as they are)."""

    def one(match: re.Match[str]) -> str:
        escaped = match.group(0)
        try:
            text = bytes.fromhex(escaped.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return escaped
        return "".join(quote(c, safe="") if c in _RESERVED else c for c in text)

    return _ESCAPES.sub(one, path)


def unescape(literal: str) -> str:
    """A JavaScript (or JSON) string literal's text: `\\u00fc` is ü, `\\/` is /."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return {"n": "\n", "t": "\t", "r": "\r"}.get(code, code)

    return _JS_ESCAPE.sub(one, literal) if "\\" in literal else literal


def _options(text: str, at: int) -> str:
    """The object literal around position `at` (its braces counted, strings ignored)."""
    depth, start = 0, max(0, at - 4000)
    for index in range(at, start - 1, -1):
        if text[index] == "}":
            depth += 1
        elif text[index] == "{":
            if depth == 0:
                start = index
                break
            depth -= 1
    depth, end = 0, min(len(text), at + 4000)
    for index in range(start + 1, end):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            if depth == 0:
                return text[start : index + 1]
            depth -= 1
    return text[start:end]


def find_embed(page: Page) -> WalineEmbed | None:
    """The page's Waline thread, or None when the page shows no Waline client with a server."""
    text = page.script_text
    loaded = any("waline" in src.lower() for src in page.script_srcs)
    if not (loaded or "waline" in text.lower()):  # `@waline/client`, `Waline.init`, a theme's
        return None  # `waline: {serverURL: …}`
    match = _SERVER.search(text)
    if match is None:
        return None
    try:
        server = str(httpx.URL(page.url).join(unescape(match.group(2)).strip())).rstrip("/")
    except (httpx.InvalidURL, ValueError):
        return None
    if not server.lower().startswith(("https://", "http://")):
        return None
    found = _PATH.search(_options(text, match.start()))
    path = unescape(found.group(2)) if found else (urlsplit(page.url).path or "/")
    return WalineEmbed(server, decode_uri(path))


def _number(value: object) -> str:
    """An id: a positive integer, or a non-empty string (LeanCloud and MongoDB ids)."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value) if value > 0 else ""
    if isinstance(value, str) and 0 < len(value) <= 64 and value.isalnum():
        return value
    return ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def comment_of(item: Any, page_url: str = "") -> CommentData | None:
    """One Waline comment as CommentData; None when it has no usable id."""
    if not isinstance(item, dict):
        return None
    key = _number(item.get("objectId"))
    if not key:
        return None
    stamp = item.get("time")
    published = stamp / 1000.0 if isinstance(stamp, int | float) and stamp > 0 else None
    return CommentData(
        key=key,
        parent_key=_number(item.get("pid")) or _number(item.get("rid")),
        author=_text(item.get("nick")),
        content=_text(item.get("comment")),
        published=published,
        author_url=_text(item.get("link")),
        link=f"{page_url.split('#')[0]}#{key}" if page_url else "",
        status=_STATUS.get(_text(item.get("status")), "approved"),
    )


def items_of(roots: list[Any]) -> list[dict[str, Any]]:
    """Every comment object of one page: each top-level comment, then its replies."""
    found: list[dict[str, Any]] = []
    for root in roots:
        if isinstance(root, dict):
            children = root.get("children")
            replies = children if isinstance(children, list) else []
            found.extend(item for item in [root, *replies] if isinstance(item, dict))
    return found


def comments_of(items: list[dict[str, Any]], page_url: str = "") -> list[CommentData]:
    """`items` (see `items_of`) as CommentData, those without a usable id left out."""
    return [c for c in (comment_of(item, page_url) for item in items) if c is not None]


def comment_api(server: str) -> str:
    """Where a server's comments are read and posted."""
    return f"{server.rstrip('/')}/api/comment"


def page_url(server: str, path: str, page: int) -> str:
    """The API URL of one page of the thread `path`."""
    query = {"path": path, "page": page, "pageSize": PAGE_SIZE, "sortBy": "insertedAt_asc",
             "lang": "en"}  # fmt: skip
    return f"{comment_api(server)}?{urlencode(query, quote_via=quote)}"


def error_of(status: int, data: object, headers: dict[str, str]) -> CommentsUnavailable:
    """What a failed Waline answer means."""
    said = _text(mapping(data).get("errmsg")).strip()[:200]
    if status == 429:
        wait = retry_after(headers)
        return RateLimited(f"{WHAT} is rate limiting; try again {wait_words(wait)}", wait)
    if status == 404:
        return CommentsUnavailable(f"{WHAT} has no /api/comment (a Waline older than 1.x?)")
    if status in (401, 403):
        return CommentsUnavailable(f"{WHAT} refused to list comments (HTTP {status})")
    detail = f": {said}" if said else ""
    if status != 200:
        return CommentsUnavailable(f"{WHAT} answered HTTP {status}{detail}")
    return CommentsUnavailable(f"{WHAT} answered with an error{detail}")


async def read_page(
    client: httpx.AsyncClient, server: str, path: str, page: int, referer: str = ""
) -> dict[str, Any]:
    """One page's `data` object; raises CommentsUnavailable for anything else. `referer` is the
    article page (a server with SECURE_DOMAINS answers only pages of its own sites)."""
    headers = {"Referer": referer} if referer else {}
    answer = await api_get(client, page_url(server, path, page), WHAT, headers=headers)
    data = mapping(answer.data)
    if answer.status != 200 or data.get("errno") not in (0, None):
        raise error_of(answer.status, data, answer.headers)
    body = data.get("data")
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise CommentsUnavailable(f"{WHAT} did not answer with a comment list")
    return body


async def read_thread(
    client: httpx.AsyncClient,
    server: str,
    path: str,
    *,
    referer: str = "",
    concurrency: int = CONCURRENCY,
) -> tuple[list[dict[str, Any]], bool]:
    """Every comment object of the thread `path` (see `items_of`), and whether some are missing:
    the first page, then the others, at most `concurrency` at once."""
    first = await read_page(client, server, path, 1, referer)
    total = _pages(first.get("totalPages"))
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(number: int) -> list[dict[str, Any]]:
        async with gate:
            body = await read_page(client, server, path, number, referer)
        return items_of(body["data"])

    more, failed = await gather_pages(one(n) for n in range(2, min(total, MAX_PAGES) + 1))
    items = items_of(first["data"]) + more
    partial = failed or total > MAX_PAGES or len(items) > MAX_COMMENTS
    return items[:MAX_COMMENTS], partial


def _pages(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


class WalineProvider(CommentProvider):
    """Comments from the Waline server the article page embeds."""

    name = "waline"
    label = "Waline"

    def __init__(self, concurrency: int = CONCURRENCY) -> None:
        self.concurrency = max(1, concurrency)

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page embeds a Waline client with a server."""
        page = await hints.page(client)
        embed = find_embed(page) if page else None
        if embed is None or page is None:
            return None
        return WalineTarget(self.name, embed.server, embed.path, api_root=embed.server,
                            expected=article.comment_count, page=page.url)  # fmt: skip

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The whole thread: the first page, then the others concurrently."""
        shown = target.page if isinstance(target, WalineTarget) else ""
        items, partial = await read_thread(client, target.url, target.ident, referer=shown,
                                           concurrency=self.concurrency)  # fmt: skip
        return FetchedThread(comments_of(items, shown), partial)
