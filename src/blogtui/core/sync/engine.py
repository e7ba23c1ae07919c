"""The sync: push the local queue, then pull subscriptions, new articles and id sets.

Local-first: the store is the truth for the screen, and a read or star change is queued in the
transaction that makes it (core/store/sync_schema.py). One sync of one account:

1. **Push.** Queued unsubscriptions, catch-ups (the server's own mark-feed-read with a time)
   and marks, in batches; a queued change is deleted only once the server acknowledged it, and
   only if it was not changed again meanwhile.
2. **Subscriptions.** The server's feeds map to local ones (by URL: a feed subscribed both
   ways is never doubled); folders and titles follow the server; a feed gone from the server
   goes here too (refused when the server suddenly lists none at all).
3. **New articles**, a page at a time, each page stored with its cursor in one transaction.
4. **Id sets.** The unread and starred ids (where the server tells unread counts per feed,
   only of feeds whose count differs from the store's, with a full pull once a day); bodies of
   listed articles never seen here are fetched in batches; then local state follows the sets,
   except for articles with a pending change and, for read state, articles older than the
   server's retention window (it may have dropped them: they are never flipped). A first sync
   of a backend whose first pull holds every article with its state skips this step.

**Two devices** marking the same article differently: a change made here and not yet pushed
wins (it is pushed first and the pull skips it); otherwise the server wins, so the last device
to sync its change decides.

**Sanity checks** abort the account's sync with a clear message, before anything is
reconciled: the server listing as unread an article it has just acknowledged as read, or an
answer that would mark more than `MAX_READ_SHARE` of the unread articles read at once (unless
the caller allows it: `blogtui sync --allow-mass-read`).

Every step is its own transaction, so a sync killed at any point (kill -9) leaves the queue
whole, and running it again applies nothing twice (marks are idempotent on the server).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
from collections.abc import Awaitable, Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from blogtui.core.sync.base import ArticlePage, Field, SyncBackend, SyncError

if TYPE_CHECKING:
    from blogtui.core.store import Store

Result = TypeVar("Result")

MARK_BATCH = 500
"""Queued changes taken from the store at a time."""
FETCH_BATCH = 200
"""Article bodies asked for at a time."""
MAX_PAGES = 10_000
"""Pages of new articles read in one sync at most (a server repeating itself stops there)."""
MAX_READ_SHARE = 0.5
"""A sync that would mark more than this share of the unread articles read is refused..."""
MASS_READ_MINIMUM = 50
"""...when that is more than this many articles."""
FULL_PULL_SECONDS = 86400.0
"""Between two pulls of the whole unread id set, only feeds whose unread count changed are
asked for theirs (when the server tells counts)."""


class SanityError(SyncError):
    """The server's answer contradicts itself or would change too much at once."""


@dataclass(slots=True)
class SyncReport:
    """What one account's sync did (`error` "" when it went well)."""

    account: str
    pushed: int = 0
    new_articles: int = 0
    fetched: int = 0
    marked_read: int = 0
    marked_unread: int = 0
    starred: int = 0
    unstarred: int = 0
    feeds_added: int = 0
    feeds_removed: int = 0
    error: str = ""
    acked_read: set[str] = field(default_factory=set, repr=False)

    def summary(self) -> str:
        """One line for the CLI and the TUI."""
        if self.error:
            return f"{self.account}: {self.error}"
        return (
            f"{self.account}: {self.pushed} changes sent, {self.new_articles} new articles,"
            f" {self.marked_read} marked read, {self.marked_unread} unread,"
            f" {self.starred + self.unstarred} star changes"
        )


_executor: ThreadPoolExecutor | None = None


def _store_thread() -> ThreadPoolExecutor:
    """One thread for every store call of a sync: the server's id sets live in a temporary
    table of that thread's connection."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blogtui-sync")
    return _executor


@contextmanager
def sync_lock(database: Path) -> Iterator[None]:
    """One sync per database at a time (cron and the TUI); the lock dies with its process."""
    if str(database) == ":memory:":
        yield
        return
    path = database.with_name(database.name + ".sync-lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError("another sync of this database is running") from None
        yield
    finally:
        os.close(fd)


class Sync:
    """One sync of one account (see the module's docstring for the steps and rules)."""

    def __init__(
        self,
        store: Store,
        backend: SyncBackend,
        client: httpx.AsyncClient,
        *,
        allow_mass_read: bool = False,
        now: float | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.client = client
        self.name = backend.account.name
        self.allow_mass_read = allow_mass_read
        self.now = time.time() if now is None else now
        self.report = SyncReport(self.name)

    async def _store(self, call: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_store_thread(), lambda: call(*args, **kwargs))

    async def run(self) -> SyncReport:
        """Push, then pull; raises SyncError (the account's sync stops there)."""
        await self.push()
        feeds = await self.pull_feeds()
        if await self.pull_new(feeds) and self.backend.first_pull_complete():
            await self._store(self.store.record_full_pull, self.name, self.now)
            return self.report  # a first sync: every article came with its state
        days = await self.backend.retention_days(self.client)
        since = self.now - days * 86400
        await self.pull_unread(feeds, since)
        await self.pull_starred(feeds, since)
        return self.report

    async def push(self) -> None:
        """Send queued unsubscriptions, catch-ups and marks; drop what the server took."""
        for remote_id in await self._store(self.store.queued_unsubscribes, self.name):
            await self.backend.unsubscribe(self.client, remote_id)
            await self._store(self.store.ack_unsubscribe, self.name, remote_id)
        for catch_up in await self._store(self.store.queued_catch_ups, self.name):
            await self.backend.catch_up(self.client, catch_up.remote_feed_id, catch_up.before)
            await self._store(self.store.ack_catch_up, catch_up)
        rounds = await self._store(self.store.queued_count, self.name) // MARK_BATCH + 2
        for _ in range(rounds):  # changes made during the push wait for the next sync
            marks = await self._store(self.store.queued_marks, self.name, MARK_BATCH)
            if not marks:
                return
            groups: dict[tuple[Field, bool], list[str]] = {}
            for mark in marks:
                groups.setdefault((mark.field, mark.value), []).append(mark.remote_id)
            for (mark_field, value), ids in groups.items():
                await self.backend.mark(self.client, ids, mark_field, value)
                if mark_field == "read" and value:
                    self.report.acked_read.update(ids)
            await self._store(self.store.ack_marks, marks)
            self.report.pushed += len(marks)

    async def pull_feeds(self) -> dict[str, int]:
        """Map the server's subscriptions to local feeds; returns remote id -> local feed id."""
        remote = await self.backend.feeds(self.client)
        known = await self._store(self.store.remote_feeds, self.name)
        gone = set(known) - {feed.id for feed in remote}
        if not remote and known:
            raise SanityError(
                f"the server lists no subscriptions at all; {len(known)} synced feeds were kept"
            )
        for remote_id in gone:
            await self._store(self.store.drop_remote_feed, self.name, remote_id)
        web = [f for f in remote if f.url.lower().startswith(("http://", "https://"))]
        # a feed synced through another account is left out: left to that one
        mapped = await self._store(self.store.map_feeds, self.name, web)
        self.report.feeds_added = len(set(mapped) - set(known))
        self.report.feeds_removed = len(gone)
        return mapped

    async def pull_new(self, feeds: dict[str, int]) -> bool:
        """Store the articles the server got since the last sync, a page at a time; True when
        this was the account's first pull, read to its end."""
        state = await self._store(self.store.get_account, self.name)
        cursor = state.cursor if state is not None else ""
        first = cursor == ""

        async def next_page(after: str) -> ArticlePage:
            return await self.backend.articles_since(self.client, after)

        try:
            return await self._pull_pages(next_page, cursor, feeds, first)
        finally:
            self.backend.abandon()

    async def _pull_pages(
        self,
        next_page: Callable[[str], Awaitable[ArticlePage]],
        cursor: str,
        feeds: dict[str, int],
        first: bool,
    ) -> bool:
        page = await next_page(cursor)
        for _ in range(MAX_PAGES):
            last = not page.more or page.cursor == cursor
            # the next page arrives while this one is stored
            ahead = None if last else asyncio.ensure_future(next_page(page.cursor))
            try:
                self.report.new_articles += await self._store(
                    self.store.save_remote_articles, self.name, page.articles, feeds, page.cursor
                )
            except BaseException:
                if ahead is not None:
                    ahead.cancel()
                raise
            if ahead is None:
                return first
            cursor, page = page.cursor, await ahead
        return False

    async def pull_unread(self, feeds: dict[str, int], since: float) -> None:
        """Follow the server's unread ids: of the feeds whose unread count differs from the
        store's when the server tells counts, else (and once every FULL_PULL_SECONDS, which
        catches changes that leave a count as it was) of every feed, a page at a time."""
        counts = await self.backend.unread_counts(self.client)
        last_full = await self._store(self.store.last_full_pull, self.name)
        local = await self._store(self.store.local_unread_counts, self.name)
        unread_here = sum(local.values())
        if counts is None or last_full is None or self.now - last_full > FULL_PULL_SECONDS:
            await self._store(self.store.start_remote_ids)
            async for page in self.backend.unread_id_pages(self.client):
                self.check_contradiction(page)
                await self._store(self.store.add_remote_ids, page)
            await self.reconcile("read", feeds, since, unread_here=unread_here)
            await self._store(self.store.record_full_pull, self.name, self.now)
            return
        changed = [r for r in feeds if counts.get(r, 0) != local.get(r, 0)]
        if changed:
            ids = await self.backend.feed_unread_ids(self.client, changed)
            self.check_contradiction(ids)
            await self._store(self.store.load_remote_ids, ids)
            scope = [feeds[r] for r in changed]
            await self.reconcile("read", feeds, since, scope=scope, unread_here=unread_here)

    async def pull_starred(self, feeds: dict[str, int], since: float) -> None:
        """Follow the server's starred ids."""
        await self._store(self.store.load_remote_ids, await self.backend.starred_ids(self.client))
        await self.reconcile("starred", feeds, since)

    def check_contradiction(self, unread: Collection[str]) -> None:
        """Refuse an unread list naming articles the server has just taken as read."""
        contradicted = [i for i in unread if i in self.report.acked_read]
        if contradicted:
            raise SanityError(
                f"the server lists {len(contradicted)} articles as unread that it has just"
                " taken as read; nothing was reconciled"
            )

    async def reconcile(
        self,
        kind: Field,
        feeds: dict[str, int],
        since: float,
        *,
        scope: list[int] | None = None,
        unread_here: int | None = None,
    ) -> None:
        """Make the articles of the local feeds in `scope` (None: all) follow the id set the
        store holds (unread ids for `kind` "read", starred ids for "starred"), after fetching
        the listed articles not here yet; `unread_here` is how many articles of the account
        are unread here (for the mass-read check)."""
        after = ""
        while missing := await self._store(
            self.store.unknown_remote_ids, self.name, after, FETCH_BATCH
        ):
            await self.fetch(missing, feeds)
            after = missing[-1]
        flips = await self._store(self.store.flips, self.name, kind, since, scope)
        if kind == "read":
            self.check_mass_read(flips.to_set, max(flips.clear_now, unread_here or 0))
            self.report.marked_read += flips.to_set
            self.report.marked_unread += flips.to_clear
        else:
            self.report.starred += flips.to_set
            self.report.unstarred += flips.to_clear
        await self._store(self.store.apply_flips, self.name, kind, since, scope)

    def check_mass_read(self, to_read: int, unread: int) -> None:
        """Refuse to mark more than MAX_READ_SHARE of the unread articles read at once."""
        if self.allow_mass_read or to_read <= MASS_READ_MINIMUM:
            return
        if to_read > MAX_READ_SHARE * unread:
            share = round(100 * to_read / max(unread, 1))
            raise SanityError(
                f"the server would mark {to_read} of {unread} unread articles read ({share}%);"
                " nothing was reconciled. If that is right, run `blogtui sync --allow-mass-read`"
            )

    async def fetch(self, ids: Sequence[str], feeds: dict[str, int]) -> None:
        """Fetch and store the articles with these ids, FETCH_BATCH at a time."""
        for start in range(0, len(ids), FETCH_BATCH):
            batch = await self.backend.articles(self.client, ids[start : start + FETCH_BATCH])
            await self._store(self.store.save_remote_articles, self.name, batch, feeds)
            self.report.fetched += len(batch)


async def subscribe(
    store: Store, backend: SyncBackend, client: httpx.AsyncClient, url: str, folder: str = ""
) -> int:
    """Subscribe on the server, then map the new feed here; returns the local feed id."""
    remote_id = await backend.subscribe(client, url, folder)
    for feed in await backend.feeds(client):
        if feed.id == remote_id and (local := store.map_feed(backend.account.name, feed)):
            return local
    raise SyncError("the server took the subscription but does not list it for this account")
