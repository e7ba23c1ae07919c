"""Discourse embeds: a blog post's comments kept as a topic on a Discourse forum.

The article page sets `DiscourseEmbed = {discourseUrl: 'https://forum.example/',
discourseEmbedUrl: '…'}` (or `topicId: N`) and loads `{discourseUrl}javascripts/embed.js`.
Without a `topicId`, the topic is found in the forum's `embed/comments?embed_url=…` page (the
one the embed's iframe shows), whose post links are `/t/SLUG/ID/N`.

`/t/{id}.json` answers the topic with `post_stream: {posts: [first chunk], stream: [every post
id]}`; the rest come from `/t/{id}/posts.json?post_ids[]=…`, CHUNK ids a request, fetched
concurrently (at most `concurrency` at once). A post has `post_number`, `reply_to_post_number`
(the parent; null or 1 means top level: post 1 is the article's own copy and is not a comment),
`cooked` (HTML), `username`, `name`, `created_at`, `post_type` (3: a small action such as
"closed the topic", not a comment), `deleted_at`/`user_deleted` and `hidden`. A closed or
archived topic takes no replies.

Reading needs no key; a Discourse User API key (blogtui credential `discourse:user_api_key:SITE`)
is sent, to that forum's origin only, when the topic is private. Replies open the browser.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import gather_pages
from blogtui.core.comments.page import Page
from blogtui.core.comments.service import (
    Answer,
    RateLimited,
    api_get,
    mapping,
    retry_after,
    stored_key,
    wait_words,
)
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData
from blogtui.core.posting.credentials import site_key

WHAT = "the Discourse forum"
CHUNK = 20
"""Post ids per `posts.json` request (Discourse's own chunk size)."""
MAX_POSTS = 5000
"""At most this many posts are read; a longer topic is marked partial."""
KEY_ENTRY = "discourse:user_api_key:"
DISCOURSE_USER = "discourse-user:"
SETTING = "set it with `blogtui comment-key discourse FORUM` (credential 'discourse:user_api_key:')"

_EMBED = re.compile(r"DiscourseEmbed\s*=\s*\{(.{0,4000}?)\}", re.DOTALL)
_FIELD = re.compile(
    r"""(discourseUrl|discourseEmbedUrl|topicId)\s*:\s*(?:(['"])(.{0,2000}?)\2|(\d{1,12}))"""
)
_EMBED_SRC = re.compile(r"^(https?://.+/)javascripts/embed\.js(?:\?.*)?$")
_TOPIC_LINK = re.compile(r"""href=["']([^"']*/t/[^/"'\s]+/(\d{1,12}))(?:/\d+)?/?["']""")


def key_entry(forum: str) -> str:
    """The credential entry of a forum's User API key (one per forum origin)."""
    return KEY_ENTRY + site_key(forum)


@dataclass(frozen=True, slots=True)
class DiscourseEmbed:
    """What a page says about its Discourse topic."""

    forum: str
    embed_url: str = ""
    topic_id: str = ""


def find_embed(page: Page) -> DiscourseEmbed | None:
    """The page's Discourse embed, or None when it has none."""
    found: dict[str, str] = {}
    if match := _EMBED.search(page.script_text):
        for field_match in _FIELD.finditer(match.group(1)):
            found[field_match.group(1)] = field_match.group(3) or field_match.group(4) or ""
    forum = found.get("discourseUrl", "")
    if not forum:
        forum = next((m.group(1) for s in page.script_srcs if (m := _EMBED_SRC.match(s))), "")
    if not forum.lower().startswith(("https://", "http://")):
        return None
    forum = forum.rstrip("/") + "/"
    return DiscourseEmbed(forum, found.get("discourseEmbedUrl") or page.url,
                          found.get("topicId", ""))  # fmt: skip


def epoch(value: object) -> float | None:
    """`created_at` ("2024-03-01T10:00:00.000Z") as a Unix time."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def comment_of(post: Any, forum: str, topic_url: str) -> CommentData | None:
    """One post as CommentData; None for the article's own post, small actions and junk."""
    if not isinstance(post, dict) or post.get("post_type") == 3:
        return None
    number = _number(post.get("post_number"))
    if number <= 1:
        return None
    parent = _number(post.get("reply_to_post_number"))
    username = _text(post.get("username"))
    user = _number(post.get("user_id"))
    status = "approved"
    if post.get("deleted_at") or post.get("user_deleted") is True:
        status = "deleted"
    elif post.get("hidden") is True:
        status = "hidden"
    return CommentData(
        key=str(number),
        parent_key=str(parent) if parent > 1 else "",
        author=_text(post.get("name")) or username,
        content=_text(post.get("cooked")),
        published=epoch(post.get("created_at")),
        author_url=f"{forum}u/{username}" if username else "",
        link=f"{topic_url}/{number}" if topic_url else "",
        status=status,
        author_key=f"{DISCOURSE_USER}{urlsplit(forum).netloc}/{user}" if user else "",
    )


def _error(answer: Answer, has_key: bool) -> CommentsUnavailable:
    """What a failed Discourse answer means."""
    data = mapping(answer.data)
    if answer.status == 429 or data.get("error_type") == "rate_limit":
        extras = mapping(data.get("extras"))
        wait = retry_after(answer.headers) or (
            float(extras["wait_seconds"]) if _number(extras.get("wait_seconds")) else None
        )
        return RateLimited(f"{WHAT} is rate limiting; try again {wait_words(wait)}", wait)
    if answer.status in (401, 403) and has_key:
        return CommentsUnavailable(f"{WHAT} refused the User API key: {SETTING}")
    if answer.status in (403, 404):
        return CommentsUnavailable(
            f"the Discourse topic is private or gone (HTTP {answer.status}); a private forum"
            f" needs a User API key: {SETTING}"
        )
    return CommentsUnavailable(f"{WHAT} answered HTTP {answer.status}")


class DiscourseProvider(CommentProvider):
    """Comments from the Discourse topic an article embeds."""

    name = "discourse"
    label = "Discourse"
    reply_mode = "browser"

    def __init__(
        self, concurrency: int = 4, user_api_key: Callable[[str], str] | None = None
    ) -> None:
        self.concurrency = max(1, concurrency)
        self.user_api_key: Callable[[str], str] = user_api_key or (
            lambda forum: stored_key(key_entry(forum))
        )

    def reply_page(self, target: Target, article: Article) -> str:
        """Where a reply is written: the topic on the forum."""
        return f"{target.url}t/{target.ident}"

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page embeds a Discourse topic that can be found."""
        page = await hints.page(client)
        embed = find_embed(page) if page else None
        if embed is None:
            return None
        topic = embed.topic_id or await self._topic_of(client, embed, page.url if page else "")
        if not topic:
            raise CommentsUnavailable(f"{WHAT} has no topic for this article yet")
        return Target(self.name, embed.forum, topic, expected=article.comment_count)

    async def _topic_of(self, client: httpx.AsyncClient, embed: DiscourseEmbed, page: str) -> str:
        """The topic id from the forum's embed page (it links every post of the topic)."""
        url = f"{embed.forum}embed/comments?{urlencode({'embed_url': embed.embed_url})}"
        answer = await api_get(client, url, WHAT, headers={"Referer": page}, as_json=False)
        if answer.status != 200:
            return ""
        html = answer.body[:2_000_000].decode("utf-8", errors="replace")
        forum_path = urlsplit(embed.forum).path
        for match in _TOPIC_LINK.finditer(html):
            if urlsplit(match.group(1)).path.startswith(forum_path):
                return match.group(2)
        return ""

    def _headers(self, forum: str) -> tuple[dict[str, str], bool]:
        key = str(self.user_api_key(forum) or "").strip()
        return ({"User-Api-Key": key} if key else {}), bool(key)

    async def _get(self, client: httpx.AsyncClient, url: str, forum: str) -> Any:
        headers, has_key = self._headers(forum)
        answer = await api_get(client, url, WHAT, headers=headers, secret=has_key)
        if answer.status != 200 or not isinstance(answer.data, dict):
            raise (
                _error(answer, has_key)
                if answer.status != 200
                else CommentsUnavailable(f"{WHAT} did not answer with a topic")
            )
        return answer.data

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The whole topic: the first chunk, then the other posts' chunks concurrently."""
        forum, topic = target.url, target.ident
        data = await self._get(client, f"{forum}t/{topic}.json", forum)
        stream_data = mapping(data.get("post_stream"))
        posts = list(stream_data.get("posts") or [])
        stream = [i for i in (stream_data.get("stream") or []) if _number(i)]
        have = {p.get("id") for p in posts if isinstance(p, dict)}
        wanted = [i for i in stream if i not in have]
        partial = len(have) + len(wanted) > MAX_POSTS
        wanted = wanted[: max(0, MAX_POSTS - len(have))]
        more, failed = await self._chunks(client, forum, topic, wanted)
        topic_url = f"{forum}t/{_text(data.get('slug')) or 'topic'}/{topic}"
        comments = [c for c in (comment_of(p, forum, topic_url) for p in posts + more) if c]
        closed = bool(data.get("closed")) or bool(data.get("archived"))
        details = mapping(data.get("details"))
        creator = mapping(details.get("created_by"))
        author = _number(creator.get("id"))
        author_key = f"{DISCOURSE_USER}{urlsplit(forum).netloc}/{author}" if author else ""
        return FetchedThread(comments, partial or failed, not closed, author_key)

    async def _chunks(
        self, client: httpx.AsyncClient, forum: str, topic: str, ids: list[int]
    ) -> tuple[list[Any], bool]:
        """The posts of `ids`, CHUNK a request, at most `concurrency` requests at once; also
        whether any chunk failed (its posts are then missing)."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(chunk: list[int]) -> list[Any]:
            query = urlencode([("post_ids[]", i) for i in chunk])
            async with gate:
                data = await self._get(client, f"{forum}t/{topic}/posts.json?{query}", forum)
            stream = mapping(data.get("post_stream"))
            return list(stream.get("posts") or [])

        chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
        return await gather_pages(one(c) for c in chunks)
