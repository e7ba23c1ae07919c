"""Where `n`/`N` leads: the next (previous) unread article after the cursor in the list shown,
then in the feeds after (before) the shown one, wrapping round once. Unread as the list shows it:
a read mark not written yet counts (`shown`). No UI: the articles pane runs `find_unread` in a
thread worker and shows what it found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blogtui.core.store import Store

NOTHING_SHOWN: Mapping[int, bool] = MappingProxyType({})
"""No read state shown but not yet written."""


@dataclass(frozen=True)
class UnreadSearch:
    """What the list shows, for the search."""

    scope: tuple[int, ...] | None
    """The feeds listed (None: all)."""
    starred: bool = False
    """Starred articles only (the "Starred" entry)."""
    unread_only: bool = False
    order: str = "date"


@dataclass(frozen=True)
class Found:
    """An unread article, in feed `feed_id` (-1: in the list shown); `wrapped`: found only after
    going round."""

    article_id: int
    feed_id: int
    wrapped: bool


def find_unread(
    store: Store,
    search: UnreadSearch,
    step: int,
    ids: list[int] | None,
    cursor: int,
    feed_order: list[int],
    shown: Mapping[int, bool] = NOTHING_SHOWN,
) -> Found | None:
    """The next (`step` 1) or previous (-1) unread article after `cursor` in `ids` (None: the
    list as the store has it), then in the feeds after (before) a one-feed scope in
    `feed_order`; then round from the other end. None: no unread article. `shown`: read states
    (by article id) the list shows but the store does not have yet; they win over the store's."""
    feeds = None if search.scope is None else list(search.scope)
    if ids is None:
        ids = store.article_ids(
            feeds, unread_only=search.unread_only, order=search.order, starred_only=search.starred
        )
    unread = set(store.article_ids(feeds, unread_only=True, starred_only=search.starred))
    unread.difference_update(i for i, read in shown.items() if read)
    unread.update(i for i, read in shown.items() if not read)  # only the listed ids are looked up
    ahead = range(cursor + 1, len(ids)) if step > 0 else range(cursor - 1, -1, -1)
    behind = range(0, cursor + 1) if step > 0 else range(len(ids) - 1, cursor - 1, -1)
    others: list[int] = []
    earlier: list[int] = []
    scope = search.scope
    if scope is not None and len(scope) == 1 and scope[0] in feed_order:
        start = feed_order.index(scope[0])
        after, before = feed_order[start + 1 :], feed_order[:start]
        others, earlier = (after, before) if step > 0 else (before[::-1], after[::-1])

    def in_feeds(feed_ids: list[int], wrapped: bool) -> Found | None:
        return _in_feeds(store, search, step, feed_ids, wrapped, shown)

    for wrapped, positions, feed_ids in ((False, ahead, others), (True, behind, earlier)):
        if wrapped and feed_ids and (found := in_feeds(feed_ids, wrapped)):
            return found
        for index in positions:
            if ids[index] in unread:
                return Found(ids[index], -1, wrapped)
        if not wrapped and (found := in_feeds(feed_ids, wrapped)):
            return found
    return None


def _in_feeds(
    store: Store,
    search: UnreadSearch,
    step: int,
    feed_ids: list[int],
    wrapped: bool,
    shown: Mapping[int, bool],
) -> Found | None:
    """The first (last) unread article of the first of `feed_ids` that has one (one `shown`
    read is not unread)."""
    for feed_id in feed_ids:
        found = store.article_ids([feed_id], unread_only=True, order=search.order)
        found = [i for i in found if not shown.get(i, False)]
        if found:
            return Found(found[0 if step > 0 else -1], feed_id, wrapped)
    return None


class OneAtATime:
    """`n`/`N` keys, one search after the other in the order they came: a key that comes while
    a search runs waits until that search is over (`done`), so it starts from the article that
    search opened (the cursor on it, its read mark noted) and never finds the same one."""

    def __init__(self, start: Callable[[int, list[int]], None]) -> None:
        self._start = start
        """Starts one search: (step, feed order)."""
        self._waiting: deque[tuple[int, list[int]]] = deque()
        self._running = False

    def ask(self, step: int, feed_order: list[int]) -> None:
        """Search now, or after the searches asked for before."""
        if self._running:
            self._waiting.append((step, feed_order))
            return
        self._running = True
        self._start(step, feed_order)

    def done(self) -> None:
        """The running search is over (what it found is shown): start the next one."""
        self._running = False
        if self._waiting:
            self.ask(*self._waiting.popleft())
