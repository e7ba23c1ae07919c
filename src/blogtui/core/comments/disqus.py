"""Disqus (https://disqus.com): the hosted comment system most blogs embed, read through API 3.0.

The article page loads `https://SHORTNAME.disqus.com/embed.js` (or sets `disqus_shortname`) and
names its thread with `disqus_identifier` / `this.page.identifier` (else `disqus_url` /
`this.page.url`, else the page's address). `threads/listPosts.json?forum=SHORTNAME&
thread:ident=ID` (or `thread:link=URL`) answers `{"code": 0, "cursor": {"hasNext", "next", …},
"response": [post, …]}`, 100 posts a page at most; each page's cursor comes from the one before,
so pages are read in order. A post has `id`, `parent` (null at top level), `message` (HTML),
`createdAt` (UTC, no zone), `author` {name, url, isAnonymous, id}, `isDeleted`, `isApproved`.

Reading needs a public API key (the user's own Disqus application), kept in blogtui's credentials
under `disqus:api_key`; it goes only to the API's origin over https (a loopback literal in tests).
Errors come as `{"code": N, "response": "text"}`: 5/9/11 a wrong key, 13/14 (or HTTP 429) a rate
limit, 12/22 a thread the key may not read. Disqus has no reply API blogtui can use without the
user's OAuth token, so a reply opens the browser.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import time_left
from blogtui.core.comments.page import Page
from blogtui.core.comments.service import (
    RETRY_WAIT_MAX,
    Answer,
    KeySource,
    RateLimited,
    api_get,
    mapping,
    retry_after,
    stored_key,
    wait_words,
)
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData

API_ROOT = "https://disqus.com/api/3.0/"
KEY_ENTRY = "disqus:api_key"
SETTING = f"the Disqus public API key (`blogtui comment-key disqus`, credential '{KEY_ENTRY}')"
WHAT = "Disqus"
PAGE_LIMIT = 100
MAX_PAGES = 50
"""At most this many pages (5,000 posts) are read; a longer thread is marked partial."""
DISQUS_USER = "disqus-user:"

_SHORTNAME_SRC = re.compile(r"^https?://([a-z0-9][a-z0-9-]{0,63})\.disqus\.com/(?:embed|count)\.js")
_SHORTNAME_INLINE = re.compile(r"//([A-Za-z0-9][A-Za-z0-9-]{0,63})\.disqus\.com/embed\.js")
_SHORTNAME = re.compile(r"""disqus_shortname\s*[=:]\s*(['"])([A-Za-z0-9_-]{1,64})\1""")
_IDENT = re.compile(r"""(?:disqus_identifier|page\.identifier)\s*[=:]\s*(['"])(.{1,400}?)\1""")
_URL = re.compile(r"""(?:disqus_url|page\.url)\s*[=:]\s*(['"])(https?://.{1,1000}?)\1""")
_KEY_CODES = {5, 9, 11}
_PRIVATE_CODES = {4, 12, 17, 22, 23}
_RATE_CODES = {13, 14}


@dataclass(frozen=True, slots=True)
class DisqusEmbed:
    """What a page says about its Disqus thread."""

    shortname: str
    identifier: str = ""
    url: str = ""

    @property
    def thread(self) -> tuple[str, str]:
        """The `thread:ident` or `thread:link` parameter naming the thread."""
        return ("thread:ident", self.identifier) if self.identifier else ("thread:link", self.url)


def find_embed(page: Page) -> DisqusEmbed | None:
    """The page's Disqus embed, or None when it has none."""
    shortname = ""
    for src in page.script_srcs:
        if match := _SHORTNAME_SRC.match(src.lower()):
            shortname = match.group(1)
            break
    if not shortname and (match := _SHORTNAME.search(page.script_text)):
        shortname = match.group(2).lower()
    if not shortname and (match := _SHORTNAME_INLINE.search(page.script_text)):
        shortname = match.group(1).lower()
    if not shortname:
        return None
    ident = _IDENT.search(page.script_text)
    url = _URL.search(page.script_text)
    return DisqusEmbed(
        shortname, ident.group(2) if ident else "", url.group(2) if url else page.url
    )


def epoch(value: object) -> float | None:
    """`createdAt` ("2024-03-01T10:00:00", UTC) as a Unix time."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _ident(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    text = str(value).strip()
    return text if text.isdigit() and len(text) < 30 else ""


def comment_of(post: Any, thread_link: str = "") -> CommentData | None:
    """One Disqus post as CommentData; None without a usable id."""
    if not isinstance(post, dict) or not (key := _ident(post.get("id"))):
        return None
    author = mapping(post.get("author"))
    anonymous = bool(author.get("isAnonymous"))
    user = "" if anonymous else _ident(author.get("id"))
    status = "approved"
    if post.get("isDeleted") is True:
        status = "deleted"
    elif post.get("isApproved") is False or post.get("isSpam") is True:
        status = "pending"
    return CommentData(
        key=key,
        parent_key=_ident(post.get("parent")),
        author=_text(author.get("name")) or _text(author.get("username")),
        content="" if status == "deleted" else _text(post.get("message")),
        published=epoch(post.get("createdAt")),
        author_url=_text(author.get("url")),
        link=f"{thread_link}#comment-{key}" if thread_link else "",
        status=status,
        author_key=f"{DISQUS_USER}{user}" if user else "",
    )


def _error(answer: Answer, key: str) -> CommentsUnavailable | None:
    """The error an answer carries (None for a good one); a missing thread is no error."""
    data = mapping(answer.data)
    code = data.get("code")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    if answer.status == 200 and code == 0 and isinstance(data.get("response"), list):
        return None
    said = _text(data.get("response"))[:200].replace(key, "***") if key else ""
    detail = f" ({said})" if said else ""
    if answer.status == 429 or code in _RATE_CODES:
        wait = retry_after(answer.headers) or _reset_wait(answer.headers)
        quota = "the key's hourly quota is used up" if code == 14 else "too many requests"
        return RateLimited(f"Disqus rate limit: {quota}; try again {wait_words(wait)}", wait)
    if code in _KEY_CODES or answer.status == 401:
        return CommentsUnavailable(f"Disqus refused the API key{detail}: check {SETTING}")
    if code in _PRIVATE_CODES or answer.status == 403:
        return CommentsUnavailable(f"this Disqus thread is private{detail}")
    if code is None:
        return CommentsUnavailable(f"Disqus answered HTTP {answer.status} without an API answer")
    return CommentsUnavailable(f"Disqus answered with error {code}{detail}")


def _reset_wait(headers: dict[str, str]) -> float | None:
    """Seconds until X-Ratelimit-Reset (a Unix time), or None."""
    value = headers.get("x-ratelimit-reset", "").strip()
    return max(0.0, float(value) - time.time()) if value.isdigit() else None


def _missing_thread(answer: Answer) -> bool:
    """True when Disqus says the thread does not exist (no one has opened its comments yet)."""
    data = mapping(answer.data)
    text = _text(data.get("response")).lower()
    return data.get("code") in (2, 8) and "thread" in text


class DisqusProvider(CommentProvider):
    """Comments from Disqus's API 3.0, page after page by cursor."""

    name = "disqus"
    label = "Disqus"
    reply_mode = "browser"

    def __init__(self, api_root: str = API_ROOT, api_key: KeySource | None = None) -> None:
        self.api_root = api_root.rstrip("/") + "/"
        self.api_key: KeySource = api_key or (lambda: stored_key(KEY_ENTRY))

    def reply_page(self, target: Target, article: Article) -> str:
        """Where a reply is written: the article page's Disqus section."""
        return f"{article.link.split('#')[0]}#disqus_thread" if article.link else ""

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page embeds Disqus."""
        page = await hints.page(client)
        embed = find_embed(page) if page else None
        if embed is None or not (embed.identifier or embed.url):
            return None
        param, value = embed.thread
        return Target(self.name, self.api_root, f"{embed.shortname}\n{param}\n{value}",
                      expected=article.comment_count)  # fmt: skip

    def page_url(self, ident: str, key: str, cursor: str = "") -> str:
        """The listPosts URL of one page (the first asks for the thread's details too)."""
        forum, param, value = (ident.split("\n", 2) + ["", ""])[:3]
        query = {"api_key": key, "forum": forum, param: value, "limit": PAGE_LIMIT,
                 "order": "asc"}  # fmt: skip
        query.update({"cursor": cursor} if cursor else {"related": "thread"})
        return f"{self.api_root}threads/listPosts.json?{urlencode(query)}"

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Every page of the thread (at most MAX_PAGES), oldest first."""
        key = self.api_key().strip()
        if not key:
            raise CommentsUnavailable(f"this blog uses Disqus: reading it needs {SETTING}")
        first = await self._page(client, target.ident, key, "")
        if first is None:
            return FetchedThread([], False)
        posts: list[Any] = list(first.data["response"])
        thread = posts[0].get("thread") if posts and isinstance(posts[0], dict) else None
        thread = thread if isinstance(thread, dict) else {}
        cursor, partial, pages = first.data.get("cursor"), False, 1
        asked: set[str] = set()
        while isinstance(cursor, dict) and cursor.get("hasNext") and _text(cursor.get("next")):
            if pages >= MAX_PAGES or _text(cursor["next"]) in asked:
                partial = True
                break
            asked.add(_text(cursor["next"]))
            try:
                answer = await self._page(client, target.ident, key, _text(cursor["next"]))
            except CommentsUnavailable:
                partial = True
                break
            pages += 1
            posts.extend(answer.data["response"] if answer else [])
            cursor = answer.data.get("cursor") if answer else None
        link = _text(thread.get("link"))
        comments = [c for c in (comment_of(p, link) for p in posts) if c is not None]
        closed = thread.get("isClosed")
        return FetchedThread(comments, partial, (not closed) if isinstance(closed, bool) else None)

    async def _page(
        self, client: httpx.AsyncClient, ident: str, key: str, cursor: str
    ) -> Answer | None:
        """One page; None when the thread does not exist. A short rate-limit wait is waited
        out once."""
        url = self.page_url(ident, key, cursor)
        for attempt in (1, 2):
            answer = await api_get(client, url, WHAT, secret=True)
            if _missing_thread(answer):
                return None
            error = _error(answer, key)
            if error is None:
                return answer
            wait = error.wait if isinstance(error, RateLimited) else None
            if attempt == 2 or wait is None or wait > min(RETRY_WAIT_MAX, time_left() - 1):
                raise error
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")
