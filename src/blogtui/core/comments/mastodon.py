"""Mastodon (and compatible fediverse servers): an article's comments as the replies to a toot.

The toot is found on the article's page or in its content (`core.comments.fediverse`). Read:
`GET {origin}/api/v1/statuses/:id` (the toot: its author is the post's author) and
`GET {origin}/api/v1/statuses/:id/context`, whose `descendants` are every reply the instance
knows, each with `in_reply_to_id` (the parent: the toot itself means top level). A status's
`content` is HTML (kept as HTML, through the one sanitiser), `spoiler_text` a content warning,
`media_attachments` are listed as links, `favourites_count` and `reblogs_count` are said under
the text (CommentData has no field for them).

Limits, as documented: without a token an instance shows at most 60 descendants, 20 deep (the
thread is then marked partial when it reaches that); with one, 4,096 (likewise). At most
MAX_REPLIES are kept. A token is sent only to the instance it was stored for (credential
`mastodon:token:ORIGIN`, `blogtui comment-key mastodon ORIGIN`), over https or to a loopback
literal, never after a redirect. Errors come as `{"error": "…"}`: 401 "This API requires an
authenticated user" (an instance closed to visitors), 404 "Record not found" (deleted or not
public), 429 with `X-RateLimit-Limit`/`-Remaining`/`-Reset` (an ISO 8601 time).

Replies go out through the user's own account (`core.posting.mastodon`); reading a thread never
needs one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fediverse import Toot, find_toot
from blogtui.core.comments.service import Answer, RateLimited, api_get, mapping, stored_key
from blogtui.core.comments.service import retry_after as retry_after_header
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData
from blogtui.core.posting.credentials import site_key
from blogtui.core.text.sanitize import clean

MAX_REPLIES = 5000
"""At most this many replies are kept; a longer context is marked partial."""
PUBLIC_CONTEXT_LIMIT = 60
"""Descendants an instance shows without a token (Mastodon 4.0 and later)."""
PUBLIC_DEPTH_LIMIT = 20
"""How deep replies go in a context read without a token."""
TOKEN_CONTEXT_LIMIT = 4096
"""Descendants an instance shows with a user token."""
TOKEN_ENTRY = "mastodon:token:"
ACCOUNT_ENTRY = "mastodon:account"
"""Credential naming the instance replies are sent from (its `user`: the origin)."""
MASTODON_USER = "mastodon-user:"
"""Identity keys: the account's profile URL, lowercased."""
SETTING = "`blogtui comment-key mastodon INSTANCE_URL` (credential 'mastodon:token:INSTANCE')"
MEDIA_SHOWN = 20


def token_entry(instance: str) -> str:
    """The credential entry of the access token for an instance (one per origin)."""
    return TOKEN_ENTRY + site_key(instance)


def epoch(value: object) -> float | None:
    """An ISO 8601 time ("2019-12-05T11:34:47.196Z") as a Unix time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _id(value: object) -> str:
    """A status id (a string in Mastodon's JSON; a number from some servers)."""
    if isinstance(value, bool):
        return ""
    text = str(value) if isinstance(value, str | int) else ""
    return text if text.isascii() and text.isalnum() and len(text) <= 40 else ""


def _web(url: object) -> str:
    text = _text(url).strip()
    return text if text.lower().startswith(("https://", "http://")) and len(text) < 2000 else ""


def author_key(account: dict[str, Any]) -> str:
    """An account's identity key (its profile URL), "" when it has none."""
    url = _web(account.get("url")) or _web(account.get("uri"))
    return f"{MASTODON_USER}{url.lower()}" if url else ""


def _media(status: dict[str, Any]) -> str:
    """The attachments as a list of links (HTML)."""
    items = []
    for media in (status.get("media_attachments") or [])[:MEDIA_SHOWN]:
        media = mapping(media)
        url = _web(media.get("url")) or _web(media.get("remote_url"))
        if url:
            kind = _text(media.get("type")) or "media"
            words = _text(media.get("description")).strip()[:300] or kind
            items.append(f'<li><a href="{escape(url)}">{escape(kind)}: {escape(words)}</a></li>')
    return f"<p>Attachments:</p><ul>{''.join(items)}</ul>" if items else ""


def _counts(status: dict[str, Any]) -> str:
    """Favourites and boosts, in words (HTML), "" when none."""
    said = []
    for field, one, many in (("favourites_count", "favourite", "favourites"),
                             ("reblogs_count", "boost", "boosts")):  # fmt: skip
        count = status.get(field)
        if isinstance(count, int) and not isinstance(count, bool) and count > 0:
            said.append(f"{count} {one if count == 1 else many}")
    return f"<p><small>{' · '.join(said)}</small></p>" if said else ""


def content_of(status: dict[str, Any]) -> str:
    """A status's text as HTML: its warning, its content, attachments and counts."""
    warning = clean(status.get("spoiler_text"), limit=500)
    head = f"<p><strong>CW: {escape(warning)}</strong></p>" if warning else ""
    body = head + _text(status.get("content")) + _media(status) + _counts(status)
    return clean(body, multiline=True)


def comment_of(status: object, root_id: str) -> CommentData | None:
    """One reply as CommentData (its parent "" when it answers the toot itself)."""
    status = mapping(status)
    key = _id(status.get("id"))
    if not key or key == root_id:
        return None
    parent = _id(status.get("in_reply_to_id"))
    account = mapping(status.get("account"))
    name = clean(account.get("display_name"), limit=200)
    handle = clean(account.get("acct") or account.get("username"), limit=200)
    return CommentData(
        key=key,
        parent_key="" if parent == root_id else parent,
        author=name or handle or "someone",
        content=content_of(status),
        published=epoch(status.get("created_at")),
        author_url=_web(account.get("url")),
        link=_web(status.get("url")) or _web(status.get("uri")),
        author_key=author_key(account),
    )


def reset_words(headers: dict[str, str], now: float | None = None) -> tuple[str, float | None]:
    """When a rate limit ends, in words ("at 13:25 UTC (in 4 min)"), and the seconds until."""
    reset = epoch(headers.get("x-ratelimit-reset", "").strip())
    if reset is None:
        wait = retry_after_header(headers)
        return (f"in {round(wait)} s" if wait else "later"), wait
    wait = max(0.0, reset - (time.time() if now is None else now))
    clock = time.strftime("%H:%M UTC", time.gmtime(reset))
    return f"at {clock} (in {max(1, round(wait / 60))} min)", wait


def error_of(answer: Answer, what: str, has_token: bool) -> CommentsUnavailable:
    """What a failed answer from an instance means, in one line."""
    said = clean(mapping(answer.data).get("error"), limit=160)
    quoted = f": “{said}”" if said else ""
    if answer.status == 429:
        when, wait = reset_words(answer.headers)
        limit = answer.headers.get("x-ratelimit-limit", "").strip()
        cap = f" ({limit} requests per period)" if limit.isdigit() else ""
        return RateLimited(f"{what} is rate limiting{cap}; it resets {when}", wait)
    if answer.status in (401, 403) and has_token:
        return CommentsUnavailable(f"{what} refused the access token{quoted}; store a new"
                                   f" one with {SETTING}")  # fmt: skip
    if answer.status in (401, 403):
        return CommentsUnavailable(
            f"{what} shows toots only to signed-in users (HTTP {answer.status}{quoted}); read"
            f" the replies on its site, or store an access token for it with {SETTING}"
        )
    if answer.status in (404, 410):
        return CommentsUnavailable(
            f"the toot carrying the replies is deleted or not public (HTTP {answer.status} from"
            f" {what})"
        )
    return CommentsUnavailable(f"{what} answered HTTP {answer.status}{quoted}")


def depth(comments: list[CommentData], enough: int) -> int:
    """How deep the deepest reply sits (1: a reply to the toot), counted up to `enough` (a
    cycle ends a count)."""
    parents = {c.key: c.parent_key for c in comments}
    deepest = 0
    for comment in comments:
        level, key, seen = 1, comment.parent_key, {comment.key}
        while key and key in parents and key not in seen:
            seen.add(key)
            level, key = level + 1, parents[key]
            if level >= enough:
                return level
        deepest = max(deepest, level)
    return deepest


def instance_words(origin: str) -> str:
    """How an instance is named in messages."""
    return f"the Mastodon instance {urlsplit(origin).netloc or origin}"


class MastodonProvider(CommentProvider):
    """Replies to the toot an article links or embeds, read from that toot's instance."""

    name = "mastodon"
    label = "Mastodon"
    kind = "elsewhere"
    reply_mode = "browser"

    def __init__(self, token: Callable[[str], str] | None = None) -> None:
        self.token: Callable[[str], str] = token or (lambda origin: stored_key(token_entry(origin)))
        """The access token stored for an instance origin ("" when none)."""

    def reply_page(self, target: Target, article: Article) -> str:
        """The toot on its instance (where a signed-in user replies)."""
        return target.url

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page or content points at a toot."""
        toot = await self.find(client, article, hints)
        return None if toot is None else Target(self.name, toot.web_url, toot.status_id)

    async def find(self, client: httpx.AsyncClient, article: Article, hints: Hints) -> Toot | None:
        """The toot carrying `article`'s replies, or None."""
        page = await hints.page(client)
        if page is None:
            return find_toot(article.content, article.link)
        creator = page.meta.get("fediverse:creator", "")
        return find_toot(article.content, article.link, page.html, page.url, page.script_text,
                         creator)  # fmt: skip

    async def get_json(self, client: httpx.AsyncClient, origin: str, path: str) -> tuple[Any, bool]:
        """GET `origin + path` (with the instance's token when one is stored); the JSON and
        whether a token went. Raises CommentsUnavailable saying what went wrong."""
        what = instance_words(origin)
        token = str(self.token(origin) or "").strip()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = await api_get(client, origin + path, what, headers=headers, secret=bool(token))
        if answer.status != 200:
            raise error_of(answer, what, bool(token))
        if not isinstance(answer.data, dict):
            raise CommentsUnavailable(f"{what} did not answer with a status")
        return answer.data, bool(token)

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The toot's replies, as a tree by `in_reply_to_id`."""
        origin, root = site_key(target.url), target.ident
        status, _ = await self.get_json(client, origin, f"/api/v1/statuses/{root}")
        context, signed_in = await self.get_json(client, origin, f"/api/v1/statuses/{root}/context")
        replies = context.get("descendants")
        replies = replies if isinstance(replies, list) else []
        cap = TOKEN_CONTEXT_LIMIT if signed_in else PUBLIC_CONTEXT_LIMIT
        partial = len(replies) > MAX_REPLIES or len(replies) >= cap  # the instance cut it short
        comments = [c for c in (comment_of(s, root) for s in replies[:MAX_REPLIES]) if c]
        if not signed_in and depth(comments, PUBLIC_DEPTH_LIMIT) >= PUBLIC_DEPTH_LIMIT:
            partial = True  # deeper replies may exist that the instance does not show visitors
        post_author = author_key(mapping(status.get("account")))
        return FetchedThread(comments, partial, None, post_author)
