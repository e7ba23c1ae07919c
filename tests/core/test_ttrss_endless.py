"""A tt-rss that never stops answering full pages (a broken or hostile server): the first pull
holds at most FEED_CAP articles of a feed, every id listing ends at MAX_IDS with a message, and
the sync ends (core/sync/ttrss.py). Served on 127.0.0.1 by a small stand-in speaking tt-rss's
JSON API (`{"seq", "status", "content"}`) for the calls a sync makes."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.core.sync import ttrss
from blogtui.core.sync.base import Account
from blogtui.core.sync.run import sync_accounts


class Endless(BaseHTTPRequestHandler):
    """Every getHeadlines answers LIMIT headlines with ids never seen before."""

    protocol_version = "HTTP/1.1"
    ids = itertools.count(1)
    calls: list[str] = []

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        op = body.get("op")
        self.calls.append(op)
        content: Any = {
            "login": {"session_id": "s1", "api_level": 18},
            "getCategories": [],
            "getFeeds": [{"id": 7, "title": "Endlos", "feed_url": "https://blog.example/feed",
                          "cat_id": 0, "unread": 5}],
            "getPref": {"value": 0},
        }.get(op)  # fmt: skip
        if op == "getHeadlines":
            content = [
                {"id": n, "feed_id": 7, "title": f"Artikel {n} über Äpfel", "unread": True,
                 "link": f"https://blog.example/{n}", "content": "<p>Grüße</p>", "updated": 1}
                for n in itertools.islice(self.ids, ttrss.LIMIT)
            ]  # fmt: skip
        data = json.dumps({"seq": 0, "status": 0, "content": content}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Endless.calls = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_an_endless_server_gives_a_capped_pull_and_an_ended_sync(
    tmp_path: Path, server, monkeypatch
):
    monkeypatch.setattr(ttrss, "MAX_IDS", 8 * ttrss.LIMIT)  # the listing's bound, reached sooner
    store = Store(tmp_path / "blogtui.db")
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    account = Account("endlos", "ttrss", server, "jörg")
    store.add_account(account)
    credentials.set_entry(account.credential_key, "jörg", "geheim")
    [report] = asyncio.run(asyncio.wait_for(sync_accounts(store, credentials), 60))
    assert store.article_count() == ttrss.FEED_CAP  # the newest FEED_CAP of the feed
    assert Endless.calls.count("getHeadlines") <= ttrss.FEED_CAP // ttrss.LIMIT + 8 + ttrss.PARALLEL
    # a capped first pull goes on to the id sets, whose listing never ends: stopped, said
    assert "more than 1,600 headlines in one listing" in report.error
    assert "repeat itself" in report.error
