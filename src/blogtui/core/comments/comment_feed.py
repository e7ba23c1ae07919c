"""A post's RSS comment feed (`wfw:commentRss`): flat, newest comments only.

RSS has no parent element. WordPress starts every reply in its comment feeds with
`In reply to <a href="…#comment-N">Name</a>.` (the sentence is translated, the link is not), so
the parent is read from that link and the sentence is dropped. WordPress's comment feeds hold
only the newest 10 comments and cannot be paged: such a thread is marked partial.

Identity: an item's author address (RSS `<author>jo@example.org (Jo)</author>`, Atom
`<author><email>`) becomes a hashed key (`core.comments.identity.email_key`); the address itself
is neither stored nor shown, and a commenter known only by an address stays nameless. An author
`<uri>` is the website a commenter typed, not an identity. WordPress's feeds give no addresses.
"""

from __future__ import annotations

import calendar
import io
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.fetching import get
from blogtui.core.comments.identity import email_key
from blogtui.core.comments.page import Page
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.parse import scan_prolog
from blogtui.core.models import Article, CommentData

FEED_LIMIT = 10
"""WordPress's comment feeds show at most this many comments (its `posts_per_rss`)."""
MAX_ITEMS = 5000

_COMMENT_ID = re.compile(r"#comment-(\d+)\s*$")
_REPLY_PREFIX = re.compile(
    r"^\s*(?:<p[^>]*>)?(?P<lead>[^<]{0,200})<a\s[^>]*?href\s*=\s*[\"'](?P<href>[^\"']*#comment-"
    r"(?P<id>\d+))[\"'][^>]*>(?P<name>.{0,400}?)</a>(?P<tail>[^<]{0,40})(?:</p>|\n\n|<br\s*/?>)",
    re.IGNORECASE | re.DOTALL,
)


def comment_number(url: str) -> str:
    """N of a `…#comment-N` URL, or ""."""
    match = _COMMENT_ID.search(url or "")
    return match.group(1) if match else ""


def read_feed(body: bytes, url: str, what: str) -> Any:
    """feedparser's result for a comment feed (parsed from a BytesIO); refuses XML entities."""
    if not body.strip():
        raise CommentsUnavailable(f"{what} is empty")
    head = body[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
    prolog = scan_prolog(head)
    if prolog.entities:
        raise CommentsUnavailable(f"{what} declares XML entities; refused")
    if prolog.root.rpartition(":")[2].lower() in ("html", "head", "body"):
        raise CommentsUnavailable(f"{what} is a web page, not a feed")
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, "content-type": "application/xml"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.get("entries"):
        raise CommentsUnavailable(f"{what} is not a feed")
    return parsed


def entry_text(entry: Any, name: str) -> str:
    """A string field of a feedparser entry, stripped; "" when absent or not a string."""
    value = entry.get(name)
    return value.strip() if isinstance(value, str) else ""


def entry_author(entry: Any) -> tuple[str, str]:
    """(name, identity key) of the entry's author; the address never appears in the name."""
    detail = entry.get("author_detail")
    if isinstance(detail, dict) and (detail.get("name") or detail.get("email")):
        name, email = detail.get("name"), detail.get("email")
        return (name.strip() if isinstance(name, str) else ""), email_key(email)
    author = entry_text(entry, "author")
    key = email_key(author) if "@" in author else ""
    return ("" if key else author), key


def entry_content(entry: Any) -> str:
    """The entry's HTML: its content, else its summary."""
    contents = entry.get("content") or []
    value = contents[0].get("value", "") if contents else entry.get("summary", "")
    return value if isinstance(value, str) else ""


def entry_published(entry: Any) -> float | None:
    """When the entry was published (else updated), as a Unix time."""
    # dict.get: FeedParserDict.get warns when it maps one date onto the other
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    try:
        return float(calendar.timegm(parsed)) if parsed else None
    except (TypeError, ValueError, OverflowError):
        return None


def entry_key(entry: Any) -> str:
    """The comment's id: N from `#comment-N` in its link or guid, else the guid or link."""
    link, guid = entry_text(entry, "link"), entry_text(entry, "id")
    return comment_number(link) or comment_number(guid) or guid or link


def split_reply(html: str) -> tuple[str, str]:
    """(parent id, the text without WordPress's `In reply to …` line), or ("", html)."""
    match = _REPLY_PREFIX.match(html)
    if not match:
        return "", html
    return match.group("id"), html[match.end() :].lstrip()


def is_partial(found: int, expected: int | None) -> bool:
    """A WordPress comment feed is cut at 10 items; a known larger count also says so."""
    return found >= FEED_LIMIT or (expected is not None and expected > found)


def page_comment_feed(page: Page) -> str:
    """The post's own RSS comment feed among the page's `<link rel="alternate">`s, or ""."""
    own = page.url.split("#")[0].rstrip("/") + "/"
    for link in page.links:
        if "alternate" not in link.rel or link.type != "application/rss+xml":
            continue
        query = urlsplit(link.href).query
        if link.href.startswith(own) and link.href != own or ("p=" in query and "feed=" in query):
            return link.href
    return ""


class CommentFeedProvider(CommentProvider):
    """The article's `wfw:commentRss` feed (or the comment feed its page links to)."""

    name = "rss"
    label = "comment feed"

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the feed named a comment feed or the page links to one."""
        url = article.comment_feed
        if not url:
            page = await hints.page(client)
            url = page_comment_feed(page) if page else ""
        return Target(self.name, url, expected=article.comment_count) if url else None

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """Every item of the comment feed, parents read from the `In reply to` links."""
        what = "the comment feed"
        result = await get(client, target.url, what)
        parsed = read_feed(result.body, result.final_url or target.url, what)
        base = result.final_url or target.url
        comments = [_comment(entry, base) for entry in parsed.get("entries", [])[:MAX_ITEMS]]
        found = [c for c in comments if c.key]
        return FetchedThread(found, is_partial(len(found), target.expected))


def _comment(entry: Any, base: str) -> CommentData:
    parent, html = split_reply(entry_content(entry))
    return entry_comment(entry, base, parent, html)


def entry_comment(entry: Any, base: str, parent_key: str, content: str) -> CommentData:
    """A comment feed's entry as a comment under `parent_key`, with `content`; its link is
    resolved against `base`."""
    link = entry_text(entry, "link")
    author, author_key = entry_author(entry)
    return CommentData(
        key=entry_key(entry),
        parent_key=parent_key,
        author=author,
        content=content,
        published=entry_published(entry),
        link=urljoin(base, link) if link else "",
        author_key=author_key,
    )
