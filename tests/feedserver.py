"""A small real HTTP server for tests: stdlib ThreadingHTTPServer on 127.0.0.1, routes per test.

    server = FeedServer()
    server.route("/feed", body=b"<rss ...>", headers={"ETag": '"v1"'})
    server.route("/moved", status=301, headers={"Location": "/feed"})
    server.route("/slow", body=b"x" * 100, drip=0.5)      # one byte every 0.5 s
    server.route("/endless", endless=True)                  # bytes until the client hangs up
    server.route("/bomb", gzip_bomb=64 * 2**20)             # 64 MB of zeros, gzipped
    server.url("/feed"); server.requests_to("/feed")[-1].headers["if-none-match"]
    server.close()

A route may be a list of responses (served in turn, the last one repeating) or a callable taking
the Request and returning a Response. Every request is recorded with its headers (names
lowercased).
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["FeedServer", "Request", "Response"]


@dataclass(frozen=True)
class Request:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    client_port: int = 0
    """The client's port: requests on one kept-alive connection share it."""


@dataclass
class Response:
    """What a route answers. `body` is sent as given (compress it yourself for gzip tests)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0
    """Seconds between single bytes of the body (the declared Content-Length stays honest)."""
    endless: bool = False
    """Send bytes of `body` (or filler) forever, without a Content-Length."""
    gzip_bomb: int = 0
    """Send `gzip_bomb` zero bytes gzip-compressed, with Content-Encoding: gzip."""


Route = Response | list[Response] | Callable[[Request], Response]

_bombs: dict[int, bytes] = {}
_bomb_lock = threading.Lock()


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzip-compressed (cached: building 64 MB takes a tenth of a second)."""
    with _bomb_lock:
        if size not in _bombs:
            compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = bytes(2**20)
            parts = [compressor.compress(block) for _ in range(size // len(block))]
            parts.append(compressor.compress(bytes(size % len(block))))
            parts.append(compressor.flush())
            _bombs[size] = b"".join(parts)
        return _bombs[size]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # listen() backlog; the default 5 drops connections under load


class FeedServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with per-path routes; close() stops it."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.served: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.httpd = _Server(("127.0.0.1", 0), _handler(self))
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        """The absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, response: Route | None = None, **fields: object) -> str:
        """Answer `path` with `response` (or a Response built from `fields`); returns its URL."""
        self.routes[path] = response if response is not None else Response(**fields)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        """Make `path` redirect to `to` (a path or URL); returns the URL of `path`."""
        return self.route(path, status=status, headers={"Location": to})

    def requests_to(self, path: str) -> list[Request]:
        """The requests received for `path`, oldest first."""
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        """Stop serving; dripping and endless responses end too."""
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def _response(self, request: Request) -> Response:
        with self.lock:
            self.requests.append(request)
            route = self.routes.get(request.path)
            count = self.served.get(request.path, 0)
            self.served[request.path] = count + 1
        if route is None:
            return Response(404, b"not found", {"Content-Type": "text/plain"})
        if isinstance(route, list):
            return route[min(count, len(route) - 1)]
        if callable(route):
            return route(request)
        return route


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = Request("GET", self.path, headers, self.client_address[1])
            response = server._response(request)
            try:
                self._send(response)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _send(self, response: Response) -> None:
            body, headers = response.body, dict(response.headers)
            if response.gzip_bomb:
                body = gzip_bomb(response.gzip_bomb)
                headers.setdefault("Content-Encoding", "gzip")
            self.send_response(response.status)
            for name, value in headers.items():
                self.send_header(name, value)
            if response.endless:
                self.send_header("Connection", "close")
                self.end_headers()
                return self._endless(body or b"<item>" * 1000)
            if response.status not in (204, 304):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if response.status in (204, 304):
                return
            if response.drip:
                return self._drip(body, response.drip)
            self.wfile.write(body)

        def _drip(self, body: bytes, pause: float) -> None:
            for index in range(len(body)):
                if server.stopping.wait(pause):
                    break
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
            self.close_connection = True

        def _endless(self, chunk: bytes) -> None:
            self.close_connection = True
            while not server.stopping.is_set():
                self.wfile.write(chunk)

    return Handler


def gzipped(data: bytes) -> bytes:
    """`data` gzip-compressed (a convenience for routes)."""
    return gzip.compress(data, mtime=0)
