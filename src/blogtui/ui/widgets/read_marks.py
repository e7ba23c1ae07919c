"""Read and star changes the article list shows before the store has them (issue 17: marking
never waits).

A key changes the row at once: the change is noted in `PendingMarks`, which every row the list
loads passes through, and handed to a `SerialWriter`, which writes the changes one after another
in the order the keys came, on one thread at a time. So a key typed before the last write is
done still sees the row as the screen shows it (`m m` leaves a row as it was), and the store
ends as the screen says. Once a change is written, it is forgotten here (the store has it).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from blogtui.core.models import ArticleSummary, Feed

if TYPE_CHECKING:
    from blogtui.core.store import Store

FIELDS = ("read", "starred")
"""The row fields a mark changes."""


class PendingMarks:
    """Changes not yet written: each has a number, a later change wins over an earlier one."""

    def __init__(self) -> None:
        self._number = 0
        self._articles: dict[tuple[int, str], tuple[int, bool]] = {}
        """(article id, field) -> (change number, value)."""
        self._feeds: dict[int, frozenset[int] | None] = {}
        """Change number -> the feeds whose every article was marked read (None: all feeds)."""
        self._stars: dict[int, int] = {}
        """Change number -> how many more articles it shows starred (fewer: negative)."""

    def __bool__(self) -> bool:
        return bool(self._articles or self._feeds)

    def mark(self, field: str, article_ids: Iterable[int], value: bool) -> int:
        """Note `field` = `value` for `article_ids`; the change's number."""
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r}")
        self._number += 1
        for article_id in article_ids:
            self._articles[(article_id, field)] = (self._number, value)
        return self._number

    def star(self, shown: Iterable[ArticleSummary], value: bool) -> int:
        """Note the `shown` rows (as the list shows them now) starred (`value`) or not; the
        change's number. Until it is written, `starred_delta` counts what it changes."""
        rows = list(shown)
        number = self.mark("starred", [row.id for row in rows], value)
        self._stars[number] = sum(1 if value else -1 for row in rows if row.starred != value)
        return number

    @property
    def starred_delta(self) -> int:
        """How many more starred articles the changes not yet written show than the store has
        (fewer: negative)."""
        return sum(self._stars.values())

    def reads(self) -> dict[int, bool]:
        """The read state each article marked on its own shows (id -> read), for what reads
        the store itself (`n`: next_unread.find_unread). A feed's or all feeds' mark-all-read
        (`A`) is left out: it is written within a frame."""
        return {key[0]: value for key, (_, value) in self._articles.items() if key[1] == "read"}

    def mark_feeds_read(self, feed_ids: Iterable[int] | None) -> int:
        """Note every article of `feed_ids` (None: all feeds) read; the change's number."""
        self._number += 1
        self._feeds[self._number] = None if feed_ids is None else frozenset(feed_ids)
        return self._number

    def written(self, number: int) -> None:
        """Changes up to `number` are in the store (they are written in order): forget them."""
        self._articles = {key: v for key, v in self._articles.items() if v[0] > number}
        self._feeds = {n: feeds for n, feeds in self._feeds.items() if n > number}
        self._stars = {n: delta for n, delta in self._stars.items() if n > number}

    def apply(self, row: ArticleSummary) -> ArticleSummary:
        """`row` as the pending changes make it."""
        read = self._articles.get((row.id, "read"))
        for number, feeds in self._feeds.items():
            if (read is None or number > read[0]) and (feeds is None or row.feed_id in feeds):
                read = (number, True)
        starred = self._articles.get((row.id, "starred"))
        new_read = row.read if read is None else read[1]
        new_starred = row.starred if starred is None else starred[1]
        if (new_read, new_starred) == (row.read, row.starred):
            return row
        return replace(row, read=new_read, starred=new_starred)

    def apply_all(self, rows: list[ArticleSummary]) -> list[ArticleSummary]:
        """`rows` as the pending changes make them."""
        return [self.apply(row) for row in rows] if self else rows


@dataclass(frozen=True)
class StarredShown:
    """What the "Starred" line counts: the store's starred articles and the article list's star
    changes not yet written (the list publishes it on each star key and each write)."""

    pending: int
    """`PendingMarks.starred_delta` of the article list."""
    stored: int | None = None
    """`starred_count` right after a write (None: not read with this change)."""


def starred_count(store: Store) -> int:
    """How many articles are starred in the store (through the starred index): the one count
    the "Starred" line is made from."""
    return store.article_count(starred_only=True)


def counts_read(feeds: list[Feed], feed_ids: Iterable[int] | None) -> list[Feed]:
    """`feeds` with no unread article in `feed_ids` (None: in any)."""
    covered = None if feed_ids is None else set(feed_ids)
    return [
        replace(feed, unread=0) if covered is None or feed.id in covered else feed for feed in feeds
    ]


def mark_all_question(feeds: list[Feed], feed_ids: Iterable[int] | None) -> str:
    """What `A` asks before marking a folder (`feed_ids`) or all feeds (None) read: the count
    is the feeds' own, known already."""
    wanted = None if feed_ids is None else set(feed_ids)
    covered = [feed for feed in feeds if wanted is None or feed.id in wanted]
    unread = sum(feed.unread for feed in covered)
    where = "all articles" if wanted is None else f"the {len(covered)} feeds of this folder"
    return f"Mark {unread} unread articles of {where} read?\n(U undoes it.)"


class SerialWriter:
    """Runs jobs one after another, in the order submitted, each on a thread `start` gives.

    `start(drain)` must run `drain` on a thread (e.g. a Textual thread worker), at once or a
    little later; it is called only when no drain is due. `flush` runs what is queued on the
    caller's thread unless a drain is running (at exit: nothing is lost). A job that raises does
    not stop the ones after it; the first error is raised again once the queue is empty (so the
    worker reports it)."""

    def __init__(self, start: Callable[[Callable[[], None]], object]) -> None:
        self._start = start
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._due = False
        """A drain was started (or asked for) and has not emptied the queue yet."""
        self._draining = False
        """A drain is running jobs now."""

    @property
    def busy(self) -> bool:
        """Whether jobs are queued or running."""
        with self._lock:
            return self._due

    def submit(self, job: Callable[[], None]) -> None:
        """Queue `job` after every job submitted before it."""
        with self._lock:
            self._jobs.append(job)
            if self._due:
                return
            self._due = True
        try:
            self._start(self._drain)
        except BaseException:
            with self._lock:
                self._due = False
            raise

    def flush(self) -> None:
        """Run the queued jobs now, on this thread, unless a drain is running (it takes them)."""
        self._drain()

    def _drain(self) -> None:
        with self._lock:
            if self._draining:
                return
            self._draining = True
        error: BaseException | None = None
        while True:
            with self._lock:
                if not self._jobs:
                    self._draining = self._due = False
                    break
                job = self._jobs.popleft()
            try:
                job()
            except Exception as failed:  # noqa: BLE001 - the next jobs still run; raised below
                error = error or failed
        if error is not None:
            raise error
