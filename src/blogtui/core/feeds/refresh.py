"""Refreshing feeds: fetch concurrently, parse off the event loop, record every outcome.

A refresh never raises for a feed: every failure becomes that feed's `last_error`, and nothing a
failed or empty fetch brings deletes articles. Feeds answering 429/503 wait (Retry-After, else a
doubling backoff) and are skipped until then unless forced; gone feeds (410) are skipped too.
That rule (`is_due`) is the same for the reader and `blogtui refresh`. A feed with a login
gets it from the store's credential store; `fetch` sends it to the feed's origin only.

Parsing is CPU-bound. Items a feed sent last time (in this process) are left out before parsing.
A refresh with many changed feeds parses in a small pool of worker processes (feedparser is pure
Python, so threads would share one core); a refresh that parses only a little uses threads and
never starts a process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from blogtui.core.config import Config
from blogtui.core.errors import BlogtuiError, FeedError, StoreError
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.fetch import (
    RETRY_STATUSES,
    FetchResult,
    HTTPStatusError,
    fetch,
    status_phrase,
)
from blogtui.core.feeds.jsonfeed import next_page
from blogtui.core.feeds.logins import FeedLogin
from blogtui.core.feeds.outcome import MALFORMED, FeedOutcome, RefreshSummary, is_due, summarize
from blogtui.core.feeds.parse import ParsedFeed, parse_feed
from blogtui.core.feeds.parsepool import ParsePool, default_processes
from blogtui.core.feeds.shield import ItemMemory
from blogtui.core.models import Feed

if TYPE_CHECKING:
    from blogtui.core.store import Store

__all__ = ["FeedOutcome", "RefreshSummary", "is_due", "refresh_feeds", "refresh_sync", "summarize"]

log = logging.getLogger(__name__)

BACKOFF_START = 300.0
"""First wait after a 429/503 without Retry-After; it doubles with each one in a row."""
BACKOFF_MAX = 24 * 3600.0
MAX_PAGES = 4
"""At most this many further pages of a JSON Feed (`next_url`) are read in one refresh."""
PER_HOST = 4
"""At most this many requests at once to one host: polite, and httpx's pool is quicker too."""

_writer: ThreadPoolExecutor | None = None
seen_items = ItemMemory()
"""The items each feed sent last time, left out of the next parse (forget() to parse all)."""


SYNCED = "its articles come from its feed server (`blogtui sync`)"
"""Why a synced feed is never fetched by a refresh."""


def _store_thread() -> ThreadPoolExecutor:
    """The one thread that runs a refresh's store calls: writes never wait on each other."""
    global _writer
    if _writer is None:
        _writer = ThreadPoolExecutor(1, thread_name_prefix="blogtui-refresh-store")
    return _writer


def _human(seconds: float) -> str:
    """A wait for people: "45 s", "5 min", "1.5 h"."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes / 60:.3g} h"


def backoff(failures: int) -> float:
    """The wait after a 429/503 without Retry-After, `failures` being how many came before."""
    return float(min(BACKOFF_START * 2 ** min(max(failures, 0), 20), BACKOFF_MAX))


class _Refresh:
    """One refresh run: shared client, parser, store and clock."""

    def __init__(
        self, store: Store, config: Config, client: httpx.AsyncClient, now: float, parser: ParsePool
    ) -> None:
        self.store = store
        self.config = config
        self.client = client
        self.now = now
        self.parser = parser
        self.login_ids: set[int] = set()
        """The feeds that have a login (read once per refresh)."""

    async def _store(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_store_thread(), lambda: call(*args, **kwargs))

    async def feed(self, feed: Feed, host: asyncio.Semaphore) -> FeedOutcome:
        """Refresh one feed (fetching under `host`); failures are recorded and returned."""
        try:
            login = await self._login(feed)
            async with host:
                result = await fetch(
                    self.client,
                    feed.url,
                    etag=feed.etag,
                    last_modified=feed.last_modified,
                    deadline=self.config.fetch_timeout,
                    max_bytes=self.config.max_feed_bytes,
                    login=login,
                )
        except FeedError as error:
            status = error.status if isinstance(error, HTTPStatusError) else None
            return await self._failed(feed, status, error.message)
        try:
            return await self._handle(feed, result)
        except FeedError as error:
            return await self._failed(feed, result.status, error.message)

    async def _login(self, feed: Feed) -> FeedLogin | None:
        if feed.id not in self.login_ids:
            return None
        try:
            login: FeedLogin | None = await self._store(self.store.feed_login, feed)
        except BlogtuiError as error:  # an unusable credential store: this feed fails, says why
            raise FeedError(f"its login cannot be read: {error.message}") from error
        return login

    async def _handle(self, feed: Feed, result: FetchResult) -> FeedOutcome:
        if result.not_modified:
            note = feed.last_error if feed.last_error.startswith(MALFORMED) else ""
            await self._store(
                self.store.record_fetch,
                feed.id,
                status=304,
                error=note,
                etag=result.etag or None,
                last_modified=result.last_modified or None,
            )
            return FeedOutcome(feed.id, feed.url, 304, error=note, not_modified=True)
        if result.status == 410:
            error = "gone (HTTP 410)"
            await self._store(self.store.record_fetch, feed.id, status=410, error=error, gone=True)
            return FeedOutcome(feed.id, feed.url, 410, error=error)
        if result.status in RETRY_STATUSES:
            return await self._retry_later(feed, result)
        key = (str(getattr(self.store, "path", id(self.store))), feed.id, result.final_url)
        known = seen_items.known(key, feed.total)
        parsed, digests, _ = await self.parser.parse(
            result.body, result.final_url, result.headers, known
        )
        new = await self._store(self._save, feed, result, parsed)
        if digests is not None:
            seen_items.remember(key, digests)
        if parsed.next_url and parsed.entries and new >= len({e.key for e in parsed.entries}):
            new += await self._older_pages(feed, result.final_url, parsed, await self._login(feed))
        note = f"{MALFORMED}{parsed.malformed}" if parsed.malformed else ""
        return FeedOutcome(feed.id, feed.url, result.status, new, note)

    def _save(self, feed: Feed, result: FetchResult, parsed: ParsedFeed) -> int:
        """Store the entries, then the fetch state (a new URL only now that it parsed)."""
        new = self.store.upsert_articles(feed.id, parsed.entries)
        self.store.record_fetch(
            feed.id,
            status=result.status,
            error=f"{MALFORMED}{parsed.malformed}" if parsed.malformed else "",
            etag=result.etag,  # "" when absent: a stale validator must not be sent again
            last_modified=result.last_modified,
            title=parsed.title or None,
            site_url=parsed.site_url or None,
            new_url=result.permanent_url or None,
            api_root=parsed.api_root or None,
            encoding=parsed.encoding or None,
        )
        return new

    async def _older_pages(
        self, feed: Feed, url: str, parsed: ParsedFeed, login: FeedLogin | None
    ) -> int:
        """Follow a JSON Feed's `next_url` while every item of the last page was new (a feed
        being caught up): same origin only, never a page twice, at most MAX_PAGES more pages.
        A page that fails ends the paging quietly; returns how many articles were new."""
        seen, page, added = {url, feed.url}, parsed, 0
        for _ in range(MAX_PAGES):
            target = next_page(url, page.next_url, seen)
            if not target:
                break
            seen.add(target)
            try:
                result = await fetch(
                    self.client,
                    target,
                    deadline=self.config.fetch_timeout,
                    max_bytes=self.config.max_feed_bytes,
                    login=login,
                )
                if result.status != 200 or not next_page(url, result.final_url, {url}):
                    break
                page = (await self.parser.parse(result.body, result.final_url, result.headers))[0]
            except FeedError as error:
                log.info("feed %s: stopped paging at %s: %s", feed.id, target, error.message)
                break
            count = await self._store(self.store.upsert_articles, feed.id, page.entries)
            added += count
            if not page.entries or count < len({e.key for e in page.entries}):
                break
            url = result.final_url
        return added

    async def _retry_later(self, feed: Feed, result: FetchResult) -> FeedOutcome:
        wait = result.retry_after
        if wait is None:
            before = 0
            if feed.last_status in RETRY_STATUSES and hasattr(self.store, "failures"):
                before = await self._store(self.store.failures, feed.id)
            wait = backoff(before)
        phrase = f"HTTP {result.status} {status_phrase(result.status)}".rstrip()
        error = f"{phrase} (retrying in {_human(wait)})"
        await self._store(
            self.store.record_fetch,
            feed.id,
            status=result.status,
            error=error,
            next_fetch=self.now + wait,
        )
        return FeedOutcome(
            feed.id, feed.url, result.status, error=error, next_fetch=self.now + wait
        )

    async def _failed(self, feed: Feed, status: int | None, message: str) -> FeedOutcome:
        try:
            await self._store(self.store.record_fetch, feed.id, status=status, error=message)
        except StoreError:  # the database is unusable: said once, not per feed
            raise
        except Exception as error:  # the store itself failed: report it with the feed's error
            log.exception("cannot record the refresh of feed %s", feed.id)
            message = f"{message}; not recorded: {error}"
        return FeedOutcome(feed.id, feed.url, status, error=message)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or url).lower()
    except ValueError:
        return url


async def refresh_feeds(
    store: Store,
    feeds: Sequence[Feed],
    config: Config,
    *,
    client: httpx.AsyncClient | None = None,
    on_progress: Callable[[FeedOutcome], None] | None = None,
    now: float | None = None,
    force: bool = False,
    processes: int | None = None,
) -> RefreshSummary:
    """Refresh `feeds`, `config.concurrency` at a time (PER_HOST per host); never raises for one.

    `on_progress` is called on the event loop after each feed. Gone feeds and feeds waiting out
    a 429/503 are skipped unless `force`. `processes` caps the parse workers (None: by CPUs,
    0: threads only).
    """
    moment = time.time() if now is None else now
    own_client = client is None
    http = make_client(config.concurrency) if client is None else client
    workers = default_processes() if processes is None else max(0, processes)
    parser = ParsePool(workers, lambda *args: parse_feed(*args))  # patchable here in threads
    run = _Refresh(store, config, http, moment, parser)
    gate = asyncio.Semaphore(max(1, config.concurrency))
    hosts: dict[str, asyncio.Semaphore] = {}
    synced = store.synced_feed_ids() if hasattr(store, "synced_feed_ids") else set()

    async def one(feed: Feed) -> FeedOutcome:
        if feed.id in synced:
            outcome = FeedOutcome(feed.id, feed.url, None, error=SYNCED, skipped=True)
        elif not (force or is_due(feed, moment)):
            outcome = FeedOutcome(
                feed.id,
                feed.url,
                feed.last_status,
                skipped=True,
                gone=feed.gone,
                next_fetch=feed.next_fetch,
            )
        else:
            host = hosts.setdefault(_host(feed.url), asyncio.Semaphore(PER_HOST))
            async with gate:  # at most `concurrency` feeds (and bodies) in flight
                try:
                    outcome = await run.feed(feed, host)
                except StoreError:  # the database is unusable: no feed's error, stop
                    raise
                except Exception as error:  # a bug must not stop the other feeds
                    log.exception("refreshing feed %s failed", feed.id)
                    outcome = await run._failed(feed, None, f"internal error: {error!r}")
        if on_progress is not None:
            try:
                on_progress(outcome)
            except Exception:
                log.exception("refresh progress callback failed")
        return outcome

    try:
        if hasattr(store, "login_feed_ids"):
            run.login_ids = await run._store(store.login_feed_ids)
        outcomes = list(await asyncio.gather(*(one(feed) for feed in feeds)))
    finally:
        run.parser.close()
        if own_client:
            await http.aclose()
    return summarize(outcomes)


def refresh_sync(
    store: Store, feeds: Sequence[Feed], config: Config, **options: Any
) -> RefreshSummary:
    """refresh_feeds for callers without an event loop (the CLI)."""
    return asyncio.run(refresh_feeds(store, feeds, config, **options))
