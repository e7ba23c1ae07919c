"""The demo blog's HTTP side: a threaded server and the request handler that routes URLs.

Routes follow a WordPress site with ``/%postname%/`` permalinks. Pages, feeds and REST
answers are built by :mod:`~blogtui.demo.pages`, :mod:`~blogtui.demo.feeds` and
:mod:`~blogtui.demo.rest`; bodies are UTF-8 and say so in ``Content-Type``.
"""

from __future__ import annotations

import hashlib
import re
import socket
import struct
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from blogtui.demo import feeds, pages, rest
from blogtui.demo.content import Comment, Post
from blogtui.demo.pages import View

_POST_PATH = re.compile(r"^/([a-z0-9-]+)(/feed(/rss2|/atom)?)?(/?)$")
_IMAGE_PATH = "/wp-content/uploads/2026/03/hinterhof-werkstatt.png"
_NO_CACHE = {
    "Expires": "Wed, 11 Jan 1984 05:00:00 GMT",
    "Cache-Control": "no-cache, must-revalidate, max-age=0",
}
_MAX_BODY = 1 << 20


@dataclass(frozen=True)
class Submission:
    """What ``wp-comments-post.php`` answers to one form post."""

    status: int
    """HTTP status: 302 on success, else the status WordPress gives the error."""
    location: str = ""
    """Redirect target on success."""
    message: str = ""
    """The error as HTML (shown on ``wp_die()``'s page); empty on success."""


class Blog(Protocol):
    """What the server asks of the blog it serves (``blogtui.demo.DemoBlog`` is the one)."""

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        ...

    def view(self) -> View:
        """A consistent snapshot of posts and approved comments for rendering."""
        ...

    def log(self, request_line: str) -> None:
        """Remember one served request."""
        ...

    def take_failure(self) -> tuple[int, int | None] | None:
        """The next injected failure (status, Retry-After), if one is queued."""
        ...

    def nonce(self, post_id: int) -> str:
        """The per-post ``akismet_comment_nonce`` the form carries."""
        ...

    def held_preview(self, post_id: int, comment_id: int, digest: str) -> Comment | None:
        """A held comment, if ``digest`` is its moderation hash."""
        ...

    def submit(self, form: dict[str, str]) -> Submission:
        """Handle a ``wp-comments-post.php`` form post."""
        ...


class DemoServer(ThreadingHTTPServer):
    """A threading server that knows its blog and can close idle keep-alive connections."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[DemoHandler], blog: Blog) -> None:
        self.blog = blog
        """The state every request reads and changes."""
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then handle it on its own thread."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection once its thread is done with it."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut every open connection, so pooled clients see the server go away."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class DemoHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests like a WordPress 6 site."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "nginx"
    sys_version = ""
    timeout = 30
    server: DemoServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Stay quiet; requests are recorded in ``DemoBlog.requests`` instead."""

    def do_GET(self) -> None:
        """Pages, feeds, REST reads and the one image."""
        if self._start():
            self._get(self.server.blog.view())

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        self.do_GET()

    def do_POST(self) -> None:
        """The comment form and the (anonymous, hence refused) REST comment creation."""
        if not self._start():
            return
        body = self._read_body()
        url = urlsplit(self.path)
        query = _query(url.query)
        if url.path == "/wp-comments-post.php":
            self._comment_post(body)
        elif url.path.startswith("/wp-json") or "rest_route" in query:
            route = query.pop("rest_route", url.path.removeprefix("/wp-json") or "/")
            self._rest(*rest.handle_post(self.server.blog.view(), route))
        else:
            self._html(HTTPStatus.NOT_FOUND, pages.not_found_page(self.server.blog.view()))

    # ------------------------------------------------------------------------- routing

    def _start(self) -> bool:
        """Record the request and serve an injected failure instead, if one is queued."""
        blog = self.server.blog
        blog.log(f"{self.command} {self.path}")
        failure = blog.take_failure()
        if failure is None:
            return True
        status, retry_after = failure
        self._read_body()
        phrase = HTTPStatus(status).phrase
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self._html(status, pages.die_page(f"<p>{phrase}</p>", phrase), headers)
        return False

    def _get(self, view: View) -> None:
        """Dispatch a GET by path (and by ``?rest_route=``, ``?p=`` and ``?feed=`` on ``/``)."""
        url = urlsplit(self.path)
        query = _query(url.query)
        path = url.path
        if path in ("/", "/index.php") and query:
            self._query_route(view, query)
        elif path.startswith("/wp-json"):
            self._rest(*rest.handle_get(view, path.removeprefix("/wp-json") or "/", query))
        elif path in ("/", "/index.php"):
            self._html(200, pages.home_page(view))
        elif feed := _SITE_FEEDS.get(path):
            self._feed(view, None, feed)
        elif path == "/wp-comments-post.php":
            self._send(405, b"", {"Allow": "POST", "Content-Type": "text/html; charset=UTF-8"})
        elif path == _IMAGE_PATH:
            self._send(200, _PNG, {"Content-Type": "image/png"})
        else:
            self._post_route(view, path, query)

    def _query_route(self, view: View, query: dict[str, str]) -> None:
        """WordPress's plain-permalink forms: ``?rest_route=``, ``?p=ID`` and ``?feed=``."""
        if "rest_route" in query:
            self._rest(*rest.handle_get(view, query.pop("rest_route") or "/", query))
            return
        post = view.post(int(query["p"])) if query.get("p", "").isdigit() else None
        feed = query.get("feed")
        if post and not feed:
            self._redirect(view.link(post), 301)
        elif post and feed in ("rss2", "atom", "comments-rss2", "comments-atom"):
            self._feed(view, post, "atom-comments" if "atom" in feed else "rss-comments")
        elif not post and feed and (name := _QUERY_FEEDS.get(feed)):
            self._feed(view, None, name)
        elif "p" in query:
            self._html(HTTPStatus.NOT_FOUND, pages.not_found_page(view))
        else:
            self._html(200, pages.home_page(view))

    def _post_route(self, view: View, path: str, query: dict[str, str]) -> None:
        """``/slug/``, ``/slug/feed/`` and ``/slug/feed/atom/``; canonical redirects; 404."""
        match = _POST_PATH.match(path)
        post = view.by_slug(match.group(1)) if match else None
        if match is None or post is None:
            self._html(HTTPStatus.NOT_FOUND, pages.not_found_page(view))
        elif not match.group(4):
            self._redirect(f"{view.base}{path}/", 301)
        elif match.group(2):
            self._feed(view, post, "atom-comments" if match.group(3) == "/atom" else "rss-comments")
        else:
            self._article(view, post, query)

    # ------------------------------------------------------------------------- responses

    def _article(self, view: View, post: Post, query: dict[str, str]) -> None:
        """A post page with its comments, a held comment's preview and the comment form."""
        blog = self.server.blog
        preview: tuple[Comment, ...] = ()
        if query.get("unapproved", "").isdigit():
            held = blog.held_preview(
                post.id, int(query["unapproved"]), query.get("moderation-hash", "")
            )
            preview = (held,) if held else ()
        reply_to = query.get("replytocom", "")
        parent = int(reply_to) if reply_to.isdigit() and view.comment(int(reply_to)) else 0
        form = pages.comment_form(view, post, parent=parent, nonce=blog.nonce(post.id))
        self._html(200, pages.article_page(view, post, form, preview), _post_links(view, post))

    def _feed(self, view: View, post: Post | None, kind: str) -> None:
        """A feed with ``ETag``/``Last-Modified``, or 304 when the client's copy is current."""
        built = _last_modified(view, post, kind)
        if kind == "rss-posts":
            body, mime = feeds.rss_posts(view, built), "application/rss+xml"
        elif kind == "atom-posts":
            body, mime = feeds.atom_posts(view, built), "application/atom+xml"
        elif kind == "rss-comments":
            body, mime = feeds.rss_comments(view, post, built), "application/rss+xml"
        else:
            body, mime = feeds.atom_comments(view, post, built), "application/atom+xml"
        data = body.encode()
        modified = format_datetime(built, usegmt=True)
        headers = {"Last-Modified": modified, "ETag": f'"{hashlib.md5(data).hexdigest()}"'}
        headers |= _post_links(view, post) if post else _api_link(view.base)
        if self._not_modified(headers["ETag"], built):
            self._send(304, b"", headers)
        else:
            self._send(200, data, {"Content-Type": f"{mime}; charset=UTF-8", **headers})

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        """WordPress's rule: with both validators both must match, else either one suffices."""
        client_etag = self.headers.get("If-None-Match", "")
        since = self.headers.get("If-Modified-Since", "")
        try:
            fresh = bool(since) and parsedate_to_datetime(since) >= modified
        except (TypeError, ValueError):
            fresh = False
        if client_etag and since:
            return fresh and client_etag == etag
        return fresh or client_etag == etag

    def _comment_post(self, body: bytes) -> None:
        """``wp-comments-post.php``: a 302 on success, else ``wp_die()``'s page."""
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        outcome = self.server.blog.submit(form)
        if outcome.status == 302:
            self._redirect(outcome.location, 302)
        elif outcome.message:
            self._html(outcome.status, pages.die_page(outcome.message), _NO_CACHE)
        else:
            self._send(outcome.status, b"", {"Content-Type": "text/html; charset=UTF-8"})

    def _rest(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        """Send a REST API answer."""
        self._send(status, body, {"Content-Type": "application/json; charset=UTF-8", **headers})

    def _html(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        """Send an HTML page with the REST API discovery header."""
        base = {"Content-Type": "text/html; charset=UTF-8"} | _api_link(self.server.blog.base_url)
        self._send(status, text.encode(), base | (headers or {}))

    def _redirect(self, location: str, status: int) -> None:
        """A WordPress redirect (``wp_safe_redirect``)."""
        headers = {"Location": location, "X-Redirect-By": "WordPress"}
        self._send(status, b"", {"Content-Type": "text/html; charset=UTF-8", **headers})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        """Write status, headers (``Link`` values are joined by newlines) and body."""
        self.send_response(status)
        for name, value in headers.items():
            for line in value.split("\n"):
                self.send_header(name, line)
        if status != 304:  # a 304's length would have to be the full feed's
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def _read_body(self) -> bytes:
        """The request body (capped at 1 MiB; the rest is drained and dropped)."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, _MAX_BODY))
        for _ in range(0, max(0, length - _MAX_BODY), 65536):
            self.rfile.read(65536)
        return body


_SITE_FEEDS = {
    "/feed/": "rss-posts",
    "/feed/rss2/": "rss-posts",
    "/feed/atom/": "atom-posts",
    "/comments/feed/": "rss-comments",
    "/comments/feed/rss2/": "rss-comments",
    "/comments/feed/atom/": "atom-comments",
}
"""Site-wide feeds by path; each post's comment feeds hang off its permalink."""
_QUERY_FEEDS = {
    "rss2": "rss-posts",
    "atom": "atom-posts",
    "comments-rss2": "rss-comments",
    "comments-atom": "atom-comments",
}
"""``/?feed=NAME`` without ``p``: WordPress's plain-permalink feed URLs."""


def _query(raw: str) -> dict[str, str]:
    """Query parameters; PHP's ``post[]=1&post[]=2`` arrive as ``post="1,2"``, as WP reads them."""
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        name, bracket, _ = key.partition("[")
        if bracket and name in query:
            query[name] = f"{query[name]},{value}"
        else:
            query[name if bracket else key] = value
    return query


def _api_link(base: str) -> dict[str, str]:
    """The ``Link`` header WordPress sends for REST API discovery."""
    return {"Link": f'<{base}/wp-json/>; rel="https://api.w.org/"'}


def _post_links(view: View, post: Post) -> dict[str, str]:
    """Discovery, JSON alternate and shortlink headers of a single post."""
    return {
        "Link": "\n".join(
            (
                _api_link(view.base)["Link"],
                f'<{view.base}/wp-json/wp/v2/posts/{post.id}>; rel="alternate"; '
                'type="application/json"',
                f"<{view.guid(post)}>; rel=shortlink",
            )
        )
    }


def _last_modified(view: View, post: Post | None, kind: str) -> datetime:
    """Newest change a feed shows: posts and their comment counts, or the comments."""
    dates = [c.date for c in (view.comments_of(post.id) if post else view.comments)]
    if kind.endswith("-posts"):
        dates += [p.modified for p in view.posts]
    elif post is not None:
        dates.append(post.modified)
    return max(dates, default=view.posts[-1].date)


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG, so the post's image link resolves to a real picture."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


_PNG = _png(48, 32, (120, 140, 110))
