"""The reader's thread loading, run in its thread worker: the stored thread of one source at
once, then the fresh one (see `ArticleView._fetch_thread`).

Each source keeps its own new-since-last-visit baseline: the visit is recorded per source after
its state was read (on a first visit only after the fetch, so nothing counts as new). A
discussion (kind "discussion") once read is shown as stored: it is read again only on `r`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from blogtui.ui import messages

if TYPE_CHECKING:
    from blogtui.core.comments.loading import ThreadResult
    from blogtui.core.models import Article, Comment, ThreadState
    from blogtui.ui.context import AppContext

Post = Callable[[messages.ThreadLoaded], object]


def shown_thread(
    context: AppContext,
    article_id: int,
    comments: list[Comment],
    state: ThreadState,
    refreshed: bool,
    source: str,
    note: str = "",
) -> messages.ThreadLoaded:
    """The message that shows one source's thread, with whether a reply goes out with the
    user's stored key, how many further sources the article has and the read's `note`.
    Blocking (store, keys)."""
    from blogtui.core.comments.registry import PROVIDERS
    from blogtui.core.posting.select import posts_with_account

    name = source or state.provider
    provider = PROVIDERS.get(name)
    account = False
    if provider is not None and provider.kind != "discussion":
        links = [c.link for c in comments]
        account = posts_with_account(name, links, context.places.secrets_dir)
    others = len(context.store.sources_of(article_id))
    return messages.ThreadLoaded(article_id, comments, state, refreshed, source, account, others,
                                 note)  # fmt: skip


def _load(context: AppContext, article: Article, source: str) -> ThreadResult:
    deadline, factory = context.config.fetch_timeout, context.make_client
    if not source:
        return context.thread_loader(context.store, article, deadline=deadline,
                                     client_factory=factory)  # fmt: skip
    from blogtui.core.comments.sources import load_source_sync

    return load_source_sync(context.store, article, source, deadline=deadline,
                            client_factory=factory)  # fmt: skip


def _kept(source: str, state: ThreadState) -> bool:
    """A discussion already read: shown as stored, read again only when asked (`r`)."""
    if not source or state.fetched is None:
        return False
    from blogtui.core.comments.sources import kind_of

    return kind_of(source) == "discussion"


def fetch_for_reader(
    context: AppContext, article: Article, source: str, opening: bool, post: Post
) -> None:
    """Post the stored thread of `source` ("" the blog's own) when `opening`, then fetch,
    store and post the fresh one (a read discussion is not fetched when opening)."""
    store = context.store
    first_visit = False
    if opening:
        before = store.thread_state(article.id, source)
        comments = store.comments_for(article.id, source)
        post(shown_thread(context, article.id, comments, before, False, source))
        first_visit = before.last_visit is None
        if not first_visit:
            store.visit_thread(article.id, source=source)
        if _kept(source, before):
            if first_visit:
                store.visit_thread(article.id, source=source)
            post(shown_thread(context, article.id, comments, before, True, source))
            return
    note = ""
    if not opening:  # `r`: the other comment systems are asked again too
        store.forget_others_lookup(article.id)
    try:
        result = _load(context, article, source)
        comments, note = result.comments, result.note
        state = store.thread_state(article.id, source)
    except Exception as error:  # noqa: BLE001 - any failure: keep the stored thread
        comments = store.comments_for(article.id, source)
        state = replace(store.thread_state(article.id, source), error=f"{error}" or repr(error))
    finally:
        if first_visit:
            store.visit_thread(article.id, source=source)
    if not get_current_worker().is_cancelled:
        post(shown_thread(context, article.id, comments, state, True, source, note))
