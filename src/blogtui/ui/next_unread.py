"""Where `n`/`N` leads: the next (previous) unread article after the cursor in the list shown,
then in the feeds after (before) the shown one, wrapping round once. No UI: the articles pane
runs `find_unread` in a thread worker and shows what it found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blogtui.core.store import Store


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
) -> Found | None:
    """The next (`step` 1) or previous (-1) unread article after `cursor` in `ids` (None: the
    list as the store has it), then in the feeds after (before) a one-feed scope in
    `feed_order`; then round from the other end. None: no unread article."""
    feeds = None if search.scope is None else list(search.scope)
    if ids is None:
        ids = store.article_ids(
            feeds, unread_only=search.unread_only, order=search.order, starred_only=search.starred
        )
    unread = set(store.article_ids(feeds, unread_only=True, starred_only=search.starred))
    ahead = range(cursor + 1, len(ids)) if step > 0 else range(cursor - 1, -1, -1)
    behind = range(0, cursor + 1) if step > 0 else range(len(ids) - 1, cursor - 1, -1)
    others: list[int] = []
    earlier: list[int] = []
    scope = search.scope
    if scope is not None and len(scope) == 1 and scope[0] in feed_order:
        start = feed_order.index(scope[0])
        after, before = feed_order[start + 1 :], feed_order[:start]
        others, earlier = (after, before) if step > 0 else (before[::-1], after[::-1])
    for wrapped, positions, feed_ids in ((False, ahead, others), (True, behind, earlier)):
        if wrapped and feed_ids and (found := _in_feeds(store, search, step, feed_ids, wrapped)):
            return found
        for index in positions:
            if ids[index] in unread:
                return Found(ids[index], -1, wrapped)
        if not wrapped and (found := _in_feeds(store, search, step, feed_ids, wrapped)):
            return found
    return None


def _in_feeds(
    store: Store, search: UnreadSearch, step: int, feed_ids: list[int], wrapped: bool
) -> Found | None:
    """The first (last) unread article of the first of `feed_ids` that has one."""
    for feed_id in feed_ids:
        found = store.article_ids([feed_id], unread_only=True, order=search.order)
        if found:
            return Found(found[0 if step > 0 else -1], feed_id, wrapped)
    return None
