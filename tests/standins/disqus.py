"""A Disqus API 3.0 stand-in: `threads/listPosts.json` as Disqus documents it.

Answers `{"code": 0, "cursor": {…}, "response": [post…]}` with cursor paging (`limit` at most 100,
`cursor.next` opaque, `hasNext`), `related=thread` putting the thread object in each post, and
errors as `{"code": N, "response": "text"}` with the documented HTTP statuses (5 invalid key 403,
2 invalid argument 400, 12 no privileges 400, 13/14 rate limits 400). Every answer carries
X-Ratelimit-Limit/-Remaining/-Reset; `too_many` makes the next answers HTTP 429 + Retry-After.

Posting: `threads/details.json` (`forum` + `thread:ident`/`thread:link` -> the thread object with
its `id`) and `POST posts/create.json` (form fields `thread` (the id), `message`, `parent`,
`api_key` + `access_token`), answering `{"code": 0, "response": post}`; a missing or wrong
access token is code 4 ("You must provide an authenticated user for this method", HTTP 400),
an empty message code 2, a closed thread code 2 ("Thread is closed"), a moderated forum posts
with `isApproved: false` (listed only once approved).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

ID_OFFSET = 7_000_000_000
"""Disqus post ids are large numbers: comment n has id ID_OFFSET + n."""


@dataclass
class DisqusThread:
    """One thread of one forum."""

    forum: str
    ident: str
    link: str
    items: list[Item]
    closed: bool = False
    private: bool = False
    deleted: set[int] = field(default_factory=set)
    pending: set[int] = field(default_factory=set)


class DisqusStandIn(StandIn):
    """Serves /api/3.0/threads/listPosts.json for the threads it holds."""

    def __init__(
        self, key: str = "public-key-1", latency: float = 0.0, token: str = "access-token-1"
    ) -> None:
        super().__init__(latency)
        self.key = key
        self.token = token
        """The user's OAuth access token posts/create accepts."""
        self.user = "Jörg Disqus"
        """The name of the token's account: what posts made with it show."""
        self.moderated = False
        self.threads: list[DisqusThread] = []
        self.quota = 1000
        self.too_many = 0
        self.retry_after = "2"
        self.stuck = False
        """A broken cursor: every page says the next one is the second, forever."""

    @property
    def api_root(self) -> str:
        return f"{self.origin}/api/3.0/"

    def headers(self) -> dict[str, str]:
        reset = str(int(time.time()) + 1800)
        return {
            "X-Ratelimit-Limit": "1000",
            "X-Ratelimit-Remaining": str(max(self.quota, 0)),
            "X-Ratelimit-Reset": reset,
        }

    def error(self, status: int, code: int, text: str) -> Reply:
        return Reply.json(status, {"code": code, "response": text}, **self.headers())

    def answer(self, seen: Seen) -> Reply:
        if seen.path == "/api/3.0/posts/create.json" and seen.method == "POST":
            return self.create(seen.form)
        if seen.path == "/api/3.0/threads/details.json":
            return self.details({name: values[0] for name, values in seen.query.items()})
        if seen.path != "/api/3.0/threads/listPosts.json":
            return self.error(400, 1, "Endpoint not valid")
        if self.too_many > 0:
            self.too_many -= 1
            return Reply.json(
                429,
                {"code": 13, "response": "You have exceeded the rate limit"},
                **{"Retry-After": self.retry_after},
                **self.headers(),
            )
        first = {name: values[0] for name, values in seen.query.items()}
        if first.get("api_key") != self.key:
            return self.error(403, 5, "Invalid API key")
        self.quota -= 1
        if self.quota < 0:
            return self.error(400, 14, "You have exceeded the rate limit for your account")
        thread = self.find(first)
        if thread is None:
            wanted = first.get("thread:ident") or first.get("thread:link") or ""
            return self.error(
                400, 2, f"Invalid argument, 'thread': Unable to find thread '{wanted}'"
            )
        if thread.private:
            return self.error(400, 12, "This application does not have enough privileges")
        limit = min(max(int(first.get("limit", "25")), 1), 100)
        start = int(first.get("cursor", "0:0:0").split(":")[0] or 0)
        visible = [i for i in thread.items if i.number not in thread.pending]
        page = visible[start : start + limit]
        more = start + limit < len(visible)
        with_thread = "thread" in seen.query.get("related", [])
        posts = [self.post(thread, item, with_thread) for item in page]
        cursor = {
            "prev": None,
            "hasNext": more,
            "next": (f"{limit}:0:0" if self.stuck else f"{start + limit}:0:0") if more else None,
            "hasPrev": start > 0,
            "total": None,
            "id": f"{start}:0:0",
            "more": more,
        }
        return Reply.json(200, {"code": 0, "cursor": cursor, "response": posts}, **self.headers())

    def find(self, query: dict[str, str]) -> DisqusThread | None:
        for thread in self.threads:
            if thread.forum != query.get("forum"):
                continue
            if query.get("thread:ident") == thread.ident or query.get("thread:link") == thread.link:
                return thread
        return None

    def post(self, thread: DisqusThread, item: Item, with_thread: bool) -> dict[str, object]:
        deleted = item.number in thread.deleted
        details = {
            "id": "8811",
            "forum": thread.forum,
            "identifiers": [thread.ident],
            "link": thread.link,
            "isClosed": thread.closed,
            "posts": len(thread.items),
        }
        return {
            "id": str(ID_OFFSET + item.number),
            "parent": ID_OFFSET + item.parent if item.parent else None,
            "thread": details if with_thread else "8811",
            "forum": thread.forum,
            "message": "" if deleted else item.text,
            "raw_message": "",
            "createdAt": time.strftime(
                "%Y-%m-%dT%H:%M:%S", time.gmtime(1_700_000_000 + item.number * 60)
            ),
            "author": {
                "name": item.author,
                "username": f"user{item.number % 17}",
                "id": str(900 + item.number % 17),
                "isAnonymous": item.number % 5 == 0,
                "url": "",
                "profileUrl": f"https://disqus.com/by/user{item.number % 17}/",
            },
            "isDeleted": deleted,
            "isApproved": item.number not in thread.pending,
            "isSpam": False,
            "isFlagged": False,
            "isHighlighted": False,
            "isEdited": False,
            "likes": 0,
            "dislikes": 0,
            "points": 0,
        }

    def details(self, query: dict[str, str]) -> Reply:
        """threads/details.json: the thread object (with its numeric `id`)."""
        if query.get("api_key") != self.key:
            return self.error(403, 5, "Invalid API key")
        thread = self.find(query)
        if thread is None:
            return self.error(400, 2, "Invalid argument, 'thread': Unable to find thread")
        number = str(8800 + self.threads.index(thread))
        body = {
            "id": number,
            "forum": thread.forum,
            "identifiers": [thread.ident],
            "link": thread.link,
            "isClosed": thread.closed,
            "posts": len(thread.items),
        }
        return Reply.json(200, {"code": 0, "response": body}, **self.headers())

    def create(self, form: dict[str, str]) -> Reply:
        """posts/create.json with an access token: the new post, stored in its thread."""
        if form.get("api_key") != self.key:
            return self.error(403, 5, "Invalid API key")
        if form.get("access_token") != self.token:
            return self.error(400, 4, "You must provide an authenticated user for this method")
        if self.too_many > 0:
            self.too_many -= 1
            body = {"code": 13, "response": "You have exceeded the rate limit for this resource"}
            return Reply.json(429, body, **{"Retry-After": self.retry_after}, **self.headers())
        numbers = {str(8800 + i): t for i, t in enumerate(self.threads)}
        thread = numbers.get(form.get("thread", ""))
        if thread is None:
            return self.error(400, 2, "Invalid argument, 'thread': Unable to find thread")
        if thread.closed:
            return self.error(400, 2, "Invalid argument, 'thread': Thread is closed")
        message = form.get("message", "").strip()
        if not message:
            return self.error(400, 2, "Invalid argument, 'message': This field is required.")
        parent = int(form["parent"]) - ID_OFFSET if form.get("parent") else 0
        html = "".join(f"<p>{part}</p>" for part in message.split("\n\n"))
        item = Item(len(thread.items) + 1, parent, self.user, html)
        thread.items.append(item)
        if self.moderated:
            thread.pending.add(item.number)
        post = self.post(thread, item, False)
        post["author"] = {"name": self.user, "username": "joerg", "id": "4242",
                          "isAnonymous": False, "url": ""}  # fmt: skip
        return Reply.json(200, {"code": 0, "response": post}, **self.headers())
