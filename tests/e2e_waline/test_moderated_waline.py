"""A second real Waline that moderates every comment (COMMENT_AUDIT) and allows one comment per
visitor an hour (IPQPS=3600), started for this module by `.ci/waline.sh` on free loopback ports.

Waline runs behind proxies and trusts X-Forwarded-For, so each test is its own visitor: its
client adds a forwarded address of its own (otherwise the hour's window would be shared)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from waline_support import LATER, REPO_ROOT, Blog, Faulty, Local, closed_port

from blogtui.core.comments.loading import load_thread
from blogtui.core.posting import send_pending


@dataclass(frozen=True)
class Moderated:
    """The moderating Waline: its URL and its SQLite database."""

    url: str
    database: Path

    def held_for(self, path: str) -> int:
        """How many comments it has for `path`, held ones included (its listing hides them)."""
        with sqlite3.connect(self.database) as db:
            query = "SELECT count(*) FROM wl_Comment WHERE url = ?"
            return int(db.execute(query, (path,)).fetchone()[0])


@pytest.fixture(scope="module")
def moderated(waline: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moderated]:
    """The moderating Waline (the `waline` fixture proves the install is there)."""
    state: Path = tmp_path_factory.mktemp("waline-moderated")
    port = closed_port()
    env = {**os.environ, "WALINE_STATE": str(state), "WALINE_PORT": str(port),
           "WALINE_OAUTH_PORT": str(closed_port()), "WALINE_AUDIT": "true",
           "WALINE_IPQPS": "3600"}  # fmt: skip
    script = str(REPO_ROOT / ".ci" / "waline.sh")
    started = subprocess.run(["bash", script, "start"], env=env, capture_output=True, text=True,
                             timeout=120, check=False)  # fmt: skip
    try:
        assert started.returncode == 0, started.stderr
        yield Moderated(f"http://127.0.0.1:{port}", state / "waline.sqlite")
    finally:
        subprocess.run(["bash", script, "stop"], env=env, capture_output=True, timeout=60,
                       check=False)  # fmt: skip


class Visitor(Faulty):
    """`Faulty`, as one visitor of its own (X-Forwarded-For)."""

    def __init__(self, mode: str, address: str) -> None:
        super().__init__(mode)
        self.address = address

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["X-Forwarded-For"] = self.address
        return await super().handle_async_request(request)


async def prepared(
    tmp_path: Path, blog: Blog, moderated: Moderated, slug: str, address: str
) -> tuple[Local, Visitor]:
    here = Local(tmp_path, blog.article(slug, waline=moderated.url))
    visitor = Visitor("pass", address)
    async with httpx.AsyncClient(transport=visitor) as client:
        result = await load_thread(client, here.store, here.article)
    assert (result.provider, result.error) == ("waline", "")
    return here, visitor


async def test_a_moderated_reply_is_held(tmp_path, blog, moderated):
    here, visitor = await prepared(tmp_path, blog, moderated, "moderiert", "10.0.0.1")
    here.queue(f"Bitte freischalten, Grüße {time.time()}")
    async with httpx.AsyncClient(transport=visitor) as client:
        [result] = await send_pending(here.store, here.drafts, client)
    assert (result.state, result.message) == ("held", "awaiting moderation"), result
    assert result.remote_id and result.remote_url.endswith(f"#{result.remote_id}")


async def test_too_fast_is_a_flood_retried_later(tmp_path, blog, moderated):
    here, visitor = await prepared(tmp_path, blog, moderated, "zu-schnell", "10.0.0.2")
    here.queue("Erste Antwort, schön")
    async with httpx.AsyncClient(transport=visitor) as client:
        [first] = await send_pending(here.store, here.drafts, client)
        here.queue("Zweite Antwort, gleich danach")
        [second] = await send_pending(here.store, here.drafts, client)
    assert first.state == "held", first
    assert (second.state, second.message) == ("queued", "Comment too fast!"), second
    assert second.next_attempt is not None and second.next_attempt > time.time() + 10
    assert visitor.posts == 2


async def test_a_held_reply_whose_answer_was_lost_is_never_doubled(tmp_path, blog, moderated):
    here, visitor = await prepared(tmp_path, blog, moderated, "verloren-moderiert", "10.0.0.3")
    visitor.mode = "dropped-after"
    text = f"Gehalten und verloren, Öl {time.time()}"
    here.queue(text)
    async with httpx.AsyncClient(transport=visitor) as client:
        [first] = await send_pending(here.store, here.drafts, client)
        assert first.state == "unsure", first
        # The listing hides held comments: the reply is not found, so it is sent once more, and
        # Waline refuses it as a duplicate; it is then never sent again.
        [second] = await send_pending(here.store, here.drafts, client, now=LATER)
        [third] = await send_pending(here.store, here.drafts, client, now=LATER + 7 * 86400)
    assert (second.state, third.state) == ("duplicate", "duplicate"), (second, third)
    assert visitor.posts == 2 and third.requests == 0
    assert moderated.held_for(urlsplit(here.url).path) == 1
