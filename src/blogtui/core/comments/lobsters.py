"""Lobsters (https://lobste.rs): where an article is discussed, read through the site's own JSON
(the routes and `as_json` of github.com/lobsters/lobsters).

Finding: `GET /stories/url/all.json?url=URL` answers every story submitted with that URL as
Lobsters normalises it (scheme, `www.`, trailing slash, fragment, `.html`, sorted query): a list
of stories with `short_id`, `title`, `url`, `score`, `comment_count`, `submitter_user`,
`user_is_author`, `comments_url`. Nothing submitted: `[]`.

Reading: `GET /s/SHORT_ID.json` answers the story with `comments`, flat, in thread order: each
has `short_id`, `parent_comment` (its parent's short id, null at the top), `comment` (HTML),
`commenting_user`, `created_at` (ISO 8601 with offset), `depth`, `is_deleted`, `is_moderated`
(a gone comment's `comment` says why). A merged story's JSON redirects to the story it was merged
into. Rate limits answer 429 with Retry-After. Replies are written on the site (the browser).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from blogtui.core.comments.base import FetchedThread, Target
from blogtui.core.comments.discussion_site import DiscussionSite, Story, read_json, text_of, whole
from blogtui.core.comments.service import mapping
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import CommentData

API_ROOT = "https://lobste.rs"
WHAT = "Lobsters"
MAX_STORIES = 50
"""Submissions of one URL looked at, at most."""
MAX_COMMENTS = 10_000
"""Comments kept at most; a larger discussion is marked partial."""
LOBSTERS_USER = "lobsters-user:"


def short_id(value: object) -> str:
    """A Lobsters short id (letters and digits), "" for anything else."""
    text = value.strip() if isinstance(value, str) else ""
    return text if text.isascii() and text.isalnum() and len(text) <= 20 else ""


def username(value: object) -> str:
    """`submitter_user` / `commenting_user`: a name (older versions: an object with one)."""
    if isinstance(value, dict):
        value = value.get("username")
    return text_of(value, 100)


def epoch(value: object) -> float | None:
    """An ISO 8601 time with its offset as a Unix time; None when unreadable or unzoned."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.timestamp() if moment.tzinfo else None


def comment_of(data: Any, page: str, site: str = API_ROOT) -> CommentData | None:
    """One comment of the story's JSON (on story `page` of `site`); None without a usable
    short id."""
    item = mapping(data)
    key = short_id(item.get("short_id"))
    if not key:
        return None
    author = username(item.get("commenting_user"))
    status = "approved"
    if item.get("is_moderated") is True:
        status = "removed"
    elif item.get("is_deleted") is True:
        status = "deleted"
    return CommentData(
        key=key,
        parent_key=short_id(item.get("parent_comment")),
        author=author,
        content="" if status == "deleted" else text_of(item.get("comment"), 200_000),
        published=epoch(item.get("created_at")),
        author_url=f"{site}/~{quote(author)}" if author else "",
        link=f"{page}#c_{key}" if page else "",
        status=status,
        author_key=f"{LOBSTERS_USER}{author}" if author else "",
    )


class LobstersProvider(DiscussionSite):
    """Lobsters discussions, found by URL and read from the story's JSON."""

    name = "lobsters"
    label = "Lobsters"

    def __init__(self, api_root: str = API_ROOT, max_comments: int = MAX_COMMENTS) -> None:
        super().__init__(api_root)
        self.max_comments = max_comments

    def story_page(self, ident: str) -> str:
        """The site's page of story `ident`."""
        return f"{self.api_root}/s/{quote(ident)}"

    def story_of(self, data: Any) -> Story | None:
        """One story of the listing as a Story; None without a usable short id."""
        item = mapping(data)
        ident = short_id(item.get("short_id"))
        if not ident:
            return None
        return Story(ident, self.story_page(ident), text_of(item.get("title"), 400),
                     whole(item.get("comment_count")) or 0, _score(item.get("score")),
                     text_of(item.get("url")))  # fmt: skip

    async def stories(self, client: httpx.AsyncClient, url: str) -> list[Story]:
        """Every story Lobsters files under `url` (it matches URLs itself)."""
        listing = f"{self.api_root}/stories/url/all.json?{urlencode({'url': url})}"
        answer = await read_json(client, listing, WHAT)
        if not isinstance(answer, list):
            raise CommentsUnavailable(f"{WHAT}: the story listing is not a list")
        unique: dict[str, Story] = {}
        for story in map(self.story_of, answer[:MAX_STORIES]):
            if story is not None:
                unique.setdefault(story.ident, story)
        return list(unique.values())

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The story's whole discussion (at most `max_comments` comments)."""
        ident = short_id(target.ident)
        if not ident:
            raise CommentsUnavailable(f"{WHAT}: not a story id")
        story = await read_json(client, f"{self.api_root}/s/{ident}.json", WHAT)
        listed = mapping(story).get("comments")
        if not isinstance(listed, list):
            raise CommentsUnavailable(f"{WHAT}: the story's answer has no comments list")
        page = self.story_page(short_id(mapping(story).get("short_id")) or ident)
        read = (comment_of(item, page, self.api_root) for item in listed[: self.max_comments])
        comments = [comment for comment in read if comment is not None]
        author = username(mapping(story).get("submitter_user"))
        is_author = mapping(story).get("user_is_author") is True
        return FetchedThread(
            comments,
            partial=len(listed) > self.max_comments,
            post_author_key=f"{LOBSTERS_USER}{author}" if author and is_author else "",
        )


def _score(value: object) -> int | None:
    """A story's score (may be negative), None when it is not a number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
