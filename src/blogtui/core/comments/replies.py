"""Watching replies to the user's own comments.

Comments the user posted are marked `mine` in the stored threads (the outbox does it at once).
The threads of the newest of them are reloaded now and then; a stored comment whose parent is
the user's, that the user did not write and has not seen yet, is a reply to tell about
(`Store.replies_to_me`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blogtui.core.comments.loading import ClientFactory, load_thread_sync
from blogtui.core.models import Article

if TYPE_CHECKING:
    from blogtui.core.store import Store

WATCHED_THREADS = 20
"""How many threads (those of the user's newest comments) a check reloads."""


def watched_articles(store: Store, limit: int = WATCHED_THREADS) -> list[Article]:
    """The articles of the user's newest comments, newest first, at most `limit`."""
    ids: list[int] = []
    for comment in reversed(store.my_comments()):
        if comment.article_id not in ids:
            ids.append(comment.article_id)
    found = (store.get_article(article_id) for article_id in ids[:limit])
    return [article for article in found if article is not None]


def refresh_watched(
    store: Store, *, deadline: float, client_factory: ClientFactory | None = None
) -> int:
    """Reload the threads of `watched_articles` from their blogs; how many failed.

    Call from a thread worker (each load runs its own event loop)."""
    failed = 0
    for article in watched_articles(store):
        try:
            result = load_thread_sync(
                store, article, deadline=deadline, client_factory=client_factory
            )
            failed += 0 if result.ok else 1
        except Exception:  # noqa: BLE001 - one unreachable blog must not stop the rest
            failed += 1
    return failed
