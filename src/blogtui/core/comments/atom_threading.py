"""Atom threading (RFC 4685): the entry's `<link rel="replies" type="application/atom+xml">`.

Each comment entry names its parent with `<thr:in-reply-to ref="…">` (feedparser exposes the
last one as `entry["thr_in-reply-to"]`). A ref equal to the post's own id (or link) means top
level. WordPress's comment ids look like `<post guid>#comment-N`; those become key "N", the
same keys its REST API and RSS comment feeds give. Authors as in `comment_feed.entry_author`:
an `<email>` becomes a hashed identity key, never a name.
"""

from __future__ import annotations

from typing import Any

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.blogger import is_blogger_feed
from blogtui.core.comments.comment_feed import (
    FEED_LIMIT,
    MAX_ITEMS,
    comment_number,
    entry_comment,
    entry_content,
    entry_key,
    entry_text,
    read_feed,
    split_reply,
)
from blogtui.core.comments.fetching import get
from blogtui.core.models import Article, CommentData

WHAT = "the Atom replies feed"


def in_reply_to(entry: Any) -> tuple[str, str]:
    """(ref, href) of the entry's `thr:in-reply-to`, or empty strings."""
    value = entry.get("thr_in-reply-to")
    if isinstance(value, list):
        value = value[-1] if value else None
    if not isinstance(value, dict):
        return "", ""
    ref, href = value.get("ref"), value.get("href")
    return (
        ref.strip() if isinstance(ref, str) else "",
        href.strip() if isinstance(href, str) else "",
    )


def _own_ids(ident: str) -> set[str]:
    """The post's own ids, from a target ident of newline-separated guid, key and link."""
    return {value for value in ident.split("\n") if value}


class Resolver:
    """Maps an entry's in-reply-to onto the key of its parent comment ("" for the post)."""

    def __init__(self, entries: list[Any], post_ids: set[str]) -> None:
        self.post_ids = post_ids
        self.keys: dict[str, str] = {}
        for entry in entries:
            key = entry_key(entry)
            for name in ("id", "link"):
                if value := entry_text(entry, name):
                    self.keys.setdefault(value, key)

    def parent(self, entry: Any) -> str:
        """The parent comment's key; "" when the entry replies to the post itself."""
        ref, href = in_reply_to(entry)
        if not ref and not href:
            return ""
        for value in (ref, href):
            if value in self.keys:
                return self.keys[value]
        number = comment_number(ref) or comment_number(href)
        if number:
            return number
        if ref in self.post_ids or href in self.post_ids or not ref:
            return ""
        return ref  # a comment not in this feed: shown as an orphan


def has_next(parsed: Any) -> bool:
    """True when the feed says there is a further page (RFC 5005 `rel="next"`)."""
    links = (parsed.get("feed") or {}).get("links") or []
    return any(isinstance(link, dict) and link.get("rel") == "next" for link in links)


def is_wordpress(parsed: Any) -> bool:
    """True when WordPress generated the feed (its comment feeds stop at 10 entries)."""
    generator = (parsed.get("feed") or {}).get("generator") or ""
    return isinstance(generator, str) and "wordpress" in generator.lower()


class AtomThreadingProvider(CommentProvider):
    """Comments from the article's Atom replies feed, parents from `thr:in-reply-to`."""

    name = "atom"
    label = "Atom threading"

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's feed entry had a replies link (not Blogger's: its parents
        are read by `core.comments.blogger`)."""
        if not article.replies_feed or is_blogger_feed(article.replies_feed):
            return None
        ident = "\n".join(v for v in (article.guid, article.key, article.link) if v)
        return Target(self.name, article.replies_feed, ident, expected=article.comment_count)

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Every entry of the replies feed as a comment."""
        result = await get(client, target.url, WHAT)
        base = result.final_url or target.url
        parsed = read_feed(result.body, base, WHAT)
        entries = list(parsed.get("entries", []))[:MAX_ITEMS]
        resolver = Resolver(entries, _own_ids(target.ident))
        comments = [c for c in (_comment(e, resolver, base) for e in entries) if c.key]
        found = len(comments)
        partial = has_next(parsed) or (target.expected is not None and target.expected > found)
        partial = partial or (is_wordpress(parsed) and found >= FEED_LIMIT)
        return FetchedThread(comments, partial)


def _comment(entry: Any, resolver: Resolver, base: str) -> CommentData:
    parent = resolver.parent(entry)
    reply_parent, html = split_reply(entry_content(entry))
    if parent and reply_parent != parent:
        html = entry_content(entry)  # keep the text whole unless the prefix named this parent
    return entry_comment(entry, base, parent, html if parent else entry_content(entry))
