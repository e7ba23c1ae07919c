"""A Hacker News Search (Algolia) stand-in, written from https://hn.algolia.com/api.

`GET /api/v1/search?query=…&tags=story&restrictSearchableAttributes=url&hitsPerPage=N&page=P`
answers `{"hits": […], "nbHits", "page", "nbPages", "hitsPerPage", "exhaustiveNbHits", "query",
"params", "processingTimeMS"}`; a hit has `objectID` (a string), `title`, `url`, `author`,
`points`, `num_comments`, `created_at`, `created_at_i`, `story_id`, `_tags`. Matching is
Algolia's: every word of the query must be a word of the url (the last one a prefix), so
`example.com/a` also finds `example.com/a/b`. `hitsPerPage` defaults to 20; past 1000 the API
answers 400 `{"message": "…", "status": 400}`.

`GET /api/v1/items/ID` answers the item with its whole thread nested in `children`: `id`,
`created_at`, `created_at_i`, `type`, `author`, `title`, `url`, `text`, `points`, `parent_id`,
`story_id`, `options`, `children`. Deleted and dead comments keep their place with a null
`author` and `text`. Unknown ids: 404 `{"status": 404, "error": "Not Found"}`. Too many requests:
429 `{"message": "…", "status": 429}` (the docs name a limit of 10,000 requests an hour per IP,
no headers; `retry_after` adds one).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

MAX_HITS_PER_PAGE = 1000
_WORD = re.compile(r"[a-z0-9äöüß]+")


@dataclass
class HnStory:
    """One story: id, the URL submitted, its comments (item n has id `id + n`)."""

    id: int
    url: str
    items: list[Item]
    title: str = "Käse für alle: ein Artikel"
    points: int = 42
    deleted: set[int] = field(default_factory=set)
    dead: set[int] = field(default_factory=set)
    texts: dict[int, str] = field(default_factory=dict)
    """Comment texts that replace the generated ones (hostile HTML)."""


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def nested_json(root: dict[str, Any]) -> str:
    """`root` as JSON, its `children` nested as deep as they go (json.dumps would recurse)."""
    out: list[str] = []
    pending: list[str | dict[str, Any]] = [root]
    while pending:
        part = pending.pop()
        if isinstance(part, str):
            out.append(part)
            continue
        head = json.dumps({k: v for k, v in part.items() if k != "children"}, ensure_ascii=False)
        out.append(head[:-1] + (', "children": [' if len(head) > 2 else '"children": ['))
        pending.append("]}")
        for index, child in reversed(list(enumerate(part["children"]))):
            pending.append(child)
            if index:
                pending.append(",")
    return "".join(out)


def stamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


class HackerNewsStandIn(StandIn):
    """Serves search and items for the stories in `stories`."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.stories: dict[int, HnStory] = {}
        self.too_many = 0
        self.retry_after = ""
        self.garbage: bytes | None = None
        """When set, every API answer is this body (200, text/html)."""

    def add(self, story: HnStory) -> HnStory:
        self.stories[story.id] = story
        return story

    def answer(self, seen: Seen) -> Reply:
        if self.too_many > 0:
            self.too_many -= 1
            extra = {"Retry-After": self.retry_after} if self.retry_after else {}
            body = {"message": "Too many requests, please slow down", "status": 429}
            return Reply.json(429, body, **extra)
        if self.garbage is not None:
            return Reply(200, self.garbage, {"Content-Type": "text/html; charset=utf-8"})
        if seen.path == "/api/v1/search":
            return self.search(seen)
        match = re.fullmatch(r"/api/v1/items/(\d+)", seen.path)
        story = self.stories.get(int(match.group(1))) if match else None
        if story is None:
            return Reply.json(404, {"status": 404, "error": "Not Found"})
        body = nested_json(self.item(story)).encode("utf-8")
        return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"})

    def search(self, seen: Seen) -> Reply:
        query = seen.query.get("query", [""])[0]
        per_page = int(seen.query.get("hitsPerPage", ["20"])[0] or 20)
        page = int(seen.query.get("page", ["0"])[0] or 0)
        if not 0 <= per_page <= MAX_HITS_PER_PAGE:
            message = f'Invalid value for "hitsPerPage" parameter, expected integer between 0 and {MAX_HITS_PER_PAGE}'  # noqa: E501
            return Reply.json(400, {"message": message, "status": 400})
        wanted = words(query)
        hits = [self.hit(s) for s in self.stories.values() if self.matches(s, wanted, seen)]
        pages = -(-len(hits) // per_page) if per_page else 0
        body = {
            "hits": hits[page * per_page : (page + 1) * per_page],
            "nbHits": len(hits),
            "page": page,
            "nbPages": pages,
            "hitsPerPage": per_page,
            "exhaustiveNbHits": True,
            "exhaustiveTyposTolerance": True,
            "query": query,
            "params": seen.query and "&".join(f"{k}={v[0]}" for k, v in seen.query.items()),
            "processingTimeMS": 1,
        }
        return Reply.json(200, body)

    @staticmethod
    def matches(story: HnStory, wanted: list[str], seen: Seen) -> bool:
        if "story" not in seen.query.get("tags", [""])[0].split(","):
            return False
        have = words(story.url)
        if seen.query.get("restrictSearchableAttributes", [""])[0] != "url":
            have += words(story.title)
        *whole, last = wanted or [""]
        return all(w in have for w in whole) and any(h.startswith(last) for h in have)

    def hit(self, story: HnStory) -> dict[str, Any]:
        created = 1_700_000_000 + story.id % 1000
        return {
            "_tags": ["story", f"author_nutzer{story.id % 7}", f"story_{story.id}"],
            "author": f"nutzer{story.id % 7}",
            "children": [story.id + i.number for i in story.items if not i.parent],
            "created_at": stamp(created),
            "created_at_i": created,
            "num_comments": len(story.items),
            "objectID": str(story.id),
            "points": story.points,
            "story_id": story.id,
            "title": story.title,
            "updated_at": stamp(created + 3600),
            "url": story.url,
        }

    def item(self, story: HnStory) -> dict[str, Any]:
        """The story with its comments nested, built without recursion."""
        root = self.node(story, None)
        nodes: dict[int, dict[str, Any]] = {0: root}
        for item in story.items:
            node = self.node(story, item)
            nodes[item.number] = node
            nodes[item.parent]["children"].append(node)
        return root

    def node(self, story: HnStory, item: Item | None) -> dict[str, Any]:
        if item is None:
            created = 1_700_000_000 + story.id % 1000
            return {"id": story.id, "created_at": stamp(created), "created_at_i": created,
                    "type": "story", "author": f"nutzer{story.id % 7}", "title": story.title,
                    "url": story.url, "text": None, "points": story.points, "parent_id": None,
                    "story_id": story.id, "options": [], "children": []}  # fmt: skip
        created = 1_700_000_000 + item.number * 60
        gone = item.number in story.deleted or item.number in story.dead
        return {
            "id": story.id + item.number,
            "created_at": stamp(created),
            "created_at_i": created,
            "type": "comment",
            "author": None if gone else item.author,
            "title": None,
            "url": None,
            "text": None if gone else story.texts.get(item.number, item.text),
            "points": None,
            "parent_id": story.id + item.parent if item.parent else story.id,
            "story_id": story.id,
            "options": [],
            "children": [],
        }
