"""A Discourse stand-in: the topic JSON an embedded blog post's comments live in.

`/t/{id}.json` answers the topic with `post_stream.posts` (the first 20) and `post_stream.stream`
(every post id); `/t/{id}/posts.json?post_ids[]=…` answers `{"post_stream": {"posts": […]}}`;
`/embed/comments?embed_url=…` is the embed's HTML page (post links `/t/SLUG/ID/N`), served only
with a Referer from the blog. Post 1 is the article's copy; comment n is post n + 1, its parent
in `reply_to_post_number`. Errors as Discourse sends them: `{"errors": […], "error_type": …}`
(403 invalid_access, 404 not_found, 429 rate_limit with `extras.wait_seconds` and Retry-After).
A private topic is shown only with the right `User-Api-Key` header.

Posting: `POST /posts.json` with a JSON body `topic_id`, `raw`, `reply_to_post_number` and the
`User-Api-Key` header answers the new post (`id`, `post_number`, `topic_id`, `topic_slug`,
`cooked`, `reply_to_post_number`); without a valid key 403 `invalid_access`; a short body 422
`{"action": "create_post", "errors": ["Body is too short …"]}`; a closed topic 422 "This topic
is closed"; `approval` answers `{"success": true, "action": "enqueued", "pending_post": …}`.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

CHUNK = 20


@dataclass
class Topic:
    """One topic: its id, the article it embeds, its comments."""

    id: int
    embed_url: str
    items: list[Item]
    slug: str = "kommentare-zum-artikel"
    closed: bool = False
    private: bool = False
    deleted: set[int] = field(default_factory=set)
    small_actions: set[int] = field(default_factory=set)
    """Comment numbers shown as small actions (post_type 3) instead."""


class DiscourseStandIn(StandIn):
    """Serves topics, their posts by id, and the embed page."""

    def __init__(self, user_api_key: str = "user-api-key-1", latency: float = 0.0) -> None:
        super().__init__(latency)
        self.user_api_key = user_api_key
        self.topics: dict[int, Topic] = {}
        self.built: dict[int, list[dict[str, object]]] = {}
        """Each topic's posts, built on the first request (topics do not change after)."""
        self.too_many = 0
        self.user = ("joerg", "Jörg Discourse")
        """The key's account (username, name): what its posts show."""
        self.approval = False
        self.min_length = 20

    @property
    def forum(self) -> str:
        return f"{self.origin}/forum/"

    def error(self, status: int, kind: str, text: str, **headers: str) -> Reply:
        return Reply.json(status, {"errors": [text], "error_type": kind}, **headers)

    def answer(self, seen: Seen) -> Reply:
        if self.too_many > 0:
            self.too_many -= 1
            body = {
                "errors": [
                    "You’ve performed this action too many times. Please wait 90"
                    " seconds before trying again."
                ],
                "error_type": "rate_limit",
                "extras": {"wait_seconds": 90, "time_left": "90 seconds"},
            }
            return Reply.json(429, body, **{"Retry-After": "90"})
        if seen.method == "POST":
            return self.create(seen)
        if seen.path == "/forum/embed/comments":
            return self.embed_page(seen)
        match = re.fullmatch(r"/forum/t/(\d+)(\.json|/posts\.json)", seen.path)
        topic = self.topics.get(int(match.group(1))) if match else None
        if topic is None or match is None:
            return self.error(404, "not_found", "The requested URL or resource could not be found.")
        if topic.private and seen.headers.get("user-api-key") != self.user_api_key:
            return self.error(
                403, "invalid_access", "You are not permitted to view the requested resource."
            )
        posts = self.built.get(topic.id) or [self.first_post(topic)] + [
            self.post(topic, i) for i in topic.items
        ]
        self.built[topic.id] = posts
        if match.group(2) == "/posts.json":
            wanted = {int(v) for v in seen.query.get("post_ids[]", []) if v.isdigit()}
            chosen = [p for p in posts if p["id"] in wanted]
            return Reply.json(200, {"post_stream": {"posts": chosen}, "id": topic.id})
        body = {
            "id": topic.id,
            "title": "Kommentare zum Artikel",
            "slug": topic.slug,
            "posts_count": len(posts),
            "closed": topic.closed,
            "archived": False,
            "chunk_size": CHUNK,
            "details": {"created_by": {"id": 2, "username": "bloggerin"}},
            "post_stream": {"posts": posts[:CHUNK], "stream": [p["id"] for p in posts]},
        }
        return Reply.json(200, body)

    def embed_page(self, seen: Seen) -> Reply:
        wanted = seen.query.get("embed_url", [""])[0]
        if not seen.headers.get("referer", "").startswith(self.origin):
            return Reply(
                403,
                b"<p>embedding is not allowed from this host</p>",
                {"Content-Type": "text/html"},
            )
        topic = next((t for t in self.topics.values() if t.embed_url == wanted), None)
        if topic is None:
            return Reply(
                200, b"<p>Loading discussion\xe2\x80\xa6</p>", {"Content-Type": "text/html"}
            )
        links = "".join(
            f"<article class='post'><a class='post-date' href='{self.forum}t/{topic.slug}/"
            f"{topic.id}/{i.number + 1}'>1d</a>{i.text}</article>"
            for i in topic.items[:10]
        )
        count = f"<span class='replies'>{len(topic.items)}</span>"
        page = f"<header class='discourse'>{count}</header>{links}"
        return Reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def first_post(self, topic: Topic) -> dict[str, object]:
        return {
            "id": topic.id * 100_000 + 1,
            "post_number": 1,
            "post_type": 1,
            "reply_to_post_number": None,
            "username": "bloggerin",
            "name": "Die Bloggerin",
            "user_id": 2,
            "cooked": "<p>Der Artikel selbst.</p>",
            "created_at": "2024-01-01T08:00:00.000Z",
            "deleted_at": None,
            "hidden": False,
            "user_deleted": False,
        }

    def post(self, topic: Topic, item: Item) -> dict[str, object]:
        number = item.number + 1
        deleted = item.number in topic.deleted
        parent = item.parent + 1 if item.parent else (1 if item.number % 2 else None)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(1_700_000_000 + number * 60))
        return {
            "id": topic.id * 100_000 + number,
            "post_number": number,
            "post_type": 3 if item.number in topic.small_actions else 1,
            "reply_to_post_number": parent,
            "username": f"nutzer{item.number % 13}",
            "name": item.author,
            "user_id": 100 + item.number % 13,
            "cooked": "<p>(Beitrag vom Verfasser gelöscht)</p>" if deleted else item.text,
            "created_at": stamp,
            "deleted_at": None,
            "hidden": False,
            "user_deleted": deleted,
            "avatar_template": "/user_avatar/{size}/1.png",
        }

    def create(self, seen: Seen) -> Reply:
        """`POST /posts.json`: a new post in a topic, as the key's user."""
        if seen.path != "/forum/posts.json":
            return self.error(404, "not_found", "The requested URL or resource could not be found.")
        if seen.headers.get("user-api-key") != self.user_api_key:
            return self.error(
                403, "invalid_access", "You are not permitted to view the requested resource."
            )
        data = json.loads(seen.body or b"{}")
        topic = self.topics.get(int(data.get("topic_id") or 0))
        if topic is None:
            return self.error(404, "not_found", "The requested URL or resource could not be found.")
        raw = str(data.get("raw") or "")
        if topic.closed:
            return Reply.json(422, {"action": "create_post", "errors": ["This topic is closed."]})
        if len(raw.strip()) < self.min_length:
            too_short = f"Body is too short (minimum is {self.min_length} characters)"
            return Reply.json(422, {"action": "create_post", "errors": [too_short]})
        if self.approval:
            pending = {"id": 1, "raw": raw, "topic_id": topic.id}
            body = {"success": True, "action": "enqueued", "pending_post": pending}
            return Reply.json(200, body | {"pending_count": 1})
        parent = int(data.get("reply_to_post_number") or 0)
        html = "".join(f"<p>{part}</p>" for part in raw.split("\n\n"))
        item = Item(len(topic.items) + 1, parent - 1 if parent > 1 else 0, self.user[1], html)
        topic.items.append(item)
        self.built.pop(topic.id, None)
        post = self.post(topic, item)
        post.update(username=self.user[0], topic_id=topic.id, topic_slug=topic.slug,
                    reply_to_post_number=parent or None)  # fmt: skip
        return Reply.json(200, post)
