"""WordPress's REST API (`/wp-json/wp/v2/comments`): the complete thread, parents included.

The API root comes from the feed (its `Link: rel="https://api.w.org/"` header), the article
page's Link header or `<link rel="https://api.w.org/">`. When pretty permalinks are off,
`/wp-json/` is a 404 and the `?rest_route=` form is used instead. The post id comes from the
guid (`?p=ID`), the page's shortlink or JSON alternate link, or a `posts?slug=` lookup.

Identity (`core.comments.identity`): without a login, WordPress still gives every comment's
`author` (the commenter's user id, 0 for a guest) and, when the blog shows avatars,
`author_avatar_urls` (Gravatar URLs carrying a hash of the email); the post's `author` is its
author's user id, read with `comment_status` in the one `posts/ID` request.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import gather_pages, get, json_of
from blogtui.core.comments.identity import gravatar_key, wordpress_user_key
from blogtui.core.comments.page import Page
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData

API_REL = "https://api.w.org/"
PER_PAGE = 100
MAX_PAGES = 50
"""At most this many pages (5,000 comments) are read; a longer thread is marked partial."""
FIELDS = "id,parent,author,author_name,author_url,author_avatar_urls,date_gmt,content,link,status"
WHAT = "WordPress REST API"


def route(root: str, path: str, params: dict[str, Any] | None = None) -> str:
    """The URL of REST `path` (e.g. "wp/v2/comments") under `root`, in either URL form."""
    url = httpx.URL(root)
    if "rest_route" in url.params:
        url = url.copy_set_param("rest_route", "/" + path.strip("/"))
    else:
        base = str(url.copy_with(query=None, fragment=None))
        url = httpx.URL(base.rstrip("/") + "/" + path.strip("/"))
    return str(url.copy_merge_params(params or {}))


def plain_root(root: str) -> str:
    """The `?rest_route=/` form of a `/wp-json/` root, or "" when `root` is not one."""
    url = httpx.URL(root)
    path = url.path
    if "rest_route" in url.params or "/wp-json" not in path:
        return ""
    site = path[: path.rindex("/wp-json")] + "/"
    return str(url.copy_with(path=site, query=b"rest_route=/", fragment=None))


def post_id_in(url: str) -> str:
    """The post id in a `?p=ID` (or `?page_id=ID`) URL, or ""."""
    query = parse_qs(urlsplit(url or "").query)
    for name in ("p", "page_id"):
        value = (query.get(name) or [""])[0]
        if value.isdigit():
            return value
    return ""


def post_id_of_page(page: Page) -> str:
    """The post id a page reveals through its shortlink or JSON alternate link."""
    found = post_id_in(page.link("shortlink"))
    if found:
        return found
    alternate = page.link("alternate", "application/json")
    tail = urlsplit(alternate).path.rstrip("/").rsplit("/", 1)[-1]
    if "/wp/v2/" in alternate and tail.isdigit():
        return tail
    return post_id_in(alternate)  # ?rest_route=/wp/v2/posts/ID has no ?p=, stays ""


def slug_of(url: str) -> str:
    """The last path segment of a permalink, the likely post slug."""
    path = urlsplit(url or "").path.rstrip("/")
    return path.rsplit("/", 1)[-1] if path else ""


def epoch(value: object) -> float | None:
    """`date_gmt` ("2024-03-01T10:00:00", UTC without a zone) as a Unix time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def comment_of(item: Any) -> CommentData | None:
    """One REST comment object as CommentData; None when it has no usable id."""
    if not isinstance(item, dict) or isinstance(item.get("id"), bool):
        return None
    key = item.get("id")
    if not isinstance(key, int | str) or not str(key).isdigit():
        return None
    parent = item.get("parent")
    parent_key = (
        str(parent) if isinstance(parent, int | str) and str(parent) not in ("", "0") else ""
    )
    content = item.get("content")
    html = content.get("rendered", "") if isinstance(content, dict) else ""
    return CommentData(
        key=str(key),
        parent_key=parent_key,
        author=_text(item.get("author_name")),
        content=_text(html),
        published=epoch(item.get("date_gmt")),
        author_url=_text(item.get("author_url")),
        link=_text(item.get("link")),
        status=_text(item.get("status")) or "approved",
        author_key=author_key(item),
    )


def author_key(item: dict[str, Any]) -> str:
    """The commenter's identity: their user id, else (a guest) their avatar's email hash."""
    return wordpress_user_key(item.get("author")) or gravatar_key(item.get("author_avatar_urls"))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def comments_of(data: Any) -> list[CommentData]:
    """The comments of one REST page; raises when it is not a list (WordPress's error object)."""
    if not isinstance(data, list):
        message = data.get("message") if isinstance(data, dict) else None
        detail = f": {message[:200]}" if isinstance(message, str) and message else ""
        raise CommentsUnavailable(f"{WHAT} did not answer with a list of comments{detail}")
    return [c for c in map(comment_of, data) if c is not None]


def total_pages(headers: dict[str, str]) -> int:
    """X-WP-TotalPages, or 1 when absent or unreadable."""
    value = headers.get("x-wp-totalpages", "").strip()
    return int(value) if value.isdigit() and len(value) < 9 else 1


class WordPressProvider(CommentProvider):
    """Comments through `wp/v2/comments`, every page, pages 2… fetched concurrently."""

    name = "wordpress"
    label = "WordPress"

    def __init__(self, concurrency: int = 8) -> None:
        self.concurrency = max(1, concurrency)

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the blog has a REST root and the post id can be found."""
        root = hints.api_root
        if not root:
            page = await hints.page(client)
            root = page.link(API_REL) if page else ""
        if not root:
            return None
        post = post_id_in(article.guid) or post_id_in(article.link)
        if not post:
            page = await hints.page(client)
            post = post_id_of_page(page) if page else ""
        if not post:
            post = await self._post_by_slug(client, root, slug_of(article.link))
        if not post:
            return None
        return Target(self.name, root, post, api_root=root, expected=article.comment_count)

    async def _post_by_slug(self, client: httpx.AsyncClient, root: str, slug: str) -> str:
        if not slug:
            return ""
        url = route(root, "wp/v2/posts", {"slug": slug, "_fields": "id"})
        try:
            data = json_of(await get(client, url, WHAT), WHAT)
        except CommentsUnavailable:
            return ""
        if isinstance(data, list) and data and isinstance(data[0], dict):
            found = data[0].get("id")
            return str(found) if isinstance(found, int) and not isinstance(found, bool) else ""
        return ""

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Every page of the post's comments, whether comments are still open, the post's
        author."""
        root, first = await self._first_page(client, target)
        opened = asyncio.create_task(self._post_facts(client, root, target.ident))
        try:
            comments = comments_of(json_of(first, WHAT))
            pages = total_pages(first.headers)
            rest, failed = await self._other_pages(client, root, target.ident, pages)
        except BaseException:
            opened.cancel()
            raise
        unique = {c.key: c for c in [*comments, *rest]}
        partial = failed or pages > MAX_PAGES
        comments_open, post_author = await opened
        return FetchedThread(list(unique.values()), partial, comments_open, post_author)

    async def _first_page(self, client: httpx.AsyncClient, target: Target) -> tuple[str, Any]:
        """Page 1 and the root that answered (the `?rest_route=` form when `/wp-json/` fails)."""
        try:
            return target.url, await get(client, self.page_url(target.url, target.ident, 1), WHAT)
        except CommentsUnavailable:
            other = plain_root(target.url)
            if not other:
                raise
            try:
                return other, await get(client, self.page_url(other, target.ident, 1), WHAT)
            except CommentsUnavailable:
                pass
            raise

    @staticmethod
    def page_url(root: str, post: str, page: int) -> str:
        """The URL of one page of a post's comments, oldest id first."""
        params = {"post": post, "per_page": PER_PAGE, "page": page, "orderby": "id",
                  "order": "asc", "_fields": FIELDS}  # fmt: skip
        return route(root, "wp/v2/comments", params)

    async def _other_pages(
        self, client: httpx.AsyncClient, root: str, post: str, pages: int
    ) -> tuple[list[CommentData], bool]:
        """Pages 2… (at most MAX_PAGES), concurrently; also whether any of them failed."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(number: int) -> list[CommentData]:
            async with gate:
                result = await get(client, self.page_url(root, post, number), WHAT)
            return comments_of(json_of(result, WHAT))

        numbers = range(2, min(pages, MAX_PAGES) + 1)
        return await gather_pages(one(n) for n in numbers)

    async def _post_facts(
        self, client: httpx.AsyncClient, root: str, post: str
    ) -> tuple[bool | None, str]:
        """Whether the post accepts comments (None when the API does not say) and its author's
        identity key ("" when unknown)."""
        url = route(root, f"wp/v2/posts/{post}", {"_fields": "comment_status,author"})
        try:
            data = json_of(await get(client, url, WHAT), WHAT)
        except CommentsUnavailable:
            return None, ""
        if not isinstance(data, dict):
            return None, ""
        status = data.get("comment_status")
        opened = {"open": True, "closed": False}.get(status) if isinstance(status, str) else None
        return opened, wordpress_user_key(data.get("author"))
