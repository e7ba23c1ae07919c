"""Blogger / Blogspot: a post's Atom comment feed (`…/feeds/POSTID/comments/default`).

Blogger's `thr:in-reply-to` always names the post, so Atom threading alone makes every comment
top level. The parent comment is the entry's `<link rel="related" href="…/comments/default/
PARENTID">`; comment ids are the `.post-N` tail of the entry's `tag:blogger.com,…` id. A comment
a moderator or its author removed carries `<gd:extendedProperty name="blogger.contentRemoved"
value="true">`: it is hidden, or kept as a "removed" placeholder when others replied to it.

Authors: Blogger gives every one the address `noreply@blogger.com` (no identity); a Blogger
profile `<uri>` (`…/profile/N`) becomes the key `blogger-profile:N`. Pages: `start-index` and
`max-results` (at most PAGE_SIZE), following `<link rel="next">`. Blogger has no public
comment-posting API: replying opens the post's comment form in the browser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import get
from blogtui.core.comments.identity import email_key
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.parse import scan_prolog
from blogtui.core.models import Article, CommentData

WHAT = "the Blogger comment feed"
PAGE_SIZE = 200
MAX_COMMENTS = 5000
BLOGGER_PROFILE = "blogger-profile:"
ATOM = "{http://www.w3.org/2005/Atom}"
GD = "{http://schemas.google.com/g/2005}"

_FEED = re.compile(r"/feeds/(?:\d+/)?\d+/comments/(?:default|full)/?$")
_PARENT = re.compile(r"/comments/(?:default|full)/(\d+)/?$")
_POST_ID = re.compile(r"\.post-(\d+)$")
_PROFILE = re.compile(r"/profile/(\d+)/?$")


def is_blogger_feed(url: str) -> bool:
    """True for a Blogger post comment feed URL."""
    return bool(_FEED.search(urlsplit(url or "").path))


def page_url(url: str, start: int) -> str:
    """The feed URL for comments `start`… (1-based), PAGE_SIZE at a time, as Atom."""
    params: dict[str, str | int] = {"alt": "atom", "start-index": start, "max-results": PAGE_SIZE}
    return str(httpx.URL(url).copy_merge_params(params))


@dataclass(frozen=True, slots=True)
class Entry:
    """One comment entry as read, before removed ones are decided."""

    comment: CommentData
    removed: bool


def _published(text: str) -> float | None:
    """An Atom date ("2024-03-01T10:00:00.000+01:00") as a Unix time."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _links(node: ElementTree.Element) -> dict[str, str]:
    return {link.get("rel", ""): link.get("href", "") for link in node.findall(f"{ATOM}link")}


def entry_of(node: ElementTree.Element) -> Entry | None:
    """One `<entry>`; None without a Blogger comment id."""
    match = _POST_ID.search((node.findtext(f"{ATOM}id") or "").strip())
    if not match:
        return None
    links = _links(node)
    parent = _PARENT.search(links.get("related", ""))
    author = node.find(f"{ATOM}author")
    name = (author.findtext(f"{ATOM}name") if author is not None else "") or ""
    uri = (author.findtext(f"{ATOM}uri") if author is not None else "") or ""
    email = (author.findtext(f"{ATOM}email") if author is not None else "") or ""
    profile = _PROFILE.search(urlsplit(uri.strip()).path)
    properties = {p.get("name"): p.get("value") for p in node.findall(f"{GD}extendedProperty")}
    body = node.find(f"{ATOM}content")
    body = body if body is not None else node.find(f"{ATOM}summary")
    comment = CommentData(
        key=match.group(1),
        parent_key=parent.group(1) if parent else "",
        author=name.strip(),
        content=(body.text or "") if body is not None else "",
        published=_published((node.findtext(f"{ATOM}published") or "").strip()),
        author_url=uri.strip(),
        link=links.get("alternate", ""),
        author_key=f"{BLOGGER_PROFILE}{profile.group(1)}" if profile else email_key(email),
    )
    return Entry(comment, properties.get("blogger.contentRemoved") == "true")


def parse_page(body: bytes) -> tuple[list[Entry], str]:
    """The entries of one feed page and its `rel="next"` URL ("" on the last page)."""
    head = body[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
    if scan_prolog(head).entities or "<!DOCTYPE" in head.upper()[:4096]:
        raise CommentsUnavailable(f"{WHAT} declares a DOCTYPE or entities; refused")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise CommentsUnavailable(f"{WHAT} is not well-formed XML ({error})") from None
    if root.tag != f"{ATOM}feed":
        raise CommentsUnavailable(f"{WHAT} is not an Atom feed")
    entries = [e for e in map(entry_of, root.findall(f"{ATOM}entry")) if e is not None]
    return entries, _links(root).get("next", "")


def visible(entries: list[Entry]) -> list[CommentData]:
    """The comments to show: a removed one only as a placeholder others replied to."""
    parents = {e.comment.parent_key for e in entries}
    shown: list[CommentData] = []
    for entry in entries:
        comment = entry.comment
        if entry.removed:
            if comment.key not in parents:
                continue
            comment = CommentData(comment.key, comment.parent_key, "", "", comment.published,
                                  status="removed")  # fmt: skip
        shown.append(comment)
    return shown


class BloggerProvider(CommentProvider):
    """Comments from a Blogger post's comment feed, threaded by their `related` links."""

    name = "blogger"
    label = "Blogger"
    reply_mode = "browser"

    def reply_page(self, target: Target, article: Article) -> str:
        """Where a reply is written: the post's comment form."""
        return f"{article.link.split('#')[0]}#comment-form" if article.link else ""

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's feed (or page) names a Blogger comment feed."""
        url = next((u for u in (article.replies_feed, article.comment_feed) if is_blogger_feed(u)),
                   "")  # fmt: skip
        if not url:
            page = await hints.page(client)
            links = page.links if page else []
            url = next((link.href for link in links if "alternate" in link.rel or
                        "replies" in link.rel if is_blogger_feed(link.href)), "")  # fmt: skip
        return Target(self.name, url, expected=article.comment_count) if url else None

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Every page of the feed (at most MAX_COMMENTS comments)."""
        entries: list[Entry] = []
        url, origin, seen = page_url(target.url, 1), _origin(target.url), set()
        partial = False
        while url:
            seen.add(url)
            result = await get(client, url, WHAT)
            found, url = parse_page(result.body)
            entries.extend(found)
            if len(entries) >= MAX_COMMENTS:
                entries, partial = entries[:MAX_COMMENTS], bool(url)
                break
            if url in seen or _origin(url) != origin or not found:
                url = ""
        short = target.expected is not None and target.expected > len(entries)
        return FetchedThread(visible(entries), partial or short)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
