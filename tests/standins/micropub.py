"""A Micropub endpoint on 127.0.0.1, written from the W3C Micropub Recommendation (2017), and the
user's site it publishes to.

No Micropub server from PyPI was run for these tests (README: which is real, which a stand-in).
What it follows, from the spec:

- Create (3.3): `POST /micropub`, form-encoded, `h=entry` plus properties; a property with
  several values is sent as `name[]=…` (3.3.1); or JSON, `{"type": ["h-entry"], "properties":
  {name: [values]}}` (3.3.2). Answer `201 Created` with `Location:` the new
  post's URL (or `202 Accepted` with `Location:`, `accepted=True`: created asynchronously).
- Auth (3.8): `Authorization: Bearer TOKEN` (or `access_token` in the body); a missing or
  wrong token is `401` with `{"error": "unauthorized"}`; a token without the create scope is
  `403` `{"error": "insufficient_scope"}`.
- Errors (3.7): JSON `{"error": "invalid_request", "error_description": "…"}` with 400.
- Querying (3.7): `GET /micropub?q=config` answers `{"q": [...]}` (the queries it supports);
  `q=source&url=URL` answers `{"type": ["h-entry"], "properties": {...}}`; `q=source` without
  `url` lists the latest posts, `{"items": [...]}` newest first, `limit` at most (the listing is
  an extension Micropub clients use; `supports_source=False` turns `q=source` off, as many
  endpoints have it).

The published posts are served at `/posts/N` as h-entry pages (the microformats a Webmention
receiver reads): `u-in-reply-to` / `u-like-of` links, `e-content`, `p-author h-card`, `u-url`,
`dt-published`.
"""

from __future__ import annotations

import html
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs

from standins.server import Reply, Seen, StandIn

LINKED = ("in-reply-to", "like-of", "repost-of", "bookmark-of")


class MicropubStandIn(StandIn):
    """The user's own site with its Micropub endpoint at `/micropub`."""

    def __init__(self, token: str, author: str = "Jörg Müller", **options: Any) -> None:
        super().__init__()
        self.token = token
        self.author = author
        self.supports_source: bool = options.get("supports_source", True)
        self.accepted: bool = options.get("accepted", False)
        self.created: list[dict[str, list[str]]] = []
        """Every post created, its properties (each a list), in order."""
        self.created_lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"{self.origin}/micropub"

    def post_url(self, number: int) -> str:
        return f"{self.origin}/posts/{number}"

    def answer(self, seen: Seen) -> Reply:
        if seen.path == "/micropub":
            return self._create(seen) if seen.method == "POST" else self._query(seen)
        if seen.path.startswith("/posts/") and seen.path[7:].isdigit():
            return self._page(int(seen.path[7:]))
        return Reply(404, b"not found", {"Content-Type": "text/plain"})

    def _authorized(self, seen: Seen, form: dict[str, list[str]]) -> Reply | None:
        header = seen.headers.get("authorization", "")
        given = header[7:] if header.lower().startswith("bearer ") else ""
        given = given or (form.get("access_token") or [""])[0]
        if given != self.token:
            return Reply.json(401, {"error": "unauthorized",
                                    "error_description": "no valid access token"})  # fmt: skip
        return None

    def _create(self, seen: Seen) -> Reply:
        json_body = seen.headers.get("content-type", "").startswith("application/json")
        raw = {} if json_body else parse_qs(seen.body.decode("utf-8"), keep_blank_values=True)
        refused = self._authorized(seen, raw)
        if refused is not None:
            return refused
        properties = self._json_properties(seen.body) if json_body else self._form_properties(raw)
        if properties is None:
            return Reply.json(400, {"error": "invalid_request",
                                    "error_description": "only h-entry is supported"})  # fmt: skip
        properties["published"] = [time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())]
        with self.created_lock:
            number = len(self.created) + 1
            properties["url"] = [self.post_url(number)]
            self.created.append(properties)
        return Reply(202 if self.accepted else 201, b"", {"Location": self.post_url(number)})

    @staticmethod
    def _form_properties(raw: dict[str, list[str]]) -> dict[str, list[str]] | None:
        """A form create's properties (3.3.1: `name[]` for several values); None unless h=entry."""
        if raw.get("h") != ["entry"]:
            return None
        return {name.removesuffix("[]"): values for name, values in raw.items()
                if name not in ("h", "access_token") and not name.startswith("mp-")}  # fmt: skip

    @staticmethod
    def _json_properties(body: bytes) -> dict[str, list[str]] | None:
        """A JSON create's properties (3.3.2: `{"type": ["h-entry"], "properties": {...}}`)."""
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("type") != ["h-entry"]:
            return None
        properties = data.get("properties")
        return dict(properties) if isinstance(properties, dict) else None

    def _query(self, seen: Seen) -> Reply:
        refused = self._authorized(seen, {})
        if refused is not None:
            return refused
        q = (seen.query.get("q") or [""])[0]
        if q == "config":
            return Reply.json(200, {"q": ["config", "source"] if self.supports_source
                                    else ["config"]})  # fmt: skip
        if q == "source" and self.supports_source:
            return self._source(seen)
        return Reply.json(400, {"error": "invalid_request",
                                "error_description": f"unsupported query {q!r}"})  # fmt: skip

    def _source(self, seen: Seen) -> Reply:
        with self.created_lock:
            posts = list(self.created)
        url = (seen.query.get("url") or [""])[0]
        if url:
            found = [p for p in posts if p["url"] == [url]]
            if not found:
                return Reply.json(400, {"error": "invalid_request",
                                        "error_description": "no such post"})  # fmt: skip
            return Reply.json(200, {"type": ["h-entry"], "properties": found[0]})
        limit = int((seen.query.get("limit") or ["20"])[0])
        items = [{"type": ["h-entry"], "properties": p} for p in reversed(posts)][:limit]
        return Reply.json(200, {"items": items})

    def _page(self, number: int) -> Reply:
        with self.created_lock:
            if number > len(self.created):
                return Reply(404, b"not found", {"Content-Type": "text/plain"})
            properties = self.created[number - 1]
        links = "".join(
            f'<a class="u-{name}" href="{html.escape(url)}">{html.escape(url)}</a>\n'
            for name in LINKED
            for url in properties.get(name, [])
        )
        content = "".join(f"<p>{html.escape(text)}</p>" for text in properties.get("content", []))
        published = properties["published"][0]
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Post {number}</title>
</head><body><article class="h-entry">
<a class="p-author h-card" href="{self.origin}/">{html.escape(self.author)}</a>
{links}<div class="e-content">{content}</div>
<a class="u-url" href="{self.post_url(number)}">#</a>
<time class="dt-published" datetime="{published}"></time>
</article></body></html>"""
        return Reply(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
