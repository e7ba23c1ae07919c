"""`r` in the thread asks the other comment systems again: it forgets when they were last asked
about the article (`Store.forget_others_lookup`) before the thread is loaded, while opening the
article keeps that lookup (`core.comments.loading` skips it within a day)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.app import main_screen, press, running, settle, wait_for

from blogtui.core.comments.loading import ThreadResult
from blogtui.core.models import Article, CommentData
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp

COMMENTS = [CommentData("1", "", "Jürgen Weiß", "<p>Grüße aus Köln!</p>", 1.7e9)]
LOOKED = 1_800_000_000.0


def recording(seen: list[float | None]) -> Callable[..., ThreadResult]:
    """A thread loader noting, on each load, when the others were last asked about the article."""

    def load(store: Store, article: Article, **_: Any) -> ThreadResult:
        seen.append(store.others_looked_up(article.id))
        store.store_thread(article.id, COMMENTS, provider="wordpress")
        return ThreadResult(article.id, "wordpress", store.comments_for(article.id))

    return load


def status(app: BlogtuiApp) -> str:
    return str(main_screen(app).reader.query_one("#thread-status").render())


async def test_r_has_the_other_systems_asked_again_and_opening_does_not(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    seen: list[float | None] = []
    app = make_app(thread_loader=recording(seen))
    async with running(app) as pilot:
        screen = main_screen(app)
        article_id = screen.article_list.ids[0]
        store.note_others_looked_up(article_id, LOOKED)
        screen.open_article(article_id)
        await wait_for(pilot, lambda: len(seen) == 1 and "refreshing" not in status(app))
        assert seen == [LOOKED] and store.others_looked_up(article_id) == LOOKED
        screen.reader.thread.focus()
        await press(pilot, "r")
        await wait_for(pilot, lambda: len(seen) == 2)
        await settle(pilot)
        assert seen == [LOOKED, None]
