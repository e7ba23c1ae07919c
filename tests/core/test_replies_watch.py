"""Watching replies to your comments: the watched threads are reloaded; replies to you are found."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from posting_support import OPEN, add_article, make_store

from blogtui.core.comments.loading import load_thread_sync
from blogtui.core.comments.replies import recent_articles, refresh_watched, watched_articles
from blogtui.core.errors import StoreError
from blogtui.core.feeds.client import make_client
from blogtui.core.models import CommentData
from blogtui.core.posting.form import parse_comment_form
from blogtui.demo import DemoBlog


@pytest.fixture
def blog() -> Iterator[DemoBlog]:
    with DemoBlog() as demo:
        yield demo


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/post/"


def post_comment(blog: DemoBlog, author: str, text: str, parent_key: str = "0") -> None:
    page = httpx.get(blog.post_url(OPEN), timeout=10)
    fields = parse_comment_form(page.text, str(page.url)).fields
    fields.update(comment=text, author=author, email="x@example.org", url="",
                  comment_parent=parent_key)  # fmt: skip
    httpx.post(f"{blog.base_url}/wp-comments-post.php", data=fields, timeout=10)


def test_watched_articles_are_those_of_my_newest_comments(tmp_path):
    store, _ = make_store(tmp_path)
    first, second = (add_article(store, f"https://blog.example/{n}/") for n in (1, 2))
    for article, key, published in ((first, "a", 1.0), (second, "b", 2.0), (first, "c", 3.0)):
        mine = CommentData(key=key, parent_key="", author="Me", content="x", published=published)
        store.store_thread(article.id, [mine], provider="test", partial=True)
        store.mark_mine(article.id, key)
    assert [a.id for a in watched_articles(store)] == [first.id, second.id]
    assert [a.id for a in watched_articles(store, limit=1)] == [first.id]
    assert [c.key for c in store.my_comments()] == ["a", "b", "c"]


def test_refresh_watched_finds_a_new_reply_and_counts_failures(blog, tmp_path):
    store, _ = make_store(tmp_path)
    article = add_article(store, blog.post_url(OPEN))
    gone = add_article(store, closed_port_url(), feed="https://gone.example/feed/")
    post_comment(blog, "Me", "Eine Frage?")
    first = load_thread_sync(store, article, deadline=10.0)
    [parent] = [c for c in first.comments if c.author == "Me"]
    store.mark_mine(article.id, parent.key)
    store.store_thread(gone.id, [CommentData("g", "", "Me", "x")], provider="test", partial=True)
    store.mark_mine(gone.id, "g")
    assert store.replies_to_me() == []
    post_comment(blog, "Lea", "Gute Frage!", parent.key)
    made: list[httpx.AsyncClient] = []

    def factory() -> httpx.AsyncClient:
        made.append(make_client(2))
        return made[-1]

    assert refresh_watched(store, deadline=5.0, client_factory=factory) == 1
    assert len(made) == 2 and all(client.is_closed for client in made)
    [reply] = store.replies_to_me()
    assert (reply.author, reply.parent_key) == ("Lea", parent.key)


def test_only_threads_of_the_last_30_days_are_reloaded(tmp_path):
    store, _ = make_store(tmp_path)
    now = 1_800_000_000.0
    old, recent = (add_article(store, f"https://blog.example/{n}/") for n in ("old", "new"))
    for article, days in ((old, 31), (recent, 29)):
        mine = CommentData(key="m", parent_key="", author="Me", content="x",
                           published=now - days * 86400)  # fmt: skip
        store.store_thread(article.id, [mine], provider="test", partial=True)
        store.mark_mine(article.id, "m")
    assert [a.id for a in recent_articles(store, now)] == [recent.id]
    assert [a.id for a in watched_articles(store)] == [recent.id, old.id]


def test_a_damaged_database_is_raised_not_counted_as_a_failed_thread(tmp_path):
    store, _ = make_store(tmp_path)
    article = add_article(store, "https://blog.example/1/")
    store.store_thread(article.id, [CommentData("m", "", "Me", "x")], provider="test")
    store.mark_mine(article.id, "m")

    def damaged() -> httpx.AsyncClient:
        raise StoreError("the database is damaged")

    with pytest.raises(StoreError, match="damaged"):
        refresh_watched(store, deadline=5.0, client_factory=damaged)
    seen: list[tuple[int, bool]] = []

    def unreachable() -> httpx.AsyncClient:
        raise OSError("no route")

    done = refresh_watched(store, deadline=5.0, client_factory=unreachable,
                           on_done=lambda a, ok: seen.append((a.id, ok)))  # fmt: skip
    assert done == 1 and seen == [(article.id, False)]
