"""The outbox under faults: every reply ends up on the server exactly once, no draft is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from faultproxy import FaultProxy
from posting_support import OPEN, add_article, make_store, queue

from blogtui.core.posting import OutboxBusy, send_pending
from blogtui.core.posting.form import FormPoster
from blogtui.core.posting.outbox import LOCK_NAME, next_due
from blogtui.demo import DemoBlog

LATER = time.time() + 10 * 86400
CHILD = """
import sys
from blogtui.core.drafts.store import DraftStore
from blogtui.core.posting import send_sync
from blogtui.core.store import Store
send_sync(Store(sys.argv[1]), DraftStore(sys.argv[2]))
"""


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    with DemoBlog() as blog:
        front = FaultProxy(blog)
        try:
            yield front
        finally:
            front.close()


def on_server(proxy: FaultProxy, text: str) -> int:
    return [c["content"] for c in proxy.blog.comments(OPEN)].count(text)


def setup(proxy: FaultProxy, tmp_path, text: str):
    store, drafts = make_store(tmp_path)
    article = add_article(store, f"{proxy.base_url}/{OPEN}/")
    return store, drafts, queue(store, drafts, article, text)


@pytest.mark.parametrize("mode", ["drop-after", "500-after"])
async def test_answer_lost_after_the_blog_stored_it(proxy, client, tmp_path, mode):
    text = f"Verbindung weg ({mode})."
    store, drafts, draft = setup(proxy, tmp_path, text)
    proxy.mode = mode
    [first] = await send_pending(store, drafts, client)
    assert first.state == "unsure", first
    assert drafts.path_of(draft.id).exists()  # not archived without an id
    [second] = await send_pending(store, drafts, client, now=LATER)
    assert (second.state, second.requests) == ("posted", 0)  # found, not resent
    assert proxy.posts == 1 and on_server(proxy, text) == 1
    assert drafts.load(draft.id, sent=True).remote_id == second.remote_id


async def test_500_before_storing_is_resent_once(proxy, client, tmp_path):
    store, drafts, draft = setup(proxy, tmp_path, "Server kaputt.")
    proxy.mode = "500-before"
    [first] = await send_pending(store, drafts, client)
    assert first.state == "unsure" and "500" in first.message
    assert next_due(store) == first.next_attempt
    [second] = await send_pending(store, drafts, client, now=LATER)
    assert (second.state, second.requests) == ("posted", 1)
    assert proxy.posts == 2 and on_server(proxy, "Server kaputt.") == 1


async def test_503_is_retried_later(proxy, client, tmp_path):
    store, drafts, draft = setup(proxy, tmp_path, "Später.")
    proxy.blog.fail_next(1, 503, retry_after=120)
    [first] = await send_pending(store, drafts, client)
    assert first.state == "queued" and first.next_attempt >= time.time() + 100
    [second] = await send_pending(store, drafts, client, now=LATER)
    assert second.state == "posted" and on_server(proxy, "Später.") == 1


async def test_timeout_after_sending(proxy, client, tmp_path):
    store, drafts, draft = setup(proxy, tmp_path, "Zeitüberschreitung.")
    proxy.mode = "stall-after"
    quick = lambda d, a: FormPoster(deadline=1.0)  # noqa: E731
    [first] = await send_pending(store, drafts, client, poster_for=quick)
    assert first.state == "unsure" and "timed out" in first.message
    proxy.release.set()
    [second] = await send_pending(store, drafts, client, now=LATER)
    assert (second.state, second.requests) == ("posted", 0)
    assert on_server(proxy, "Zeitüberschreitung.") == 1


async def test_offline_is_queued_not_unsure(client, tmp_path):
    with DemoBlog() as blog:
        url = blog.post_url(OPEN)
    store, drafts = make_store(tmp_path)
    draft = queue(store, drafts, add_article(store, url), "Offline.")
    [result] = await send_pending(store, drafts, client)
    assert result.state == "queued" and result.next_attempt > time.time()
    assert drafts.load(draft.id).text == "Offline."


@pytest.mark.parametrize(("mode", "resent"), [("stall-after", 0), ("stall-before", 1)])
async def test_kill_9_mid_send(proxy, client, tmp_path, mode, resent):
    text = f"Absturz mitten im Senden ({mode})."
    store, drafts, draft = setup(proxy, tmp_path, text)
    proxy.mode = mode
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store.path), str(drafts.root)],
                             env=env)  # fmt: skip
    try:
        assert proxy.reached.wait(60), "the child never sent its reply"
        assert store.outbox_item(draft.id).state == "sending"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
    proxy.release.set()
    [result] = await send_pending(store, drafts, client)
    assert (result.state, result.requests) == ("posted", resent), result
    assert on_server(proxy, text) == 1
    assert drafts.load(draft.id, sent=True).remote_id == result.remote_id
    assert await send_pending(store, drafts, client, now=LATER) == []


async def test_a_second_sender_waits(proxy, client, tmp_path):
    from blogtui.core.drafts.atomic import acquire_lock, release_lock

    store, drafts, _ = setup(proxy, tmp_path, "Einer nach dem anderen.")
    child = subprocess.Popen([sys.executable, "-c", _HOLD, str(drafts.root / LOCK_NAME)],
                             stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"locked"
        with pytest.raises(OutboxBusy):
            await send_pending(store, drafts, client)
    finally:
        child.kill()
        child.wait()
    release_lock(acquire_lock(drafts.root / LOCK_NAME))
    [result] = await send_pending(store, drafts, client)
    assert result.state == "posted"


_HOLD = """
import sys, time
from pathlib import Path
from blogtui.core.drafts.atomic import acquire_lock
acquire_lock(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(60)
"""
