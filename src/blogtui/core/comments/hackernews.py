"""Hacker News (https://news.ycombinator.com): where an article is discussed, read through the
HN Search API that Algolia runs (https://hn.algolia.com/api).

Finding: `GET /api/v1/search?query=Q&restrictSearchableAttributes=url&tags=story` answers
`{"hits": [...], "page", "nbPages", "hitsPerPage", "nbHits"}`; a hit has `objectID`, `url`,
`title`, `num_comments`, `points`, `created_at_i`. The query is the URL without its scheme and
`www.` (every word of a query must match, and a story may have been submitted as http or with
`www.`); the search matches words, so only hits whose `url` is the article's (`url_key`) count.

Reading: `GET /api/v1/items/ID` answers the story with every comment nested in `children`
(`id`, `author`, `text` HTML, `created_at_i`, `parent_id`, `children`); a deleted or dead comment
has a null `author` and `text` and stays in the tree for its replies. The nesting is walked
without recursion. Replies are written on news.ycombinator.com (the browser).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from blogtui.core.comments.base import FetchedThread, Target
from blogtui.core.comments.discussion_site import (
    DiscussionSite,
    Story,
    read_json,
    same_url,
    text_of,
    url_key,
    whole,
)
from blogtui.core.comments.service import mapping
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import CommentData

API_ROOT = "https://hn.algolia.com"
SITE = "https://news.ycombinator.com"
WHAT = "Hacker News"
HITS_PER_PAGE = 100
MAX_SEARCH_PAGES = 3
"""Search pages read at most (a URL is rarely submitted more than a few times)."""
MAX_COMMENTS = 10_000
"""Comments kept at most; a larger discussion is marked partial."""
HN_USER = "hn-user:"


def _ident(value: object) -> str:
    """An item id (a JSON number or a string of digits) as text, "" for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    text = str(value).strip()
    return text if text.isascii() and text.isdigit() and len(text) < 20 else ""


def story_of(hit: Any) -> Story | None:
    """One search hit as a Story; None without a usable `objectID`."""
    data = mapping(hit)
    ident = _ident(data.get("objectID"))
    if not ident:
        return None
    return Story(
        ident,
        f"{SITE}/item?id={ident}",
        text_of(data.get("title"), 400),
        whole(data.get("num_comments")) or 0,
        whole(data.get("points")),
        text_of(data.get("url")),
    )


def comment_of(item: dict[str, Any], key: str, parent_key: str) -> CommentData:
    """One item of the nested answer as CommentData (a deleted or dead one without text)."""
    author = text_of(item.get("author"), 200)
    text = item.get("text")
    gone = item.get("author") is None and text is None
    created = whole(item.get("created_at_i"))
    return CommentData(
        key=key,
        parent_key=parent_key,
        author=author,
        content="" if gone else text_of(text, 200_000),
        published=float(created) if created is not None else None,
        author_url=f"{SITE}/user?id={author}" if author else "",
        link=f"{SITE}/item?id={key}",
        status="deleted" if gone else "approved",
        author_key=f"{HN_USER}{author}" if author else "",
    )


def flatten(story: dict[str, Any], limit: int = MAX_COMMENTS) -> tuple[list[CommentData], bool]:
    """The story's nested comments, flat, each with its parent's key ("" under the story);
    True as well when more than `limit` were there (the rest are left out)."""
    comments: list[CommentData] = []
    pending: list[tuple[Any, str]] = [(child, "") for child in _children(story)]
    pending.reverse()
    while pending:
        node, parent_key = pending.pop()
        item = mapping(node)
        key = _ident(item.get("id"))
        if not key:
            continue
        if len(comments) >= limit:
            return comments, True
        comments.append(comment_of(item, key, parent_key))
        pending.extend((child, key) for child in reversed(_children(item)))
    return comments, False


def _children(item: dict[str, Any]) -> list[Any]:
    children = item.get("children")
    return children if isinstance(children, list) else []


class HackerNewsProvider(DiscussionSite):
    """Hacker News discussions, found and read through HN Search by Algolia."""

    name = "hackernews"
    label = "Hacker News"

    def __init__(self, api_root: str = API_ROOT, max_comments: int = MAX_COMMENTS) -> None:
        super().__init__(api_root)
        self.max_comments = max_comments

    def story_page(self, ident: str) -> str:
        """news.ycombinator.com's page of story `ident`."""
        return f"{SITE}/item?id={ident}"

    def search_url(self, url: str, page: int = 0) -> str:
        """The search for stories submitted with `url` (one page of hits)."""
        query = {"query": url_key(url), "restrictSearchableAttributes": "url",
                 "tags": "story", "hitsPerPage": HITS_PER_PAGE, "page": page}  # fmt: skip
        return f"{self.api_root}/api/v1/search?{urlencode(query)}"

    async def stories(self, client: httpx.AsyncClient, url: str) -> list[Story]:
        """Every story whose `url` is `url` (scheme, `www.` and a trailing slash aside)."""
        found: list[Story] = []
        seen: set[str] = set()
        page, pages = 0, 1
        while page < min(pages, MAX_SEARCH_PAGES):
            answer = mapping(await read_json(client, self.search_url(url, page), WHAT))
            hits = answer.get("hits")
            if not isinstance(hits, list):
                raise CommentsUnavailable(f"{WHAT}: the search answered without hits")
            for story in map(story_of, hits):
                if story and same_url(story.link, url) and story.ident not in seen:
                    seen.add(story.ident)
                    found.append(story)
            pages = whole(answer.get("nbPages")) or 0
            page += 1
        return found

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The story's whole discussion (at most `max_comments` comments)."""
        ident = _ident(target.ident)
        if not ident:
            raise CommentsUnavailable(f"{WHAT}: not a story id")
        story = mapping(await read_json(client, f"{self.api_root}/api/v1/items/{ident}", WHAT))
        if _ident(story.get("id")) != ident:
            raise CommentsUnavailable(f"{WHAT}: the answer is not story {ident}")
        comments, partial = flatten(story, self.max_comments)
        return FetchedThread(comments, partial, comments_open=None)
