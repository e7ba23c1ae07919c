"""Isso (https://isso-comments.de): a self-hosted comment server with a JSON API.

The article page loads Isso with `<script data-isso="https://comments.example/" …>` (or from
`…/js/embed.min.js`); the thread is `<section id="isso-thread" data-isso-id="…">`'s id, else the
page's path. `GET {server}/?uri=PATH` answers `{"replies": [{id, parent, author, website,
created, text, mode, hash, replies: […]}], "total_replies": N, …}`; nested replies are
flattened.

Identity: `hash` (Isso's hash of the email the commenter gave, else of their address) becomes
the comment's key (`core.comments.identity.isso_key`). Isso has no accounts and no notion of a
post author, so an Isso thread has no post author key and no comment is marked "(author)".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import StatusUnavailable, get, json_of
from blogtui.core.comments.identity import isso_key
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData

WHAT = "the Isso comment server"
MAX_COMMENTS = 20000
_MODES = {1: "approved", 2: "pending", 4: "deleted"}


def thread_url(server: str, uri: str) -> str:
    """The API URL of the thread `uri` on the Isso `server`."""
    return server.rstrip("/") + "/?uri=" + quote(uri, safe="/")


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    text = str(value)
    return text if text.isdigit() else ""


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def comment_of(item: dict[str, Any]) -> CommentData | None:
    """One Isso comment object as CommentData; None when it has no usable id."""
    key = _number(item.get("id"))
    if not key:
        return None
    created = item.get("created")
    published = float(created) if isinstance(created, int | float) and created > 0 else None
    mode = item.get("mode")
    return CommentData(
        key=key,
        parent_key=_number(item.get("parent")),
        author=_string(item.get("author")),
        content=_string(item.get("text")),
        published=published,
        author_url=_string(item.get("website")),
        status=_MODES.get(mode, "approved") if isinstance(mode, int) else "approved",
        author_key=isso_key(item.get("hash")),
    )


def flatten_replies(data: Any) -> tuple[list[CommentData], bool]:
    """Every comment of an Isso answer, depth first, and whether the server held some back."""
    if not isinstance(data, dict) or not isinstance(data.get("replies"), list):
        raise CommentsUnavailable(f"{WHAT} did not answer with a comment thread")
    found: list[CommentData] = []
    hidden = False
    stack: list[Any] = [data]
    while stack and len(found) < MAX_COMMENTS:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if item is not data and (comment := comment_of(item)) is not None:
            found.append(comment)
        held = item.get("hidden_replies")
        hidden = hidden or (isinstance(held, int) and held > 0)
        replies = item.get("replies")
        if isinstance(replies, list):
            stack.extend(reversed(replies))
    return found, hidden or bool(stack)


class IssoProvider(CommentProvider):
    """Comments from an Isso server the article page embeds."""

    name = "isso"
    label = "Isso"

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page embeds Isso."""
        page = await hints.page(client)
        if page is None or not page.isso_server:
            return None
        uri = page.isso_id or urlsplit(page.url).path or "/"
        return Target(self.name, page.isso_server, uri, api_root=page.isso_server)

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The whole thread; an unknown thread (older Isso answers 404) is an empty one."""
        try:
            result = await get(client, thread_url(target.url, target.ident), WHAT)
        except StatusUnavailable as error:
            if error.status == 404:
                return FetchedThread([], False)
            raise
        comments, partial = flatten_replies(json_of(result, WHAT))
        return FetchedThread(comments, partial)
