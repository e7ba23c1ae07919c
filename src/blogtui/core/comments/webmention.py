"""Webmentions: replies, likes and reposts that other sites sent to an article.

An article whose page advertises a Webmention endpoint (`webmention_endpoint.endpoint_of`) has
them. They are read from webmention.io's API when the endpoint is webmention.io's
(`GET /api/mentions.jf2?target=URL`: a jf2 feed whose `children` carry `wm-id`, `wm-property`
(in-reply-to, like-of, repost-of, mention-of, bookmark-of), `url`, `author` {name, url},
`content` {html, text}, `published`; paged by `page` (from 0) and `per-page`), else from the
endpoint's own listing where the receiver offers one (`GET ENDPOINT?resource=URL&direction=
incoming`, as the `webmentions` receiver does: a JSON list with `source`, `mention_type`,
`author_name`, `content` and the source's microformats under `metadata.mf2`).

Replies and mentions are comments, keyed by their URL (the reply blogtui publishes on the user's
site has its own URL as its key too), a reply to a reply when one of its `in-reply-to` URLs is
another mention's. Likes, reposts and bookmarks are counted, not listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import get, json_of, time_left
from blogtui.core.comments.service import mapping
from blogtui.core.comments.webmention_endpoint import (
    EndpointRefused,
    endpoint_of,
    guarded_request,
)
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData
from blogtui.core.posting.credentials import is_loopback_literal

JF2_API = "https://webmention.io/api/mentions.jf2"
JF2_ORIGINS = frozenset({"https://webmention.io"})
PER_PAGE = 100
MAX_PAGES = 50
"""At most this many jf2 pages (5,000 mentions) are read; a longer list is marked partial."""
URL_MAX = 2000
COUNTED = {"like-of": "like", "repost-of": "repost", "bookmark-of": "bookmark"}
"""Mention kinds that are counted, not listed, with the word for one of them."""
_LISTING_KINDS = {"reply": "in-reply-to", "like": "like-of", "repost": "repost-of",
                  "bookmark": "bookmark-of", "mention": "mention-of"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mention:
    """One Webmention as a receiver lists it."""

    url: str
    kind: str
    """The `wm-property`: in-reply-to, like-of, repost-of, mention-of, bookmark-of."""
    in_reply_to: tuple[str, ...] = ()
    author: str = ""
    author_url: str = ""
    content: str = ""
    """HTML."""
    published: float | None = None


@dataclass(frozen=True, slots=True)
class MentionsThread(FetchedThread):
    """The replies and mentions as a thread, with the likes, reposts and bookmarks counted."""

    reactions: dict[str, int] = field(default_factory=dict)
    """How many of each counted kind ("like", "repost", "bookmark")."""


def reaction_words(reactions: dict[str, int]) -> str:
    """The counts in words: "3 likes, 1 repost"; "" when there are none."""
    counted = ((word, reactions.get(word, 0)) for word in ("like", "repost", "bookmark"))
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for word, n in counted if n]
    return ", ".join(parts)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _url(value: object) -> str:
    """A URL from a jf2/mf2 value: a string, or an h-cite's `url`/`value`."""
    if isinstance(value, dict):
        props = mapping(value.get("properties"))
        urls = props.get("url")
        value = urls[0] if isinstance(urls, list) and urls else value.get("url", value.get("value"))
    text = _text(value).strip()
    return text if text.startswith(("http://", "https://")) and len(text) <= URL_MAX else ""


def _urls(value: object) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(u for u in (_url(v) for v in values[:20]) if u)


def epoch(value: object) -> float | None:
    """An ISO 8601 time ("2024-03-01T10:00:00+01:00") as a Unix time; naive ones are UTC."""
    try:
        moment = datetime.fromisoformat(_text(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _html(content: object) -> str:
    """jf2 `content` as HTML: its `html`, else its `text` escaped, else a plain string escaped."""
    if isinstance(content, dict):
        html = _text(content.get("html"))
        return html or _paragraphs(_text(content.get("text")) or _text(content.get("value")))
    return _paragraphs(_text(content))


def _paragraphs(text: str) -> str:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br />')}</p>" for p in paragraphs)


def mention_of_jf2(entry: Any) -> Mention | None:
    """One jf2 child as a Mention; None without a usable URL."""
    entry = mapping(entry)
    url = _url(entry.get("url")) or _url(entry.get("wm-source"))
    if not url or entry.get("wm-private") is True:
        return None
    kind = _text(entry.get("wm-property")) or "mention-of"
    author = mapping(entry.get("author"))
    return Mention(url, kind, _urls(entry.get("in-reply-to")), _text(author.get("name")),
                   _url(author.get("url")), _html(entry.get("content")),
                   epoch(entry.get("published")) or epoch(entry.get("wm-received")))  # fmt: skip


def mention_of_listing(entry: Any) -> Mention | None:
    """One entry of a `webmentions` receiver's listing as a Mention."""
    entry = mapping(entry)
    mf2 = mapping(mapping(entry.get("metadata")).get("mf2"))
    url = _url(mf2.get("url")) or _url(entry.get("source"))
    if not url or _text(entry.get("status")) not in ("", "confirmed"):
        return None
    kind = _LISTING_KINDS.get(_text(entry.get("mention_type")), "mention-of")
    return Mention(url, kind, _urls(mf2.get("in_reply_to")), _text(entry.get("author_name")),
                   _url(entry.get("author_url")), _html(_text(entry.get("content"))),
                   epoch(entry.get("published")) or epoch(entry.get("created_at")))  # fmt: skip


def thread_of(mentions: list[Mention], *, partial: bool = False) -> MentionsThread:
    """Replies and mentions as comments (a reply under the mention its in-reply-to names),
    the other kinds counted."""
    listed = [m for m in mentions if m.kind not in COUNTED]
    urls = {m.url for m in listed}
    reactions: dict[str, int] = {}
    for mention in mentions:
        if (word := COUNTED.get(mention.kind)) is not None:
            reactions[word] = reactions.get(word, 0) + 1
    comments = []
    for mention in listed:
        parent = next((u for u in mention.in_reply_to if u in urls and u != mention.url), "")
        comments.append(CommentData(key=mention.url, parent_key=parent, author=mention.author,
                                    content=mention.content, published=mention.published,
                                    author_url=mention.author_url, link=mention.url))  # fmt: skip
    counted = reaction_words(reactions)
    note = f"Webmentions: {counted}" if counted else ""
    return MentionsThread(comments, partial, note=note, reactions=reactions)


def loopback_chosen(url: str) -> bool:
    """True when `url` (the article the user reads) is on a loopback literal: its endpoints
    may be there too."""
    try:
        return is_loopback_literal(urlsplit(url).hostname or "")
    except ValueError:
        return False


class WebmentionProvider(CommentProvider):
    """Webmentions of an article, from webmention.io's API or the receiver's own listing."""

    name = "webmention"
    label = "Webmentions"
    kind = "elsewhere"

    def __init__(self, jf2_api: str = JF2_API, jf2_origins: frozenset[str] = JF2_ORIGINS) -> None:
        self.jf2_api = jf2_api
        self.jf2_origins = jf2_origins

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page advertises a Webmention endpoint."""
        page = await hints.page(client)
        endpoint = endpoint_of(page) if page else ""
        if not endpoint or page is None:
            return None
        targets = "\n".join(dict.fromkeys(u for u in (article.link, page.url) if u))
        return Target(self.name, endpoint, targets, api_root=endpoint)

    def uses_jf2(self, endpoint: str) -> bool:
        """True when `endpoint` is webmention.io's (its API lists the mentions)."""
        parts = urlsplit(endpoint)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}" in self.jf2_origins

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Every mention of the article's URL(s), as a thread with reactions counted."""
        urls = [u for u in target.ident.split("\n") if u]
        if self.uses_jf2(target.url):
            return await self._jf2(client, urls)
        return await self._listing(client, target.url, urls)

    async def _jf2(self, client: httpx.AsyncClient, urls: list[str]) -> MentionsThread:
        mentions: list[Mention] = []
        for page in range(MAX_PAGES):
            query = [("target[]", u) for u in urls] + [
                ("per-page", str(PER_PAGE)), ("page", str(page)), ("sort-dir", "up")]  # fmt: skip
            data = mapping(json_of(await get(client, f"{self.jf2_api}?{urlencode(query)}",
                                             "webmention.io"), "webmention.io"))  # fmt: skip
            children = data.get("children")
            if not isinstance(children, list):
                raise CommentsUnavailable("webmention.io answered without a list of mentions")
            mentions += [m for m in map(mention_of_jf2, children) if m is not None]
            if len(children) < PER_PAGE:
                return thread_of(mentions)
        return thread_of(mentions, partial=True)

    async def _listing(
        self, client: httpx.AsyncClient, endpoint: str, urls: list[str]
    ) -> MentionsThread:
        mentions: list[Mention] = []
        for url in urls:
            query = urlencode({"resource": url, "direction": "incoming"})
            joiner = "&" if urlsplit(endpoint).query else "?"
            try:
                answer = await guarded_request(client, "GET", f"{endpoint}{joiner}{query}",
                                               loopback_ok=loopback_chosen(url),
                                               timeout=time_left())  # fmt: skip
            except EndpointRefused as error:
                raise CommentsUnavailable(f"Webmentions: {error}") from error
            except httpx.HTTPError as error:
                raise CommentsUnavailable("Webmentions: the endpoint cannot be reached") from error
            mentions += _listed(answer.status, answer.body)
        unique = {m.url: m for m in mentions}
        return thread_of(list(unique.values()))


def _listed(status: int, body: bytes) -> list[Mention]:
    """The mentions of one listing answer; raises CommentsUnavailable for anything else."""
    try:
        data = json.loads(body.decode("utf-8-sig")) if 200 <= status < 300 else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, list):
        raise CommentsUnavailable(
            "this site receives Webmentions, but its endpoint offers no list of them"
            " (only webmention.io's API and the `webmentions` receiver's listing are read)"
        )
    return [m for m in map(mention_of_listing, data) if m is not None]
