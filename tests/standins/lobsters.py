"""A Lobsters stand-in, written from the site's source (github.com/lobsters/lobsters): the routes
in config/routes.rb, StoryUrlsController#all, Story#as_json, Comment#as_json, Utils.normalize
and the Rack::Attack throttle in config/initializers/rack_attack.rb.

`GET /stories/url/all.json?url=URL` answers every story whose normalised URL is URL's (newest
first; a missing `url` is 400 `{"error": "param is missing or the value is empty: url"}`), each
as Story#as_json: `short_id`, `created_at`, `title`, `url`, `score`, `flags`, `comment_count`,
`description`, `description_plain`, `submitter_user`, `user_is_author`, `tags`, `short_id_url`,
`comments_url`. `GET /s/ID.json` is the same with `comments`, in thread order, each as
Comment#as_json: `short_id`, `created_at`, `last_edited_at`, `is_deleted`, `is_moderated`,
`score`, `flags`, `parent_comment`, `comment`, `comment_plain`, `depth`, `commenting_user`,
`short_id_url`, `url`; a gone comment's `comment` is `<em>Comment removed by author</em>` (or by
a moderator, with the reason). A merged story's JSON redirects (302) to the story it was merged
into; an unknown one is Rails' HTML 404 page. Throttled: 429 text/plain with RateLimit-Limit,
RateLimit-Remaining, RateLimit-Reset and Retry-After.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

NOT_FOUND = (
    b"<!DOCTYPE html><html><head><title>The page you were looking for doesn't exist (404)"
    b"</title></head><body><h1>The page you were looking for doesn't exist.</h1></body></html>"
)


def normalize(url: str) -> str:
    """Utils.normalize, the rules that matter for blog posts."""
    url = re.sub(r"#.*$", "", url)
    url = re.sub(r"/$", "", url)
    url = re.sub(r"\.html?$", "", url)
    url = re.sub(r"/index$", "", url)
    url = re.sub(r"https?://", "", url, count=1)
    url = re.sub(r"\Awww\d*\.(.+?\..+)", r"\1", url)
    base, *args = re.split(r"[&?]", url)
    if args:
        base += "?" + "&".join(sorted(args))
    return base


def stamp(seconds: int) -> str:
    """A Rails time in the site's zone (America/Chicago, -06:00 in winter)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000-06:00", time.gmtime(seconds - 6 * 3600))


@dataclass
class LobStory:
    """One story; comment n's short id is `c{short_id}{n}`."""

    short_id: str
    url: str
    items: list[Item]
    title: str = "Straßenkäse: ein Artikel"
    user_is_author: bool = False
    merged_into: str = ""
    deleted: set[int] = field(default_factory=set)
    moderated: set[int] = field(default_factory=set)
    texts: dict[int, str] = field(default_factory=dict)

    def key(self, number: int) -> str:
        return f"c{self.short_id}{number}" if number else ""


class LobstersStandIn(StandIn):
    """Serves the URL lookup and story JSON for the stories in `stories`."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.stories: dict[str, LobStory] = {}
        self.throttled = 0
        self.garbage: bytes | None = None

    def add(self, story: LobStory) -> LobStory:
        self.stories[story.short_id] = story
        return story

    def answer(self, seen: Seen) -> Reply:
        if self.throttled > 0:
            self.throttled -= 1
            reset = str(int(time.time()) + 30)
            headers = {"Content-Type": "text/plain", "RateLimit-Limit": "30",
                       "RateLimit-Remaining": "0", "RateLimit-Reset": reset,
                       "Retry-After": "30"}  # fmt: skip
            body = b"Throttled, sleep(1) between hits; more in config/initializers/rack_attack.rb\n"
            return Reply(429, body, headers)
        if self.garbage is not None:
            return Reply(200, self.garbage, {"Content-Type": "application/json"})
        if seen.path == "/stories/url/all.json":
            return self.by_url(seen)
        match = re.fullmatch(r"/s/([A-Za-z0-9]+)\.json", seen.path)
        story = self.stories.get(match.group(1)) if match else None
        if story is None:
            return Reply(404, NOT_FOUND, {"Content-Type": "text/html; charset=utf-8"})
        if story.merged_into:
            return Reply(302, b"", {"Location": f"{self.origin}/s/{story.merged_into}.json"})
        return Reply.json(200, self.story(story) | {"comments": self.comments(story)})

    def by_url(self, seen: Seen) -> Reply:
        url = seen.query.get("url", [""])[0]
        if not url:
            return Reply.json(400, {"error": "param is missing or the value is empty: url"})
        found = [s for s in self.stories.values() if normalize(s.url) == normalize(url)]
        return Reply.json(200, [self.story(s) for s in reversed(found)])

    def story(self, story: LobStory) -> dict[str, Any]:
        page = f"{self.origin}/s/{story.short_id}"
        return {
            "short_id": story.short_id,
            "created_at": stamp(1_700_000_000),
            "title": story.title,
            "url": story.url,
            "score": 17,
            "flags": 0,
            "comment_count": len(story.items),
            "description": "",
            "description_plain": "",
            "submitter_user": "grüner_hummer",
            "user_is_author": story.user_is_author,
            "tags": ["programming", "web"],
            "short_id_url": page,
            "comments_url": f"{page}/strassenkase_ein_artikel",
        }

    def comments(self, story: LobStory) -> list[dict[str, Any]]:
        """Depth-first thread order, each comment with its depth (no recursion)."""
        children: dict[int, list[Item]] = {}
        for item in story.items:
            children.setdefault(item.parent, []).append(item)
        ordered: list[dict[str, Any]] = []
        pending = [(item, 0) for item in reversed(children.get(0, []))]
        while pending:
            item, depth = pending.pop()
            ordered.append(self.comment(story, item, depth))
            pending.extend((child, depth + 1) for child in reversed(children.get(item.number, [])))
        return ordered

    def comment(self, story: LobStory, item: Item, depth: int) -> dict[str, Any]:
        key = story.key(item.number)
        text = story.texts.get(item.number, item.text)
        deleted, moderated = item.number in story.deleted, item.number in story.moderated
        if moderated:
            text = "<em>Comment removed by moderator pushcx: Off-topic</em>"
        elif deleted:
            text = "<em>Comment removed by author</em>"
        created = 1_700_000_000 + item.number * 60
        return {
            "short_id": key,
            "created_at": stamp(created),
            "last_edited_at": stamp(created),
            "is_deleted": deleted,
            "is_moderated": moderated,
            "score": 1 + item.number % 5,
            "flags": 0,
            "parent_comment": story.key(item.parent) or None,
            "comment": text,
            "comment_plain": re.sub(r"<[^>]+>", "", text),
            "depth": depth,
            "commenting_user": f"nutzer_{quote(item.author.split()[-1])}",
            "short_id_url": f"{self.origin}/c/{key}",
            "url": f"{self.origin}/s/{story.short_id}/strassenkase_ein_artikel#c_{key}",
        }
