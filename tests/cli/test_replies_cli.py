"""`blogtui replies` and a full `blogtui refresh` look for replies to your comments themselves:
they re-read the threads you commented on (the demo blog on 127.0.0.1) and say what is new."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from blogtui.core.config import Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.paths import Places, places
from blogtui.core.posting import queue_reply
from blogtui.core.posting.form import parse_comment_form
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


def blogtui(home: Places, *args: str) -> tuple[int, str, str]:
    """Run `python -m blogtui --home HOME ARGS`: (exit status, stdout, stderr)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    done = subprocess.run(
        [sys.executable, "-m", "blogtui", "--home", str(home.config_dir.parent), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def my_comment_on_the_blog(blog: DemoBlog, home: Places) -> str:
    """Subscribe, send a reply to OPEN with `blogtui send`; the blog's id of that comment."""
    assert blogtui(home, "add", blog.feed_url)[0] == 0
    store, drafts = Store(home.database), DraftStore(home.drafts_dir)
    try:
        url = blog.post_url(OPEN)
        article_id = store.article_ids_by_link([url])[url]
        draft = drafts.new(blog="demo", article_url=url, article_title="Night ride",
                           identity=ME, text="Welche Lampe nimmst du?")  # fmt: skip
        queue_reply(store, drafts, draft, article_id)
    finally:
        store.close()
    assert blogtui(home, "send")[0] == 0
    store = Store(home.database)
    try:
        [mine] = store.my_comments()
        return mine.key
    finally:
        store.close()


def reply_on_the_blog(blog: DemoBlog, parent: str, author: str, text: str) -> None:
    """Someone answers comment `parent` on the blog itself."""
    page = httpx.get(blog.post_url(OPEN), timeout=10)
    fields = parse_comment_form(page.text, str(page.url)).fields
    fields.update(comment=text, author=author, email="x@example.org", url="",
                  comment_parent=parent)  # fmt: skip
    httpx.post(f"{blog.base_url}/wp-comments-post.php", data=fields, timeout=10)


def thread_reads(blog: DemoBlog) -> int:
    """Requests that read the thread (WordPress REST comments or the article page)."""
    return sum("comments" in line or OPEN in line for line in blog.requests)


def test_a_reply_posted_on_the_blog_is_found_by_replies_and_refresh(blog, home):
    parent = my_comment_on_the_blog(blog, home)
    status, out, _ = blogtui(home, "refresh")
    assert status == 0 and "new repl" not in out
    reply_on_the_blog(blog, parent, "Lea", "Die Lupine, seit Jahren.")
    status, out, err = blogtui(home, "replies")
    assert (status, err) == (0, "")
    assert "Night ride" in out and "Lea: Die Lupine, seit Jahren." in out
    reply_on_the_blog(blog, parent, "Ole", "Ich auch!")
    status, out, _ = blogtui(home, "refresh")
    assert status == 0
    assert "1 new reply to your comments; `blogtui replies` lists them." in out.splitlines()
    reads = thread_reads(blog)
    assert reads > 0
    status, out, _ = blogtui(home, "replies", "--offline")
    assert "Lea: Die Lupine" in out and "Ole: Ich auch!" in out
    assert thread_reads(blog) == reads  # --offline fetched nothing


def test_replies_all_lists_replies_already_read_after_fetching(blog, home):
    parent = my_comment_on_the_blog(blog, home)
    reply_on_the_blog(blog, parent, "Lea", "Gute Frage!")
    store = Store(home.database)
    try:
        assert store.replies_to_me(include_seen=True) == []  # not read from the blog yet
    finally:
        store.close()
    status, out, _ = blogtui(home, "replies", "--all")
    assert status == 0 and "Lea: Gute Frage!" in out


def test_a_thread_that_cannot_be_read_is_said_and_the_stored_replies_shown(blog, home):
    parent = my_comment_on_the_blog(blog, home)
    reply_on_the_blog(blog, parent, "Lea", "Gute Frage!")
    assert "Lea: Gute Frage!" in blogtui(home, "replies")[1]
    blog.stop()
    status, out, err = blogtui(home, "replies")
    assert status == 0 and "Lea: Gute Frage!" in out
    assert err == (
        "blogtui: 1 of 1 thread(s) you commented on could not be read; showing what is stored\n"
    )
