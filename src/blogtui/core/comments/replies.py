"""Watching replies to the user's own comments.

Comments the user posted are marked `mine` in the stored threads (the outbox does it at once).
The threads of the newest of them (those of the last `WATCHED_DAYS`, at most `WATCHED_THREADS`)
are reloaded now and then (by the reader, `blogtui replies` and a full `blogtui refresh`); a
stored comment whose parent is the user's, that the user did not write and has not seen yet, is
a reply to tell about (`Store.replies_to_me`). A further source of the article that holds one of
the user's comments (Mastodon replies, a GitHub discussion) is reloaded with it; discussion sites
(read-only) never are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from blogtui.core.comments.loading import ClientFactory, load_thread_sync
from blogtui.core.comments.sources import kind_of, load_source_sync
from blogtui.core.errors import StoreError
from blogtui.core.models import Article

if TYPE_CHECKING:
    from blogtui.core.store import Store

WATCHED_THREADS = 20
"""How many threads (those of the user's newest comments) a check reloads."""
WATCHED_DAYS = 30
"""Only the threads of comments the user posted in this many days are reloaded."""


def watched_articles(
    store: Store, limit: int = WATCHED_THREADS, *, since: float | None = None
) -> list[Article]:
    """The articles of the user's newest comments, newest first, at most `limit`; with `since`
    (a time), only those of comments posted (or first seen) then or later."""
    ids: list[int] = []
    for comment in reversed(store.my_comments()):
        posted = comment.published if comment.published is not None else comment.first_seen
        if since is not None and posted < since:
            continue
        if comment.article_id not in ids:
            ids.append(comment.article_id)
    found = (store.get_article(article_id) for article_id in ids[:limit])
    return [article for article in found if article is not None]


def recent_articles(store: Store, now: float | None = None) -> list[Article]:
    """`watched_articles` of the last WATCHED_DAYS: the threads a check reloads."""
    moment = time.time() if now is None else now
    return watched_articles(store, since=moment - WATCHED_DAYS * 86400)


def refresh_watched(
    store: Store,
    *,
    deadline: float,
    client_factory: ClientFactory | None = None,
    articles: list[Article] | None = None,
    on_done: Callable[[Article, bool], None] | None = None,
) -> int:
    """Reload the threads of `articles` (default: `recent_articles`) from their blogs; how
    many failed. `on_done(article, ok)` is called after each. A damaged database (StoreError)
    is raised, not counted as a failed thread.

    Call from a thread worker (each load runs its own event loop)."""
    failed = 0
    for article in recent_articles(store) if articles is None else articles:
        try:
            result = load_thread_sync(  # new replies only: no need to look for other systems
                store, article, deadline=deadline, client_factory=client_factory, find_others=False
            )
            ok = result.ok
            for name in _sources_to_watch(store, article):
                ok = (
                    load_source_sync(
                        store, article, name, deadline=deadline, client_factory=client_factory
                    ).ok
                    and ok
                )
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - one unreachable blog must not stop the rest
            ok = False
        failed += 0 if ok else 1
        if on_done is not None:
            on_done(article, ok)
    return failed


def _sources_to_watch(store: Store, article: Article) -> list[str]:
    """The article's further sources that hold the user's comments (discussions excepted)."""
    return [name for name in store.sources_with_mine(article.id) if kind_of(name) != "discussion"]
