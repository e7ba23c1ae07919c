"""A Mastodon instance stand-in, written from docs.joinmastodon.org (methods/statuses, search,
entities/Status, api/rate-limits, api/guidelines).

- `GET /api/v1/statuses/:id`: a Status (`id`, `uri`, `url`, `created_at`, `in_reply_to_id`,
  `visibility`, `spoiler_text`, `content` HTML, `account`, `media_attachments`,
  `favourites_count`, `reblogs_count`, `replies_count`); a private, direct or deleted one is
  404 `{"error": "Record not found"}` (private ones shown with a valid token).
- `GET /api/v1/statuses/:id/context`: `{"ancestors": […], "descendants": […]}`, descendants in
  thread order (depth first). Without a token at most 40 ancestors and 60 descendants, 20
  deep; with one, 4,096 (`obey_limits = False` serves everything: a misbehaving server).
- `GET /api/v2/search?q=URL&resolve=true&type=statuses`: `{"accounts": [], "statuses": […],
  "hashtags": []}`; resolving needs a user token (401 otherwise) with `read:search` (or `read`;
  403 otherwise). A URL of a status on another
  stand-in (`peers`) is "fetched" and given a local id here.
- `POST /api/v1/statuses` (form data `status`, `in_reply_to_id`, `visibility`; `Authorization:
  Bearer`, `Idempotency-Key`): the new Status; a key seen before (same token) answers the status
  it made, nothing new is posted. 401 `{"error": "The access token is invalid"}`, 422
  `{"error": "Validation failed: Text can't be blank"}`, 404 for a parent that does not exist.
  A reply to a peer's status is delivered to that peer (federation, instantly). The text is
  stored as Mastodon renders it: escaped, paragraphs as `<p>`, line breaks `<br />`, a
  mention `@user@host` as `<span class="h-card"><a class="u-url mention">@<span>user</span>`.
  `lose` makes the next POSTs lose their answer, one mode each: "502-after" (the status is
  made, a proxy answers 502), "dropped-after" (made, the connection closes without an
  answer), "dropped-before" (the connection closes, nothing is made).
  `go_down()` takes the instance off the net: new connections are refused, open ones closed.
- `GET /api/v1/accounts/verify_credentials`: the token's own account (`id`, `username`,
  `acct`, `display_name`, `url`); 401 `{"error": "The access token is invalid"}` without one,
  403 `{"error": "This action is outside the authorized scopes"}` for a token without
  `read:accounts` (nor `profile`, nor `read`): `scopes` are the token's.
- Every answer carries `X-RateLimit-Limit`, `-Remaining` and `-Reset` (ISO 8601); `too_many`
  answers 429 `{"error": "Too many requests"}`. `closed` (an instance that refuses visitors)
  answers unauthenticated reads with 401 `{"error": "This API requires an authenticated user"}`;
  `html` answers every API call with an HTML page.
"""

from __future__ import annotations

import html
import re
import sys
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

BASE = 113_000_000_000_000_000
"""Status ids are snowflakes: the toot is BASE, comment n is BASE + n."""
LIMIT = 300
SHOWN = ("public", "unlisted")
"""Visibilities a context lists to anyone (private and direct ones only to their audience)."""


def stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def account_id(user: str) -> str:
    """An account's id on this instance (stable for its acct)."""
    return str(zlib.crc32(user.encode()) % 10**6)


MENTION = re.compile(r"(?<![\w/])@([\w.-]+)(?:@([\w.-]+(?::\d+)?))?")


class Dropped(Exception):
    """The stand-in closes the connection without answering."""


@dataclass
class Toot:
    """A status kept by the stand-in, with its replies' shape."""

    id: str
    user: str
    name: str
    content: str
    parent: str | None = None
    visibility: str = "public"
    spoiler: str = ""
    media: list[dict[str, Any]] = field(default_factory=list)
    favourites: int = 0
    boosts: int = 0
    created: float = 1_700_000_000.0
    remote: str = ""
    """For a copy of another instance's status: its URL there."""


class MastodonStandIn(StandIn):
    """One instance: its statuses, tokens, idempotency keys and peers."""

    def __init__(self, token: str = "token-1", latency: float = 0.0) -> None:
        super().__init__(latency)
        self.token = token
        self.toots: dict[str, Toot] = {}
        self.deleted: set[str] = set()
        self.peers: list[MastodonStandIn] = []
        self.keys: dict[tuple[str, str], str] = {}
        self.too_many = 0
        self.closed = False
        self.html = False
        self.obey_limits = True
        self.me = ("joerg", "Jörg auf Mastodon")
        self.next_id = BASE + 900_000
        self.lose: list[str] = []
        self.scopes = {"read", "write"}
        self.down = False
        plain = self.server.handle_error

        def handle_error(request: Any, address: Any) -> None:
            if not isinstance(sys.exc_info()[1], Dropped):
                plain(request, address)

        self.server.handle_error = handle_error  # type: ignore[method-assign]

    # building threads -------------------------------------------------------------------------

    def add_thread(self, items: list[Item], **root: Any) -> str:
        """A toot by `anna` with `items` as its replies; the toot's id."""
        root_id = str(BASE)
        self.toots[root_id] = Toot(root_id, "anna", "Anna Bloggerin",
                                   "<p>Neuer Artikel: Käse &amp; Brötchen</p>", **root)  # fmt: skip
        for item in items:
            key = str(BASE + item.number)
            parent = str(BASE + item.parent) if item.parent else root_id
            user = f"nutzer{item.number % 13}@beispiel.social"
            self.toots[key] = Toot(key, user, item.author, item.text, parent,
                                   created=1_700_000_000.0 + item.number * 60)  # fmt: skip
        return root_id

    def web_url(self, toot: Toot) -> str:
        return toot.remote or f"{self.origin}/@{toot.user}/{toot.id}"

    def status(self, toot: Toot) -> dict[str, Any]:
        username = toot.user.split("@")[0]
        replies = sum(1 for t in self.toots.values() if t.parent == toot.id)
        return {
            "id": toot.id, "created_at": stamp(toot.created), "in_reply_to_id": toot.parent,
            "in_reply_to_account_id": "1" if toot.parent else None, "sensitive": bool(toot.spoiler),
            "spoiler_text": toot.spoiler, "visibility": toot.visibility, "language": "de",
            "uri": toot.remote or f"{self.origin}/users/{username}/statuses/{toot.id}",
            "url": self.web_url(toot), "replies_count": replies, "reblogs_count": toot.boosts,
            "favourites_count": toot.favourites, "content": toot.content, "reblog": None,
            "account": {
                "id": account_id(toot.user), "username": username, "acct": toot.user,
                "display_name": toot.name, "url": f"{self.origin}/@{toot.user}",
            },
            "media_attachments": toot.media, "mentions": [], "tags": [], "emojis": [],
            "card": None, "poll": None,
        }  # fmt: skip

    # answering --------------------------------------------------------------------------------

    def error(self, status: int, text: str) -> Reply:
        return Reply.json(status, {"error": text})

    def signed_in(self, seen: Seen) -> bool:
        return seen.headers.get("authorization", "") == f"Bearer {self.token}"

    def go_down(self) -> None:
        """Unreachable: the port refuses connections, kept-alive ones close unanswered."""
        self.down = True
        self.close()

    def answer(self, seen: Seen) -> Reply:
        if self.down:
            raise Dropped("down")
        reply = self.route(seen)
        remaining = 0 if reply.status == 429 else LIMIT - len(self.seen)
        reply.headers.update({"X-RateLimit-Limit": str(LIMIT),
                              "X-RateLimit-Remaining": str(max(0, remaining)),
                              "X-RateLimit-Reset": stamp(time.time() + 240)})  # fmt: skip
        return reply

    def route(self, seen: Seen) -> Reply:
        if self.too_many > 0:
            self.too_many -= 1
            return self.error(429, "Too many requests")
        if self.html:
            page = b"<!DOCTYPE html><html><body><h1>Just a moment...</h1></body></html>"
            return Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
        if "authorization" in seen.headers and not self.signed_in(seen):
            return self.error(401, "The access token is invalid")
        if seen.method == "POST" and seen.path == "/api/v1/statuses":
            return self.create_or_lose(seen)
        if seen.path == "/api/v1/accounts/verify_credentials":
            return self.credentials(seen)
        if self.closed and not self.signed_in(seen):
            return self.error(401, "This API requires an authenticated user")
        if seen.path == "/api/v2/search":
            return self.search(seen)
        match = re.fullmatch(r"/api/v1/statuses/(\w+)(/context)?", seen.path)
        toot = self.visible(match.group(1), seen) if match else None
        if match is None or toot is None:
            return self.error(404, "Record not found")
        if match.group(2):
            return Reply.json(200, self.context(toot, self.signed_in(seen)))
        return Reply.json(200, self.status(toot))

    def visible(self, key: str, seen: Seen) -> Toot | None:
        toot = self.toots.get(key)
        if toot is None or key in self.deleted:
            return None
        if toot.visibility in ("private", "direct") and not self.signed_in(seen):
            return None
        return toot

    def context(self, toot: Toot, signed_in: bool) -> dict[str, Any]:
        children: dict[str, list[Toot]] = {}
        for other in self.toots.values():
            if other.parent and other.id not in self.deleted and other.visibility in SHOWN:
                children.setdefault(other.parent, []).append(other)
        found: list[Toot] = []
        stack = [(c, 1) for c in reversed(children.get(toot.id, []))]
        while stack:
            child, depth = stack.pop()
            if self.obey_limits and not signed_in and depth > 20:
                continue
            found.append(child)
            stack.extend((c, depth + 1) for c in reversed(children.get(child.id, [])))
        cap = 4096 if signed_in else 60
        if self.obey_limits:
            found = found[:cap]
        return {"ancestors": [], "descendants": [self.status(t) for t in found]}

    def search(self, seen: Seen) -> Reply:
        query = seen.query.get("q", [""])[0]
        resolve = seen.query.get("resolve", [""])[0] == "true"
        if resolve and not self.signed_in(seen):
            return self.error(401, "This API requires an authenticated user")
        if resolve and not self.scopes & {"read", "read:search"}:
            return self.error(403, "This action is outside the authorized scopes")
        found = [t for t in self.toots.values() if query in (self.web_url(t), self.uri(t))]
        if not found and resolve:
            found = [self.fetch_remote(query)] if self.known_remote(query) else []
        body = {"accounts": [], "statuses": [self.status(t) for t in found], "hashtags": []}
        return Reply.json(200, body)

    def uri(self, toot: Toot) -> str:
        return toot.remote or f"{self.origin}/users/{toot.user.split('@')[0]}/statuses/{toot.id}"

    def known_remote(self, url: str) -> Toot | None:
        for peer in self.peers:
            for toot in peer.toots.values():
                if url in (peer.web_url(toot), peer.uri(toot)) and toot.id not in peer.deleted:
                    return toot
        return None

    def fetch_remote(self, url: str) -> Toot:
        original = self.known_remote(url)
        assert original is not None
        self.next_id += 1
        copy = Toot(str(self.next_id), original.user, original.name, original.content,
                    remote=url)  # fmt: skip
        self.toots[copy.id] = copy
        return copy

    def credentials(self, seen: Seen) -> Reply:
        if not self.signed_in(seen):
            return self.error(401, "The access token is invalid")
        if not self.scopes & {"read", "read:accounts", "profile"}:
            return self.error(403, "This action is outside the authorized scopes")
        user, name = self.me
        return Reply.json(200, {"id": account_id(user), "username": user, "acct": user,
                                "display_name": name, "url": f"{self.origin}/@{user}",
                                "source": {"privacy": "public", "note": ""}})  # fmt: skip

    def create_or_lose(self, seen: Seen) -> Reply:
        mode = self.lose.pop(0) if self.lose else ""
        if mode == "dropped-before":
            raise Dropped(mode)
        reply = self.create(seen)
        if mode == "dropped-after":
            raise Dropped(mode)
        if mode == "502-after":
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            return Reply(502, page, {"Content-Type": "text/html"})
        return reply

    def rendered(self, text: str) -> str:
        """The status text as Mastodon stores it (HTML)."""

        def mention(match: re.Match[str]) -> str:
            user, host = match.group(1), match.group(2)
            href = f"https://{host}/@{user}" if host else f"{self.origin}/@{user}"
            return (f'<span class="h-card" translate="no"><a href="{href}" class="u-url'
                    f' mention">@<span>{user}</span></a></span>')  # fmt: skip

        def paragraph(part: str) -> str:
            escaped = html.escape(part).replace("&#x27;", "&#39;")
            return MENTION.sub(mention, escaped).replace("\n", "<br />")

        return "".join(f"<p>{paragraph(part)}</p>" for part in text.split("\n\n"))

    def create(self, seen: Seen) -> Reply:
        if not self.signed_in(seen):
            return self.error(401, "The access token is invalid")
        key = seen.headers.get("idempotency-key", "")
        if key and (self.token, key) in self.keys:
            return Reply.json(200, self.status(self.toots[self.keys[(self.token, key)]]))
        form = {k: v[0] for k, v in parse_qs(seen.body.decode(), keep_blank_values=True).items()}
        text, parent = form.get("status", "").strip(), form.get("in_reply_to_id") or None
        if not text:
            return self.error(422, "Validation failed: Text can't be blank")
        if len(text) > 500:
            return self.error(422, "Validation failed: Text character limit of 500 exceeded")
        if parent is not None and parent not in self.toots:
            return self.error(404, "The post you are trying to reply to does not appear to exist.")
        self.next_id += 1
        toot = Toot(str(self.next_id), self.me[0], self.me[1], self.rendered(text), parent,
                    form.get("visibility") or "public", created=time.time())  # fmt: skip
        self.toots[toot.id] = toot
        if key:
            self.keys[(self.token, key)] = toot.id
        self.deliver(toot)
        return Reply.json(200, self.status(toot))

    def deliver(self, toot: Toot) -> None:
        """Federation: a reply to a peer's status appears in that peer's thread."""
        parent = self.toots.get(toot.parent or "")
        original = self.known_remote(parent.remote) if parent and parent.remote else None
        for peer in self.peers:
            if original is not None and peer.toots.get(original.id) is original:
                peer.next_id += 1
                copy = Toot(str(peer.next_id), f"{self.me[0]}@heim.example", self.me[1],
                            toot.content, original.id, toot.visibility,
                            created=toot.created)  # fmt: skip
                peer.toots[copy.id] = copy
