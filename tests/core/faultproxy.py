"""A reverse proxy on 127.0.0.1 in front of a DemoBlog that can break comment posts on purpose.

Modes for `POST /wp-comments-post.php` (one-shot: the mode resets to "pass" after use):

- "pass": forward and relay the answer.
- "drop-after": forward (the blog stores the comment), then close the connection unanswered.
- "500-after": forward, then answer 500 instead of the blog's answer.
- "500-before": answer 500 without forwarding.
- "stall-after": forward, set `reached`, then hold the connection open (until `release`).
- "stall-before": set `reached`, hold the connection open without forwarding.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from blogtui.demo import DemoBlog


class FaultProxy:
    """Serves on 127.0.0.1:<free port>; `base_url` replaces the blog's own in every body."""

    def __init__(self, blog: DemoBlog) -> None:
        self.blog = blog
        self.mode = "pass"
        self.posts = 0
        """POSTs to wp-comments-post.php received (forwarded or not)."""
        self.reached = threading.Event()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.proxy = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take_mode(self) -> str:
        mode, self.mode = self.mode, "pass"
        return mode

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    @property
    def proxy(self) -> FaultProxy:
        return self.server.proxy  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self._relay(self._forward(b""))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.path.startswith("/wp-comments-post.php"):
            self._relay(self._forward(body))
            return
        self.proxy.posts += 1
        mode = self.proxy.take_mode()
        if mode == "500-before":
            return self._send(500, b"<p>Internal Server Error</p>")
        if mode == "stall-before":
            return self._stall()
        answer = self._forward(body)
        if mode == "drop-after":
            self.close_connection = True
            self.connection.close()
        elif mode == "500-after":
            self._send(500, b"<p>Internal Server Error</p>")
        elif mode == "stall-after":
            self._stall()
        else:
            self._relay(answer)

    def _stall(self) -> None:
        self.proxy.reached.set()
        self.proxy.release.wait(60)
        self.close_connection = True

    def _forward(self, body: bytes) -> httpx.Response:
        blog, mine = self.proxy.blog.base_url, self.proxy.base_url
        body = body.replace(mine.encode(), blog.encode())
        headers = {"Content-Type": self.headers.get("Content-Type", "")} if body else {}
        return httpx.request(self.command, blog + self.path, content=body or None,
                             headers=headers, follow_redirects=False, timeout=30)  # fmt: skip

    def _relay(self, answer: httpx.Response) -> None:
        blog, mine = self.proxy.blog.base_url, self.proxy.base_url
        skip = {"content-length", "transfer-encoding", "connection", "content-encoding"}
        headers = [(k, v.replace(blog, mine)) for k, v in answer.headers.multi_items()
                   if k.lower() not in skip]  # fmt: skip
        self._send(answer.status_code, answer.content.replace(blog.encode(), mine.encode()),
                   headers)  # fmt: skip

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
