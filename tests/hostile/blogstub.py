"""A hostile blog on 127.0.0.1 for the posting tests: answers GET and POST by a function and
records every request with its body.

    stub = BlogStub(lambda request: Answer(307, {"Location": "http://elsewhere/"}))
    stub.url("/post/"); stub.posts("/wp-comments-post.php"); stub.close()

An answer with `stall=True` reads the request, then holds the connection open without a word
until `close()` (the client times out after sending its body); `drop=True` closes it unanswered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Answer", "BlogStub", "Received", "article_page"]


@dataclass(frozen=True)
class Received:
    """One request the stub read, body included."""

    method: str
    path: str
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What the stub says to one request."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stall: bool = False
    """Say nothing and keep the connection open until the stub closes."""
    drop: bool = False
    """Say nothing and close the connection."""


class BlogStub:
    """A threaded HTTP/1.1 server on 127.0.0.1:<free port>."""

    def __init__(self, answer: Callable[[Received], Answer]) -> None:
        self.answer = answer
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        """The absolute URL of `path` here."""
        return self.base + path

    def posts(self, path: str = "") -> list[Received]:
        """The POSTs received (to paths starting with `path`), oldest first."""
        with self.lock:
            return [r for r in self.received if r.method == "POST" and r.path.startswith(path)]

    def close(self) -> None:
        """Stop serving; stalled connections end."""
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _handler(stub: BlogStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(self.command, self.path, self.rfile.read(length))
            with stub.lock:
                stub.received.append(received)
            answer = stub.answer(received)
            if answer.stall or answer.drop:
                if answer.stall:
                    stub.closing.wait(60)
                self.close_connection = True
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            try:
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        do_GET = do_POST = _handle  # noqa: N815 - http.server's names

    return Handler


def article_page(base: str, extra_head: str = "") -> bytes:
    """A WordPress-like article page with its comment form posting to `base`."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Ein Beitrag</title>"
        f"{extra_head}</head><body><article><p>Text</p></article>"
        f'<form id="commentform" method="post" action="{base}/wp-comments-post.php">'
        '<textarea name="comment"></textarea><input name="author"><input name="email">'
        '<input name="url"><input type="hidden" name="comment_post_ID" value="42">'
        '<input type="hidden" name="comment_parent" value="0">'
        '<input type="submit" name="submit" value="Post Comment"></form></body></html>'
    ).encode()
