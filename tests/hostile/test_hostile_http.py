"""Hostile HTTP through the real pipeline: every answer ends as a clean per-feed error or a
sane state, within the deadline and the size cap, and the earlier article survives."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from feedserver import FeedServer, Response, gzipped
from hostile_support import (
    EARLIER_TITLE,
    assert_clean,
    attack,
    config,
    earlier_feed,
    peak_rss_mb,
    refresh,
    titles,
)

from blogtui.core.store import Store
from blogtui.ui.display import display

Setup = Callable[[FeedServer], Response]
FEED = earlier_feed()


def _redirect_to(target: str) -> Setup:
    return lambda server: Response(302, headers={"Location": target})


def _loop(server: FeedServer) -> Response:
    server.redirect("/a", "/b", 302)
    server.redirect("/b", "/a", 302)
    return Response(301, headers={"Location": "/a"})


def _long_chain(server: FeedServer) -> Response:
    for hop in range(12):
        server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    return Response(301, headers={"Location": "/hop0"})


CASES: dict[str, tuple[Setup, str]] = {
    "gzip bomb (64 MB of zeros)": (lambda s: Response(gzip_bomb=64 * 2**20), "body larger than"),
    "double gzip, one header": (
        lambda s: Response(200, gzipped(gzipped(FEED)), {"Content-Encoding": "gzip"}),
        "not a feed",
    ),
    "stacked gzip, gzip": (
        lambda s: Response(200, gzipped(gzipped(FEED)), {"Content-Encoding": "gzip, gzip"}),
        "stacked Content-Encoding",
    ),
    "unknown encoding": (
        lambda s: Response(200, FEED, {"Content-Encoding": "br"}),
        "unknown Content-Encoding 'br'",
    ),
    "escape in the encoding name": (
        lambda s: Response(200, FEED, {"Content-Encoding": "x\u009b2J\u009d0;PWN\u009c"}),
        "unknown Content-Encoding",
    ),
    "truncated gzip": (
        lambda s: Response(200, gzipped(FEED * 50)[:200], {"Content-Encoding": "gzip"}),
        "truncated",
    ),
    "slow drip": (lambda s: Response(200, FEED, drip=0.3), "timed out after 1.5 s"),
    "endless body": (lambda s: Response(endless=True), "body larger than"),
    "huge header": (lambda s: Response(200, FEED, {"X-Big": "a" * 200_000}), "connection failed"),
    "ten thousand headers": (
        lambda s: Response(200, FEED, {f"X-H{i}": "v" for i in range(10_000)}),
        "",  # accepted (within h11's limits) or refused: either way no crash
    ),
    "redirect loop": (_loop, "redirect loop"),
    "redirect chain too long": (_long_chain, "too many redirects"),
    "redirect to file:": (_redirect_to("file:///etc/passwd"), "scheme 'file'"),
    "redirect to ssh:": (_redirect_to("ssh://127.0.0.1/"), "ssh"),
    "redirect to javascript:": (_redirect_to("javascript:alert(1)"), "redirect to"),
    "redirect to data:": (_redirect_to("data:text/xml,<rss/>"), "redirect to"),
    "redirect without Location": (lambda s: Response(302), "without a Location"),
    "500 error": (lambda s: Response(500, b"boom"), "HTTP 500 Internal Server Error"),
    "410 gone": (lambda s: Response(410), "gone (HTTP 410)"),
}
SMALL = config(fetch_timeout=1.5, max_feed_bytes=2 * 2**20)


@pytest.mark.parametrize("name", list(CASES))
async def test_http_answer(name: str, feed_server: FeedServer, store: Store) -> None:
    setup, expected = CASES[name]
    before, started = peak_rss_mb(), time.perf_counter()
    feed, summary = await attack(feed_server, store, "/feed", setup(feed_server), SMALL)
    assert time.perf_counter() - started < 6
    assert peak_rss_mb() - before < 150, "memory grew by more than 150 MB"
    [outcome] = summary.outcomes
    assert expected in outcome.error, outcome
    if not expected and not outcome.error:
        assert summary.failed == 0
        return
    assert len(outcome.error) < 500 and feed.last_error == outcome.error
    assert_clean(display(outcome.error), "the error as shown")  # stored raw, cleaned when shown
    assert "internal error" not in outcome.error
    assert titles(store, feed.id) == [EARLIER_TITLE]
    assert feed.url == feed_server.url("/feed")


RETRY_AFTER = {
    "120": 120.0,
    "-5": None,
    "0": 60.0,
    "1e9": None,
    "99999999999999999999999": 24 * 3600.0,
    "Wed, 21 Oct 2015 07:28:00 GMT": 60.0,
    "Fri, 31 Dec 9999 23:59:59 GMT": 24 * 3600.0,
    "soon": None,
    "\u00fc\u00df": None,
    "\u00b2": None,
}


@pytest.mark.parametrize("value", list(RETRY_AFTER))
async def test_429_with_odd_retry_after(value: str, feed_server: FeedServer, store: Store) -> None:
    response = Response(429, headers={"Retry-After": value})
    before = time.time()
    feed, summary = await attack(feed_server, store, "/feed", response, SMALL)
    [outcome] = summary.outcomes
    assert outcome.error.startswith("HTTP 429 Too Many Requests (retrying in "), outcome
    assert feed.next_fetch is not None
    wait = feed.next_fetch - before
    assert 59 <= wait <= 24 * 3600 + 5
    if RETRY_AFTER[value] is not None:
        assert abs(wait - RETRY_AFTER[value]) < 5
    assert titles(store, feed.id) == [EARLIER_TITLE]
    skipped = await refresh_unforced(store, feed.id)
    assert skipped, "a feed waiting out Retry-After was fetched again"


async def refresh_unforced(store: Store, feed_id: int) -> bool:
    """Refresh without force; True when the feed was skipped."""
    from blogtui.core.feeds.refresh import refresh_feeds

    feed = store.get_feed(feed_id)
    assert feed is not None
    summary = await refresh_feeds(store, [feed], SMALL, processes=0)
    return summary.outcomes[0].skipped


async def test_301_chain_moves_the_feed(feed_server: FeedServer, store: Store) -> None:
    feed_server.redirect("/old", "/older")
    feed_server.redirect("/older", "/new", 308)
    feed_server.route("/new", body=FEED)
    feed, _ = store.add_feed(feed_server.url("/old"))
    summary = await refresh(store, [feed], SMALL)
    assert summary.failed == 0
    moved = store.get_feed(feed.id)
    assert moved is not None and moved.url == feed_server.url("/new")
    assert titles(store) == [EARLIER_TITLE]


async def test_non_ascii_etag_is_never_sent_back(feed_server: FeedServer, store: Store) -> None:
    feed_server.route("/feed", body=FEED, headers={"ETag": '"\u00fc\u00e9t\u00e4g"'})
    feed, _ = store.add_feed(feed_server.url("/feed"))
    await refresh(store, [feed], SMALL)
    again = store.get_feed(feed.id)
    assert again is not None
    assert_clean(again.etag, "the ETag")
    await refresh(store, [again], SMALL)
    second = feed_server.requests_to("/feed")[-1]
    assert "if-none-match" not in second.headers
    assert titles(store) == [EARLIER_TITLE]
