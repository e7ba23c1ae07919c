"""Opening an article asks the other comment systems about it at most once a day: a lookup that
found nothing is remembered too (`others_lookups`), one that failed is not (it is tried again on
the next opening), and a lookup older than LOOK_AGAIN_SECONDS, or one forgotten (`r`), is
repeated. The article's page is served by a real loopback server and counted."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import httpx
import pytest
from feedserver import Response
from posting_support import add_article, make_store
from support.sources import StubProvider, stub_registry, thread

from blogtui.core.comments.base import Hints, Target
from blogtui.core.comments.loading import load_thread
from blogtui.core.comments.others import LOOK_AGAIN_SECONDS, look_for_others
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
from blogtui.core.store import Store
from blogtui.core.store.migrations import MIGRATIONS
from blogtui.core.store.source_schema import remember_others_lookups

PAGE = "/2026/12/weihnachtsmarkt/"
HTML = "<html><head><title>Markt</title></head><body><p>Glühwein</p></body></html>".encode()


class PageStub(StubProvider):
    """A system found on the article's page: it reads the page (through `Hints`) to say."""

    def __init__(self, name: str, kind: str = "blog") -> None:
        super().__init__(name, kind=kind, label=name.title())
        self.release: asyncio.Event | None = None
        """When set, detection waits for it (a system that does not answer in time)."""

    async def detect(self, client: httpx.AsyncClient, article: Article, hints: Hints):
        self.detects += 1
        page = await hints.page(client)
        if self.release is not None:
            await self.release.wait()
        if self.error:
            raise CommentsUnavailable(self.error)
        if page is None or article.link not in self.threads:
            return None
        return Target(self.name, f"https://{self.name}.example/api", article.link)


@pytest.fixture
def systems():
    blog = StubProvider("blogstub", label="Stub Blog")  # the blog's own: needs no page
    embed, fedi = PageStub("embedstub"), PageStub("fedistub", kind="elsewhere")
    with stub_registry(blog, embed, fedi):
        yield blog, embed, fedi


def page_article(tmp_path, feed_server, blog) -> tuple[Store, Article]:
    store, _ = make_store(tmp_path)
    article = add_article(store, feed_server.url(PAGE), title="Weihnachtsmarkt in Köln")
    blog.threads[article.link] = thread("blog", 2)
    return store, article


def page_reads(feed_server) -> int:
    return len(feed_server.requests_to(PAGE))


async def test_a_lookup_that_found_nothing_is_not_repeated_on_the_next_opening(
    tmp_path, feed_server, systems, client
):
    blog, embed, fedi = systems
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html; charset=utf-8"})
    store, article = page_article(tmp_path, feed_server, blog)
    before = time.time()
    first = await load_thread(client, store, article)
    assert first.ok and len(first.comments) == 2 and store.sources_of(article.id) == []
    assert page_reads(feed_server) == 1 and (embed.detects, fedi.detects) == (1, 1)
    looked = store.others_looked_up(article.id)
    assert looked is not None and before <= looked <= time.time()
    second = await load_thread(client, store, article)
    assert second.ok and len(second.comments) == 2 and blog.fetches == 2  # the thread is read
    assert page_reads(feed_server) == 1 and (embed.detects, fedi.detects) == (1, 1)
    assert store.others_looked_up(article.id) == looked


async def test_found_sources_stay_and_are_not_looked_up_again(
    tmp_path, feed_server, systems, client
):
    blog, embed, fedi = systems
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    store, article = page_article(tmp_path, feed_server, blog)
    fedi.threads[article.link] = thread("fedi", 3)
    await load_thread(client, store, article)
    await load_thread(client, store, article)
    assert [s.name for s in store.sources_of(article.id)] == ["fedistub"]
    assert page_reads(feed_server) == 1 and fedi.detects == 1


async def test_after_a_day_or_when_forgotten_the_systems_are_asked_again(
    tmp_path, feed_server, systems, client
):
    blog, embed, fedi = systems
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    store, article = page_article(tmp_path, feed_server, blog)
    await load_thread(client, store, article)
    store.note_others_looked_up(article.id, time.time() - LOOK_AGAIN_SECONDS + 600)
    await load_thread(client, store, article)  # ten minutes short of a day: still stands
    assert page_reads(feed_server) == 1
    store.note_others_looked_up(article.id, time.time() - LOOK_AGAIN_SECONDS - 60)
    embed.threads[article.link] = thread("embed", 1)  # the blog added Stub Embed meanwhile
    await load_thread(client, store, article)
    assert page_reads(feed_server) == 2 and embed.detects == 2
    assert [s.name for s in store.sources_of(article.id)] == ["embedstub"]
    assert time.time() - store.others_looked_up(article.id) < 60
    store.forget_others_lookup(article.id)  # what `r` does before it reloads
    assert store.others_looked_up(article.id) is None
    await load_thread(client, store, article)
    assert page_reads(feed_server) == 3 and embed.detects == 3
    await load_thread(client, store, article)
    assert page_reads(feed_server) == 3


async def test_a_page_that_cannot_be_read_is_asked_for_again_on_the_next_opening(
    tmp_path, feed_server, systems, client
):
    blog, embed, fedi = systems
    feed_server.route(PAGE, [
        Response(503, b"Wartungsarbeiten", {"Content-Type": "text/plain"}),
        Response(503, b"Wartungsarbeiten", {"Content-Type": "text/plain"}),
        Response(200, HTML, {"Content-Type": "text/html"}),
    ])  # fmt: skip
    store, article = page_article(tmp_path, feed_server, blog)
    first = await load_thread(client, store, article)
    assert first.ok and len(first.comments) == 2  # the blog's own thread needs no page
    assert store.others_looked_up(article.id) is None  # failed: not "none found"
    await load_thread(client, store, article)
    assert page_reads(feed_server) == 2 and store.others_looked_up(article.id) is None
    await load_thread(client, store, article)  # the page answers now
    assert page_reads(feed_server) == 3 and store.others_looked_up(article.id) is not None
    await load_thread(client, store, article)
    assert page_reads(feed_server) == 3


async def test_an_unreachable_server_is_not_recorded_as_none_found(tmp_path, systems, client):
    blog = systems[0]
    store, _ = make_store(tmp_path)
    with socket_closed() as url:
        article = add_article(store, url + PAGE, title="Weg")
    blog.threads[article.link] = thread("blog", 1)
    result = await load_thread(client, store, article)
    assert result.ok and store.others_looked_up(article.id) is None


async def test_a_system_that_fails_has_the_lookup_repeated(tmp_path, feed_server, systems, client):
    blog, embed, fedi = systems
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    store, article = page_article(tmp_path, feed_server, blog)
    fedi.threads[article.link] = thread("fedi", 1)
    embed.error = "Stub Embed: the forum answered 502"
    await load_thread(client, store, article)
    assert [s.name for s in store.sources_of(article.id)] == ["fedistub"]  # what was found stays
    assert store.others_looked_up(article.id) is None
    embed.error = ""
    await load_thread(client, store, article)
    assert embed.detects == 2 and store.others_looked_up(article.id) is not None
    await load_thread(client, store, article)
    assert embed.detects == 2


async def test_a_system_that_failed_while_the_blogs_thread_was_looked_for_counts_too(
    tmp_path, feed_server, client
):
    first, blog = PageStub("firststub"), StubProvider("blogstub")  # asked in this order
    fedi = PageStub("fedistub", kind="elsewhere")
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    with stub_registry(first, blog, fedi):
        store, article = page_article(tmp_path, feed_server, blog)
        first.error = "First Stub: the forum answered 502"
        result = await load_thread(client, store, article)
        assert result.ok and result.provider == "blogstub" and first.detects == 1
        assert fedi.detects == 1 and store.others_looked_up(article.id) is None
        first.error = ""
        await load_thread(client, store, article)  # blogstub is remembered: asked first
        assert first.detects == 2 and store.others_looked_up(article.id) is not None
        await load_thread(client, store, article)
        assert first.detects == 2 and fedi.detects == 2


async def test_a_blog_thread_search_that_ran_out_of_time_is_not_a_lookup(
    tmp_path, feed_server, client
):
    stuck, fedi = PageStub("stuckstub"), PageStub("fedistub", kind="elsewhere")
    stuck.release = asyncio.Event()  # never set: the blog's own system never answers
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    with stub_registry(stuck, fedi):
        store, article = page_article(tmp_path, feed_server, StubProvider("unused"))
        result = await load_thread(client, store, article, deadline=0.3)
        assert "gave up" in result.error and fedi.detects == 1
        assert store.others_looked_up(article.id) is None


async def test_a_system_that_does_not_answer_in_time_leaves_the_lookup_incomplete(
    tmp_path, feed_server, systems, client
):
    blog, embed, fedi = systems
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    store, article = page_article(tmp_path, feed_server, blog)
    fedi.threads[article.link] = thread("fedi", 1)
    embed.release = asyncio.Event()  # never set: Stub Embed never answers
    hints = Hints(article)
    assert await hints.page(client) is not None  # read before the short wait below
    late = await look_for_others(client, article, hints, shown="blogstub", seconds=0.3)
    assert [s.name for s in late.found] == ["fedistub"] and not late.complete
    embed.release = None
    done = await look_for_others(client, article, hints, shown="blogstub")
    assert [s.name for s in done.found] == ["fedistub"] and done.complete
    assert page_reads(feed_server) == 1


async def test_an_article_without_a_link_has_nothing_to_fail(tmp_path, systems, client):
    store, _ = make_store(tmp_path)
    article = add_article(store, "https://blog.example.de/ohne-link/")
    bare = Article(id=article.id, feed_id=article.feed_id, key=article.key, title="", author="",
                   link="", published=None, updated=None, content="", read=False)  # fmt: skip
    found = await look_for_others(client, bare, Hints(bare))
    assert found.complete and found.found == []


async def test_the_replies_watch_neither_asks_nor_records(tmp_path, feed_server, systems, client):
    blog = systems[0]
    feed_server.route(PAGE, body=HTML, headers={"Content-Type": "text/html"})
    store, article = page_article(tmp_path, feed_server, blog)
    await load_thread(client, store, article, find_others=False)
    assert page_reads(feed_server) == 0 and store.others_looked_up(article.id) is None


def test_old_databases_gain_the_table_and_a_deleted_article_takes_its_lookup(tmp_path):
    path = tmp_path / "alt.db"
    db = sqlite3.connect(path, isolation_level=None)
    before = MIGRATIONS[: MIGRATIONS.index(remember_others_lookups)]
    for migration in before:
        migration(db)
    db.execute(f"PRAGMA user_version = {len(before)}")
    db.close()
    store = Store(path)
    article = add_article(store, "https://blog.example.de/2026/alt/")
    assert store.others_looked_up(article.id) is None
    store.note_others_looked_up(article.id, 1_800_000_000.0)
    store.note_others_looked_up(article.id, 1_800_000_100.0)
    assert store.others_looked_up(article.id) == 1_800_000_100.0
    store.remove_feed(article.feed_id)
    assert store.db.execute("SELECT count(*) FROM others_lookups").fetchone()[0] == 0
    store.close()


class socket_closed:  # noqa: N801 - used as a context manager
    """A loopback address nothing listens on (its port was bound, then released)."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        return None
