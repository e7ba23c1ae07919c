"""refresh_feeds() end to end: a real HTTP server on 127.0.0.1 and a real Store."""

from __future__ import annotations

import threading
import time
from email.utils import formatdate

import pytest
from feedserver import Request, Response

from blogtui.core.config import Config
from blogtui.core.feeds import parsepool
from blogtui.core.feeds import refresh as refresh_module
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.outcome import Outcome
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.feeds.refresh import FeedOutcome, backoff, refresh_feeds, refresh_sync
from blogtui.core.store import Store

NOW = 1_700_000_000.0
CONFIG = Config(concurrency=4, fetch_timeout=5.0)
RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def rss(*posts: int, title: str = "Blog", broken: bool = False) -> bytes:
    items = "".join(
        f"<item><title>Post {n}</title><link>http://blog.example/{n}/</link>"
        f"<guid>http://blog.example/?p={n}</guid><description>Body {n}</description></item>"
        for n in posts
    )
    if broken:
        items += "<item><title>Fish & Chips</title><guid>broken</guid></item>"
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://blog.example/</link>{items}</channel></rss>"
    ).encode()


def feed200(*posts: int, **headers: str) -> Response:
    return Response(body=rss(*posts), headers={**RSS_TYPE, **headers})


@pytest.fixture
def store(tmp_path):
    db = Store(tmp_path / "blogtui.db")
    yield db
    db.close()


async def refresh(store, *feeds, now: float = NOW, **options):
    options.setdefault("processes", 0)
    return await refresh_feeds(store, list(feeds), CONFIG, now=now, **options)


def keys(store, feed_id: int) -> list[str]:
    return sorted(store.get_article(i).key for i in store.article_ids([feed_id]))


async def test_first_refresh_stores_articles_title_and_validators(feed_server, store):
    url = feed_server.route("/feed", feed200(1, 2, ETag='"v1"'))
    feed, _ = store.add_feed(url)
    summary = await refresh(store, feed)
    assert (summary.ok, summary.failed, summary.new_articles) == (1, 0, 2)
    assert summary.outcomes == [FeedOutcome(feed.id, url, 200, 2)]
    stored = store.get_feed(feed.id)
    assert (stored.title, stored.site_url, stored.etag) == ("Blog", "http://blog.example/", '"v1"')
    assert (stored.last_status, stored.last_error, stored.total) == (200, "", 2)


async def test_refreshing_twice_never_duplicates(feed_server, store):
    url = feed_server.route("/feed", [feed200(1, 2), feed200(1, 2), feed200(2, 3)])
    feed, _ = store.add_feed(url)
    assert (await refresh(store, feed)).new_articles == 2
    assert (await refresh(store, store.get_feed(feed.id))).new_articles == 0
    assert (await refresh(store, store.get_feed(feed.id))).new_articles == 1
    assert keys(store, feed.id) == [f"http://blog.example/?p={n}" for n in (1, 2, 3)]


async def test_items_stored_last_time_are_not_parsed_again(feed_server, store, monkeypatch):
    url = feed_server.route("/feed", [feed200(1, 2), feed200(3, 1, 2), feed200(3, 1, 2)])
    feed, _ = store.add_feed(url)
    bodies = []
    real = refresh_module.parse_feed

    def spy(body, *args):
        bodies.append(body)
        return real(body, *args)

    monkeypatch.setattr(refresh_module, "parse_feed", spy)
    await refresh(store, feed)
    assert (await refresh(store, store.get_feed(feed.id))).new_articles == 1
    assert bodies[1].count(b"<item>") == 1 and b"Post 3" in bodies[1]
    refresh_module.seen_items.forget()
    assert (await refresh(store, store.get_feed(feed.id))).new_articles == 0
    assert bodies[2].count(b"<item>") == 3
    assert keys(store, feed.id) == [f"http://blog.example/?p={n}" for n in (1, 2, 3)]


async def test_304_sends_validators_and_costs_no_parse(feed_server, store, monkeypatch):
    url = feed_server.route(
        "/feed", [feed200(1, ETag='"v1"', **{"Last-Modified": formatdate(NOW)}), Response(304)]
    )
    feed, _ = store.add_feed(url)
    await refresh(store, feed)
    parses = []
    monkeypatch.setattr(refresh_module, "parse_feed", lambda *a: parses.append(a))
    summary = await refresh(store, store.get_feed(feed.id))
    assert summary.not_modified == 1 and summary.outcomes[0].not_modified and parses == []
    sent = feed_server.requests_to("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == formatdate(NOW)
    assert store.get_feed(feed.id).etag == '"v1"' and keys(store, feed.id) != []


async def test_a_200_without_validators_forgets_the_old_ones(feed_server, store):
    url = feed_server.route("/feed", [feed200(1, ETag='"v1"'), feed200(1, 2), feed200(1, 2)])
    feed, _ = store.add_feed(url)
    await refresh(store, feed)
    await refresh(store, store.get_feed(feed.id))
    assert store.get_feed(feed.id).etag == ""
    await refresh(store, store.get_feed(feed.id))
    assert "if-none-match" not in feed_server.requests_to("/feed")[2].headers


@pytest.mark.parametrize("status", [301, 308])
async def test_permanent_redirect_moves_the_feed_after_a_good_parse(feed_server, store, status):
    old = feed_server.redirect("/old", "/new", status)
    new = feed_server.route("/new", feed200(1))
    feed, _ = store.add_feed(old)
    assert (await refresh(store, feed)).ok == 1
    assert store.get_feed(feed.id).url == new and store.feed_by_url(old) is None


async def test_permanent_redirect_to_a_non_feed_keeps_the_url(feed_server, store):
    old = feed_server.redirect("/old", "/page", 301)
    feed_server.route("/page", body=b"<html><body>hi</body></html>")
    feed, _ = store.add_feed(old)
    summary = await refresh(store, feed)
    assert summary.failed == 1 and "HTML page" in summary.outcomes[0].error
    assert store.get_feed(feed.id).url == old


@pytest.mark.parametrize("status", [302, 307])
async def test_temporary_redirect_keeps_the_url(feed_server, store, status):
    old = feed_server.redirect("/old", "/new", status)
    feed_server.route("/new", feed200(1))
    feed, _ = store.add_feed(old)
    assert (await refresh(store, feed)).new_articles == 1
    assert store.get_feed(feed.id).url == old


async def test_410_marks_gone_and_later_refreshes_skip_it(feed_server, store):
    url = feed_server.route("/feed", [feed200(1), Response(410), feed200(1)])
    feed, _ = store.add_feed(url)
    await refresh(store, feed)
    summary = await refresh(store, store.get_feed(feed.id))
    gone = store.get_feed(feed.id)
    assert gone.gone and gone.last_error == "gone (HTTP 410)" and summary.failed == 0
    assert summary.counts == {Outcome.GONE: 1} and summary.exit_status == 1
    skipped = await refresh(store, gone)
    assert skipped.outcomes[0].skipped and skipped.counts == {Outcome.GONE: 1}
    assert skipped.exit_status == 1  # still gone: the user has to act, even when not fetched
    assert len(feed_server.requests_to("/feed")) == 2
    assert (await refresh(store, gone, force=True)).ok == 1 and not store.get_feed(feed.id).gone
    assert keys(store, feed.id) == ["http://blog.example/?p=1"]


@pytest.mark.parametrize(
    "retry_after,wait,said",
    [("120", 120.0, "2 min"), ("in an hour", 300.0, "5 min"), (3600.0, 3600.0, "1 h")],
)
async def test_429_waits_and_is_skipped_until_then(feed_server, store, retry_after, wait, said):
    now = time.time()
    if isinstance(retry_after, float):
        retry_after = formatdate(now + retry_after, usegmt=True)
    url = feed_server.route("/feed", status=429, headers={"Retry-After": retry_after})
    feed, _ = store.add_feed(url)
    summary = await refresh(store, feed, now=now)
    waiting = store.get_feed(feed.id)
    assert summary.failed == 0 and summary.counts == {Outcome.WAITING: 1}
    assert summary.exit_status == 0 and waiting.last_status == 429
    assert waiting.next_fetch == pytest.approx(now + wait, abs=2.0)
    assert waiting.last_error == f"HTTP 429 Too Many Requests (retrying in {said})"
    assert (await refresh(store, waiting, now=now + wait - 5)).skipped == 1
    assert len(feed_server.requests_to("/feed")) == 1


async def test_503_backoff_doubles_and_success_clears_it(feed_server, store):
    url = feed_server.route("/feed", [Response(503), Response(503), feed200(1)])
    feed, _ = store.add_feed(url)
    await refresh(store, feed, now=NOW)
    assert store.get_feed(feed.id).next_fetch == NOW + backoff(0) == NOW + 300
    await refresh(store, store.get_feed(feed.id), now=NOW + 300)
    assert store.get_feed(feed.id).next_fetch == NOW + 300 + 600
    await refresh(store, store.get_feed(feed.id), now=NOW + 900)
    done = store.get_feed(feed.id)
    assert done.next_fetch is None and done.last_error == "" and done.total == 1
    assert backoff(30) == 24 * 3600


async def test_malformed_feed_keeps_entries_and_records_why(feed_server, store):
    url = feed_server.route("/feed", body=rss(1, broken=True), headers=RSS_TYPE)
    feed, _ = store.add_feed(url)
    summary = await refresh(store, feed)
    assert summary.ok == 0 and summary.failed == 0 and summary.new_articles == 2
    assert summary.counts == {Outcome.REPAIRED: 1} and summary.exit_status == 0
    assert summary.outcomes[0].word == "repaired"
    assert store.get_feed(feed.id).last_error.startswith("malformed: ")
    assert summary.outcomes[0].error.startswith("malformed: ")


async def test_failed_or_empty_refresh_leaves_articles(feed_server, store):
    url = feed_server.route(
        "/feed", [feed200(1, 2), Response(500), Response(body=b"garbage"), feed200()]
    )
    feed, _ = store.add_feed(url)
    await refresh(store, feed)
    errors = []
    for _ in range(3):
        summary = await refresh(store, store.get_feed(feed.id))
        errors.append(summary.outcomes[0].error)
        assert keys(store, feed.id) == ["http://blog.example/?p=1", "http://blog.example/?p=2"]
    assert errors[0] == "HTTP 500 Internal Server Error" and errors[1].startswith("not a feed")
    assert errors[2] == "" and store.get_feed(feed.id).last_error == ""


async def test_errors_are_per_feed_and_never_raised(feed_server, store):
    good = feed_server.route("/good", feed200(1))
    missing = feed_server.url("/missing")
    slow = feed_server.route("/slow", body=rss(1), drip=0.5)
    feeds = [store.add_feed(u)[0] for u in (good, missing, slow, "http://127.0.0.1:9/x")]
    seen: list[FeedOutcome] = []
    config = Config(concurrency=4, fetch_timeout=1.0)
    summary = await refresh_feeds(store, feeds, config, on_progress=seen.append, processes=0)
    assert (summary.ok, summary.failed) == (1, 3)
    assert [o.error for o in summary.outcomes][1:3] == ["HTTP 404 Not Found", "timed out after 1 s"]
    assert summary.outcomes[3].error.startswith("cannot connect: ")
    assert sorted(o.feed_id for o in seen) == [f.id for f in feeds]
    assert store.get_feed(feeds[1].id).last_error == "HTTP 404 Not Found"


async def test_a_failing_progress_callback_does_not_stop_the_refresh(feed_server, store):
    feed, _ = store.add_feed(feed_server.route("/feed", feed200(1)))

    def explode(outcome: FeedOutcome) -> None:
        raise RuntimeError("boom")

    assert (await refresh(store, feed, on_progress=explode)).ok == 1


@pytest.mark.parametrize("concurrency,limit", [(3, 3), (16, refresh_module.PER_HOST)])
async def test_concurrency_is_bounded(feed_server, store, concurrency, limit):
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def slow(request: Request) -> Response:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return feed200(int(request.path.strip("/f")))

    feeds = [store.add_feed(feed_server.route(f"/f{n}", slow))[0] for n in range(12)]
    config = Config(concurrency=concurrency, fetch_timeout=5.0)
    async with make_client(8) as client:
        summary = await refresh_feeds(store, feeds, config, client=client, processes=0)
    assert summary.ok == 12 and 1 < state["max"] <= limit


def spy_on_pools(monkeypatch) -> list[parsepool.ParsePool]:
    """The ParsePool of each refresh_feeds call, in order."""
    pools: list[parsepool.ParsePool] = []

    def spy(*args, **kwargs):
        pools.append(parsepool.ParsePool(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(refresh_module, "ParsePool", spy)
    return pools


def count_thread_parses(monkeypatch) -> list[str]:
    """The URLs parsed in threads (worker processes never call refresh_module.parse_feed)."""
    urls: list[str] = []
    real = refresh_module.parse_feed

    def counting(body, url, *args, **kwargs):
        urls.append(url)
        return real(body, url, *args, **kwargs)

    monkeypatch.setattr(refresh_module, "parse_feed", counting)
    return urls


async def test_worker_processes_parse_a_big_refresh(feed_server, store, monkeypatch):
    pools = spy_on_pools(monkeypatch)
    in_threads = count_thread_parses(monkeypatch)
    monkeypatch.setattr(parsepool, "PROCESS_AFTER_BYTES", 0)  # the first feed starts them

    def once_workers_are_up(request: Request) -> Response:
        deadline = time.monotonic() + 20
        while not (pools and pools[0].workers and pools[0].workers.ready()):
            assert time.monotonic() < deadline, "the workers never came up"
            time.sleep(0.01)
        return feed200(int(request.path.strip("/f")))

    feeds = [store.add_feed(feed_server.route("/f0", feed200(0)))[0]]
    feeds += [
        store.add_feed(feed_server.route(f"/f{n}", once_workers_are_up))[0] for n in range(1, 8)
    ]
    config = Config(concurrency=4, fetch_timeout=30.0)
    summary = await refresh_feeds(store, feeds, config, now=NOW, processes=2)
    assert (summary.ok, summary.new_articles) == (8, 8)
    assert in_threads == [feed_server.url("/f0")]  # the other seven went to the workers


async def test_a_small_refresh_starts_no_process(feed_server, store, monkeypatch):
    monkeypatch.setattr(parsepool, "_Workers", None)  # would fail the feed if called
    feeds = [store.add_feed(feed_server.route(f"/f{n}", feed200(n)))[0] for n in range(8)]
    assert (await refresh(store, *feeds, processes=2)).ok == 8


async def test_parser_uses_its_workers_once_they_are_up(monkeypatch):
    monkeypatch.setattr(parsepool, "PROCESS_AFTER_BYTES", 0)
    in_threads: list[str] = []
    parser = parsepool.ParsePool(1, lambda *a: in_threads.append(a[1]) or parse_feed(*a))
    url = "http://blog.example/feed"
    try:
        first, digests, size = await parser.parse(rss(1), url, {})
        assert await parser.started()
        second, _, smaller = await parser.parse(rss(2, 1), url, {}, digests)
    finally:
        parser.close()
    assert len(first.entries) == 1 and in_threads == [url]  # the second one in the worker
    assert [e.title for e in second.entries] == ["Post 2"] and smaller < size + 50


async def test_threads_take_over_when_processes_cannot_start(feed_server, store, monkeypatch):
    def refuse():
        raise OSError("no processes here")

    monkeypatch.setattr(parsepool, "start_worker", refuse)
    monkeypatch.setattr(parsepool, "PROCESS_AFTER_BYTES", 0)
    feeds = [store.add_feed(feed_server.route(f"/f{n}", feed200(n)))[0] for n in range(8)]
    assert (await refresh(store, *feeds, processes=2)).ok == 8


def test_refresh_sync(feed_server, store):
    feed, _ = store.add_feed(feed_server.route("/feed", feed200(1, 2)))
    summary = refresh_sync(store, [feed], CONFIG, processes=0)
    assert summary.new_articles == 2 and keys(store, feed.id)
