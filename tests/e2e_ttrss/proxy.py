"""A proxy on 127.0.0.1 in front of the real tt-rss API that breaks chosen calls on purpose.

`faults` maps a tt-rss `op` to what happens to it (every time, until changed):

- "garbage": answer 200 with an HTML page instead of JSON;
- "swallow": answer OK without forwarding (the server never sees the call);
- "down": close the connection unanswered (a server gone mid-sync);
- "stall": set `stalled` and hold the connection open until `release` is set;

any of them followed by "@N" only on the N-th call of that op.

`down_after` N: every request after the first N is closed unanswered.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class TtrssProxy:
    """Serves on 127.0.0.1:<free port>; `base_url` is the address to give blogtui."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.faults: dict[str, str] = {}
        self.down_after: int | None = None
        self.ops: list[str] = []
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.proxy = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        proxy: TtrssProxy = self.server.proxy  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            op = str(json.loads(body).get("op", ""))
        except ValueError:
            op = ""
        proxy.ops.append(op)
        fault, _, nth = proxy.faults.get(op, "").partition("@")
        if nth and int(nth) != proxy.ops.count(op):
            fault = ""
        if proxy.down_after is not None and len(proxy.ops) > proxy.down_after:
            fault = "down"
        if fault == "down":
            self.close_connection = True
            self.connection.close()
            return
        if fault == "stall":
            proxy.stalled.set()
            proxy.release.wait(60)
            self.close_connection = True
            return
        if fault == "garbage":
            self._send(200, b"<html><body>502 Bad Gateway \xc3\xa4</body></html>", "text/html")
            return
        if fault == "swallow":
            answer = {"seq": 0, "status": 0, "content": {"status": "OK", "updated": 1}}
            self._send(200, json.dumps(answer).encode(), "text/json")
            return
        reply = httpx.post(proxy.api_url, content=body, timeout=60)
        self._send(reply.status_code, reply.content, reply.headers.get("content-type", ""))

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
