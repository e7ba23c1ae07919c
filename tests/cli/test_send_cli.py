"""`blogtui send` in a subprocess against the demo blog on 127.0.0.1: asked, it sends what waits
for its retry time now; a reply that may already be on the blog waits for `--again`; the exit
status says whether everything went (0), something was refused (1) or something still waits (3).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogtui.core.config import Identity
from blogtui.core.drafts.store import Draft, DraftStore
from blogtui.core.models import EntryData
from blogtui.core.paths import Places, places
from blogtui.core.posting import queue_reply
from blogtui.core.posting.state import ReplyState
from blogtui.core.store import Store
from blogtui.demo import DemoBlog

OPEN = "night-ride-along-the-river"
ME = Identity("Jörg Müller", "joerg@example.org", "")


@pytest.fixture
def blog() -> Iterator[DemoBlog]:
    with DemoBlog() as demo:
        yield demo


@pytest.fixture
def home(tmp_path: Path) -> Places:
    return places(tmp_path / "home")


def blogtui(home: Places, *args: str) -> tuple[int, str]:
    """Run `python -m blogtui --home HOME ARGS`; (exit status, stdout + stderr)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    done = subprocess.run(
        [sys.executable, "-m", "blogtui", "--home", str(home.config_dir.parent), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    return done.returncode, output


def queued(home: Places, url: str, text: str) -> Draft:
    """A draft replying to the post at `url`, queued in the home's outbox."""
    store, drafts = Store(home.database), DraftStore(home.drafts_dir)
    try:
        feed, _ = store.add_feed(url + "feed/", "Demo")
        store.upsert_articles(feed.id, [EntryData(key=url, title="Nachtfahrt", link=url)])
        draft = drafts.new(blog="demo", article_url=url, article_title="Nachtfahrt",
                           identity=ME, text=text)  # fmt: skip
        queue_reply(store, drafts, draft, store.article_ids([feed.id])[0])
    finally:
        store.close()
    return draft


def outbox_row(home: Places, draft_id: str):
    store = Store(home.database)
    try:
        return store.outbox_item(draft_id)
    finally:
        store.close()


def posts(blog: DemoBlog) -> int:
    return sum(line.startswith("POST /wp-comments-post.php") for line in blog.requests)


def on_blog(blog: DemoBlog, text: str) -> int:
    return [c["content"] for c in blog.comments(OPEN)].count(text)


def test_a_reply_waiting_for_its_retry_time_is_sent_when_asked(blog, home):
    draft = queued(home, blog.post_url(OPEN), "Erst später, dann sofort.")
    blog.fail_next(1, 503, retry_after=3600)
    status, output = blogtui(home, "send")
    assert status == 3, output  # still waits
    assert "queued: " in output and "· retry " in output and draft.id in output
    assert outbox_row(home, draft.id).next_attempt > outbox_row(home, draft.id).updated + 3000
    status, output = blogtui(home, "send")  # the user's request beats the timer
    assert status == 0, output
    assert f"{draft.id} posted: " in output and "Nothing to send" not in output
    assert on_blog(blog, "Erst später, dann sofort.") == 1
    assert blogtui(home, "send") == (0, "Nothing to send.\n")


def test_an_unconfirmed_reply_is_sent_again_only_with_again(blog, home):
    text = "Vielleicht schon da."
    draft = queued(home, blog.post_url(OPEN), text)
    store = Store(home.database)
    try:
        store.update_reply(
            draft.id,
            state=ReplyState.UNCONFIRMED,
            next_attempt=None,
            last_error="sent 2026-12-03 21:43 (the server answered HTTP 500)",
        )
    finally:
        store.close()
    for _ in range(2):
        status, output = blogtui(home, "send")
        assert status == 3, output
        assert f"{draft.id} may already be on the blog; not sent again unless you ask" in output
        assert "sent 2026-12-03 21:43" in output
        assert f"look for it on {blog.post_url(OPEN)}" in output
        assert f"`blogtui send --again {draft.id}` sends it again" in output
    assert posts(blog) == 0
    status, output = blogtui(home, "send", "--again", draft.id)
    assert status == 0 and f"{draft.id} posted: " in output, output
    assert posts(blog) == 1 and on_blog(blog, text) == 1
    status, output = blogtui(home, "send", "--again", draft.id)  # it is on the blog now
    assert status == 2 and "is not sent again: posted" in output, output
    assert posts(blog) == 1


def test_a_refusal_exits_1_and_an_unknown_draft_2(blog, home):
    draft = queued(home, blog.post_url("winterpause-werkstatt-bis-maerz"), "Zu.")
    status, output = blogtui(home, "send")
    assert status == 1 and f"{draft.id} cannot be posted from blogtui" in output, output
    status, output = blogtui(home, "send", "--again", "20990101T000000000-deadbeef")
    assert status == 2 and "is not in the outbox" in output, output


def test_deleting_an_unconfirmed_draft_is_an_answer(blog, home):
    draft = queued(home, blog.post_url(OPEN), "Doch lieber nicht.")
    store = Store(home.database)
    try:
        store.update_reply(draft.id, state=ReplyState.UNCONFIRMED, last_error="sent 21:43")
    finally:
        store.close()
    assert blogtui(home, "send")[0] == 3
    assert blogtui(home, "drafts", "rm", draft.id)[0] == 0
    assert blogtui(home, "send") == (0, "Nothing to send.\n")
    assert posts(blog) == 0
