"""webmention.io on 127.0.0.1, written from its documentation (the project's README, "API").

- `GET /api/mentions.jf2?target=URL` (or several `target[]=URL`) answers a jf2 feed:
  `{"type": "feed", "name": "Webmentions", "children": [entry, …]}`. An entry has `type`
  "entry", `author` {type "card", name, url, photo}, `url`, `published`, `wm-received`,
  `wm-id` (a number), `wm-source`, `wm-target`, `wm-property` (in-reply-to, like-of,
  repost-of, bookmark-of, mention-of), `wm-private`, `content` {html, text} for replies and
  mentions, and the property itself (`"in-reply-to": URL`, `"like-of": URL`, …).
- Paging: `per-page` (default 20) and `page` (from 0); newest first unless `sort-dir=up`.
- Errors: a request without a target (or domain/token) is a 400 with `{"error": …}`.
- `POST /DOMAIN/webmention` (the endpoint sites link to) answers 201 with a status `Location`.

German text and deep nesting come from `standins.threads`; a reply to a reply names the other
mention's URL in its `in-reply-to`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

WM_ID_OFFSET = 9000


@dataclass
class Mentions:
    """The mentions of one target: threaded replies, plus likes and reposts."""

    target: str
    replies: list[Item]
    likes: int = 0
    reposts: int = 0
    private: list[int] = field(default_factory=list)
    """Reply numbers marked `wm-private` (the API includes them; readers must not show them)."""

    @staticmethod
    def url(number: int) -> str:
        return f"https://notes-{number % 7}.example/{number}"

    def children(self) -> list[dict[str, object]]:
        """Every entry, oldest first."""
        entries = [self._reply(item) for item in self.replies]
        first = len(self.replies) + 1
        entries += [self._reaction(first + n, "like-of") for n in range(self.likes)]
        entries += [self._reaction(first + self.likes + n, "repost-of")
                    for n in range(self.reposts)]  # fmt: skip
        return entries

    def _base(self, number: int, prop: str, author: str) -> dict[str, object]:
        day = 1 + number // 1440
        stamp = f"2024-03-{day:02d}T{number // 60 % 24:02d}:{number % 60:02d}:00+01:00"
        return {"type": "entry", "author": {"type": "card", "name": author,
                                            "url": f"https://notes-{number % 7}.example/",
                                            "photo": ""},
                "url": self.url(number), "published": stamp, "wm-received": stamp,
                "wm-id": WM_ID_OFFSET + number, "wm-source": self.url(number),
                "wm-target": self.target, "wm-property": prop,
                "wm-private": number in self.private}  # fmt: skip

    def _reply(self, item: Item) -> dict[str, object]:
        entry = self._base(item.number, "in-reply-to", item.author)
        entry["in-reply-to"] = self.url(item.parent) if item.parent else self.target
        entry["content"] = {"html": item.text, "text": item.text}
        return entry

    def _reaction(self, number: int, prop: str) -> dict[str, object]:
        entry = self._base(number, prop, f"Fan {number}")
        entry[prop] = self.target
        return entry


class WebmentionIoStandIn(StandIn):
    """webmention.io's API and its receiving endpoint."""

    def __init__(self) -> None:
        super().__init__()
        self.mentions: list[Mentions] = []

    @property
    def api(self) -> str:
        return f"{self.origin}/api/mentions.jf2"

    def endpoint(self, domain: str) -> str:
        return f"{self.origin}/{domain}/webmention"

    def answer(self, seen: Seen) -> Reply:
        if seen.method == "POST" and seen.path.endswith("/webmention"):
            return Reply.json(201, {"status": "queued", "summary": "Webmention was queued"},
                              Location=f"{self.origin}/status/1")  # fmt: skip
        if seen.path != "/api/mentions.jf2":
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        targets = seen.query.get("target", []) + seen.query.get("target[]", [])
        if not targets:
            return Reply.json(400, {"error": "missing_target"})
        children = [c for m in self.mentions if m.target in targets for c in m.children()]
        if (seen.query.get("sort-dir") or ["down"])[0] != "up":
            children.reverse()
        per_page = int((seen.query.get("per-page") or ["20"])[0])
        page = int((seen.query.get("page") or ["0"])[0])
        shown = children[page * per_page : (page + 1) * per_page]
        return Reply.json(200, {"type": "feed", "name": "Webmentions", "children": shown})
