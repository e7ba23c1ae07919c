"""The HTTP plumbing every stand-in shares: a ThreadingHTTPServer on 127.0.0.1, requests recorded,
an optional latency per request (for the benchmark), answers built by the stand-in's `answer`."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Seen:
    """One request: path, query (every value of each name), headers (names lowercased), and
    for a POST its method and body."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""

    @property
    def form(self) -> dict[str, str]:
        """A form-encoded POST body, the first value of each name."""
        fields = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {name: values[0] for name, values in fields.items()}


@dataclass
class Reply:
    """What the stand-in answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, **headers: str) -> Reply:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})


class StandIn:
    """Base of the stand-ins: subclasses implement `answer(seen) -> Reply`."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.seen: list[Seen] = []
        self.pages: dict[str, str] = {}
        """Article pages by path, served as text/html (the blog the service is embedded in)."""
        self.active = 0
        self.hold: threading.Event | None = None
        """When set, a POST's answer waits (at most 10 s) until this event is set: the service
        has stored the comment, the answer is late (a client timeout after sending)."""
        self.most_active = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, seen: Seen) -> Reply:
        raise NotImplementedError

    @property
    def posts(self) -> list[Seen]:
        """Every POST received."""
        return [seen for seen in self.seen if seen.method == "POST"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler, method: str = "GET") -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        seen = Seen(
            parts.path,
            parse_qs(parts.query, keep_blank_values=True),
            {k.lower(): v for k, v in handler.headers.items()},
            method,
            handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.seen.append(seen)
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if self.latency:
                time.sleep(self.latency)
            page = self.pages.get(seen.path)
            reply = (
                self.answer(seen)
                if page is None
                else Reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
            )
        finally:
            with self._lock:
                self.active -= 1
        if method == "POST" and self.hold is not None:
            self.hold.wait(10)
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a held answer)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                stand_in._serve(self)

            def do_POST(self) -> None:  # noqa: N802
                stand_in._serve(self, "POST")

        return Handler
