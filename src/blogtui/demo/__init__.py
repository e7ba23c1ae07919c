"""A bundled WordPress-like blog on 127.0.0.1: the offline sample for ``blogtui --demo``.

It is also the test fixture for comments and posting, so it answers the way WordPress 6
does: RSS/Atom feeds with comment hints, per-post comment feeds, the REST API's comment
routes and ``wp-comments-post.php`` with WordPress's validation. Everything is in memory.

Example::

    with DemoBlog() as blog:
        httpx.get(blog.feed_url)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections import deque
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from time import monotonic
from types import TracebackType

from blogtui.demo.content import COMMENTS, POSTS, Comment, Post
from blogtui.demo.pages import View
from blogtui.demo.server import DemoHandler, DemoServer, Submission

__all__ = ["DemoBlog", "Submission"]

_EMAIL_LOCAL = re.compile(r"^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_EMAIL_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters XML cannot carry; browsers never send them, so drop them."""
_ALLOWED_TAG = re.compile(r"&lt;(/?)(b|strong|em|i|code|q|s|del|cite|blockquote)&gt;")
_ALLOWED_LINK = re.compile(r'&lt;a href="(https?://[^"<>\s]+)"&gt;(.*?)&lt;/a&gt;')


class DemoBlog:
    """The demo blog: an in-memory WordPress look-alike served on a daemon thread."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        moderation: bool = False,
        flood_seconds: float = 0.0,
    ) -> None:
        """Prepare the blog; nothing listens until :meth:`start`.

        Args:
            host: Interface to bind; keep it on loopback.
            port: Port to bind, 0 for any free one.
            moderation: Hold new comments for moderation instead of approving them.
            flood_seconds: Minimum gap between two comments from one email (0: no check).
        """
        self.host = host
        self.port = port
        self.moderation = moderation
        """Whether new comments are held (``comment_moderation``)."""
        self.flood_seconds = flood_seconds
        """WordPress's flood interval; 0 switches the check off."""
        self.requests: list[str] = []
        """Every request served, as ``"METHOD /path?query"``, oldest first."""
        self._lock = threading.RLock()
        self._open = {post.id: post.comments_open for post in POSTS}
        self._comments = {comment.id: comment for comment in COMMENTS}
        self._last_post: dict[str, float] = {}
        self._failures: deque[tuple[int, int | None]] = deque()
        self._secret = secrets.token_bytes(16)
        self._base = ""
        self._server: DemoServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; known from the first start on, also after a stop."""
        if not self._base:
            raise RuntimeError("DemoBlog has not been started; call start() first")
        return self._base

    @property
    def feed_url(self) -> str:
        """The RSS 2.0 posts feed."""
        return f"{self.base_url}/feed/"

    @property
    def comments_feed_url(self) -> str:
        """The site-wide RSS 2.0 comments feed."""
        return f"{self.base_url}/comments/feed/"

    def start(self) -> str:
        """Serve on a daemon thread and return the base URL.

        A blog started again after :meth:`stop` keeps its port, so its URLs stay valid.
        """
        if self._server is None:
            self._server = DemoServer((self.host, self.port), DemoHandler, self)
            self.port = self._server.server_address[1]
            self._base = f"http://{self.host}:{self.port}"
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},  # how long stop() may wait for the loop
                name="blogtui-demo-blog",
                daemon=True,
            )
            self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close every open connection."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> DemoBlog:
        """Start serving; the blog is ready when the ``with`` body runs."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        self.stop()

    # ------------------------------------------------------------------------- test helpers

    def post_url(self, post: int | str) -> str:
        """Permalink of a post given by id or slug."""
        return f"{self.base_url}/{self._post(post).slug}/"

    def posts(self) -> list[dict[str, object]]:
        """Every post, newest first: id, slug, title, link, comments_open, comment_count."""
        view = self.view()
        return [
            {
                "id": post.id,
                "slug": post.slug,
                "title": post.title,
                "link": view.link(post),
                "comments_open": post.comments_open,
                "comment_count": len(view.comments_of(post.id)),
            }
            for post in view.posts
        ]

    def set_comments_open(self, post: int | str, is_open: bool = True) -> None:
        """Open or close comments on a post (by id or slug)."""
        with self._lock:
            self._open[self._post(post).id] = is_open

    def comments(self, post: int | str, *, include_held: bool = True) -> list[dict[str, object]]:
        """The comments of a post in id order, as dicts (including ``email`` and ``status``)."""
        post_id = self._post(post).id
        with self._lock:
            found = [c for c in self._comments.values() if c.post == post_id]
        return [
            {
                "id": c.id,
                "post": c.post,
                "parent": c.parent,
                "author": c.author,
                "author_url": c.author_url,
                "email": c.email,
                "date": c.date.isoformat(),
                "content": c.text,
                "status": c.status,
            }
            for c in sorted(found, key=lambda c: c.id)
            if include_held or c.status == "approved"
        ]

    def approve(self, comment_id: int) -> None:
        """Approve a held comment, as a moderator would."""
        with self._lock:
            comment = self._comments[comment_id]
            self._comments[comment_id] = replace(comment, status="approved")

    def fail_next(
        self, count: int = 1, status: int = 503, *, retry_after: int | None = None
    ) -> None:
        """Answer the next ``count`` requests with ``status`` (and ``Retry-After`` if given)."""
        with self._lock:
            self._failures.extend([(status, retry_after)] * count)

    # ------------------------------------------------------------------------- for the server

    def view(self) -> View:
        """A consistent snapshot of posts and approved comments for rendering."""
        with self._lock:
            posts = tuple(replace(p, comments_open=self._open[p.id]) for p in reversed(POSTS))
            visible = tuple(c for c in self._comments.values() if c.status == "approved")
        return View(self.base_url, posts, tuple(sorted(visible, key=lambda c: c.id)))

    def take_failure(self) -> tuple[int, int | None] | None:
        """The next injected failure, if one is queued."""
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def log(self, request_line: str) -> None:
        """Remember one served request."""
        with self._lock:
            self.requests.append(request_line)

    def nonce(self, post_id: int) -> str:
        """The per-post ``akismet_comment_nonce`` the form carries and a post must echo."""
        digest = hmac.new(self._secret, f"akismet_comment_nonce_{post_id}".encode(), "sha256")
        return digest.hexdigest()[:10]

    def moderation_hash(self, comment: Comment) -> str:
        """``wp_hash(comment_date_gmt)``: proves a held comment's preview link is genuine."""
        stamp = comment.date.strftime("%Y-%m-%d %H:%M:%S").encode()
        return hmac.new(self._secret, stamp, hashlib.md5).hexdigest()

    def held_preview(self, post_id: int, comment_id: int, digest: str) -> Comment | None:
        """A held comment, if ``digest`` is its moderation hash (the ``?unapproved=`` preview)."""
        with self._lock:
            comment = self._comments.get(comment_id)
        if comment is None or comment.post != post_id or comment.status == "approved":
            return None
        return comment if hmac.compare_digest(self.moderation_hash(comment), digest) else None

    def submit(self, form: dict[str, str]) -> Submission:
        """Handle a ``wp-comments-post.php`` form post the way WordPress and Akismet do."""
        with self._lock:
            post = self._find_post(form.get("comment_post_ID", ""))
            if post is None:
                return Submission(200)  # WordPress exits silently: comment_id_not_found
            if not self._open[post.id]:
                return Submission(403, message="<p>Sorry, comments are closed for this item.</p>")
            author = _CONTROL.sub("", re.sub(r"<[^>]*>", "", form.get("author", ""))).strip()
            email, url = form.get("email", "").strip(), form.get("url", "").strip()
            text = _CONTROL.sub("", form.get("comment", "").replace("\r\n", "\n")).strip()
            url = url if not url or "://" in url else f"http://{url}"  # as esc_url_raw does
            error = _validate(author, email, url, text) or self._check_parent(post, form)
            error = error or self._check_spam(post, form)
            if error:
                return Submission(200, message=f"<p><strong>Error:</strong> {error}</p>")
            parent = int(form.get("comment_parent") or 0)
            comment = self._new_comment(post, parent, author, email, url, _sanitize(text))
            if isinstance(comment, Submission):
                return comment
            self._comments[comment.id] = comment
            self._last_post[email.lower()] = monotonic()
        return Submission(302, location=self._location(post, comment, form))

    # ------------------------------------------------------------------------- internals

    def _post(self, key: int | str) -> Post:
        """A post by id or slug; ``KeyError`` if there is none."""
        post = next((p for p in POSTS if key in (p.id, p.slug)), None)
        if post is None:
            raise KeyError(f"no demo post {key!r}")
        return post

    def _find_post(self, raw_id: str) -> Post | None:
        """The post a form names in ``comment_post_ID``."""
        return next((p for p in POSTS if str(p.id) == raw_id.strip()), None)

    def _check_parent(self, post: Post, form: dict[str, str]) -> str:
        """Replies must answer a comment on the same post (stricter than WordPress)."""
        raw = form.get("comment_parent", "0").strip() or "0"
        if not raw.isdigit():
            return "The comment you are replying to does not exist."
        parent = self._comments.get(int(raw))
        if int(raw) and (parent is None or parent.post != post.id):
            return "The comment you are replying to does not exist."
        return ""

    def _check_spam(self, post: Post, form: dict[str, str]) -> str:
        """Akismet's part: the nonce must match, ``ak_js`` must be set, the honeypot empty."""
        nonce_ok = hmac.compare_digest(form.get("akismet_comment_nonce", ""), self.nonce(post.id))
        if nonce_ok and form.get("ak_js", "").strip() and not form.get("ak_hp_textarea"):
            return ""
        return "Your comment looks like spam and was not posted."

    def _new_comment(
        self, post: Post, parent: int, author: str, email: str, url: str, text: str
    ) -> Comment | Submission:
        """The comment to store, or the duplicate (409) or flood (429) answer."""
        for other in self._comments.values():
            same_person = other.author == author or other.email.lower() == email.lower()
            if (other.post, other.parent, other.text) == (post.id, parent, text) and same_person:
                return Submission(409, message=_DUPLICATE)
        last = self._last_post.get(email.lower())
        if self.flood_seconds and last is not None and monotonic() - last < self.flood_seconds:
            return Submission(429, message=_FLOOD)
        newest = max(c.date for c in self._comments.values())
        now = datetime.now(UTC).replace(microsecond=0)
        return Comment(
            id=max(self._comments) + 1,
            post=post.id,
            parent=parent,
            author=author,
            author_url=url,
            email=email,
            date=max(now, newest + timedelta(seconds=1)),
            text=text,
            status="hold" if self.moderation else "approved",
        )

    def _location(self, post: Post, comment: Comment, form: dict[str, str]) -> str:
        """Where WordPress redirects after a successful post."""
        link = f"{self.base_url}/{post.slug}/"
        consent = form.get("wp-comment-cookies-consent") == "yes"
        if comment.status == "approved" or consent:
            return f"{link}#comment-{comment.id}"
        query = f"unapproved={comment.id}&moderation-hash={self.moderation_hash(comment)}"
        return f"{link}?{query}#comment-{comment.id}"


_DUPLICATE = "<p>Duplicate comment detected; it looks as though you&#8217;ve already said that!</p>"
_FLOOD = "<p>You are posting comments too quickly. Slow down.</p>"


def _validate(author: str, email: str, url: str, text: str) -> str:
    """WordPress's field checks, in its order; the error text or an empty string."""
    if not author or not email:
        return "Please fill the required fields."
    if not _is_email(email):
        return "Please enter a valid email address."
    if not text:
        return "Please type your comment text."
    limits = (
        (author, 245, "Your name is too long."),
        (email, 100, "Your email address is too long."),
        (url, 200, "Your URL is too long."),
        (text, 65525, "Your comment is too long."),
    )
    # WordPress measures its column limits in bytes.
    return next((message for value, limit, message in limits if len(value.encode()) > limit), "")


def _is_email(email: str) -> bool:
    """WordPress's ``is_email()``: permissive, but wants a dotted domain of plain labels."""
    local, at, domain = email.partition("@")
    if len(email) < 6 or not at or not local or not _EMAIL_LOCAL.match(local):
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(_EMAIL_LABEL.match(label) for label in labels)


def _sanitize(text: str) -> str:
    """Keep a few inline tags and plain links, escape everything else (like kses for guests)."""
    escaped = re.sub(r"&(?!#?\w+;)", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    escaped = _ALLOWED_TAG.sub(r"<\1\2>", escaped)
    return _ALLOWED_LINK.sub(r'<a href="\1" rel="nofollow ugc">\2</a>', escaped)
