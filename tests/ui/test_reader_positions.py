"""The reader keeps each article's scroll position: back on an article, it is where it was."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, running, wait_for

from blogtui.core.models import EntryData
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.widgets.article_view import ArticleView
from blogtui.ui.widgets.scroll_memory import POSITIONS, ScrollMemory

LONG = "".join(f"<p>Absatz {n}: Grüße aus Köln, „schön“ und lang genug.</p>" for n in range(300))


def add_long(store: Store, feed_id: int, key: str, when: float) -> int:
    store.upsert_articles(
        feed_id, [EntryData(key=key, title=f"Lang {key}", link=f"https://plain.example/{key}",
                            published=when, content=LONG)],
    )  # fmt: skip
    return store.article_ids_by_link([f"https://plain.example/{key}"])[
        f"https://plain.example/{key}"
    ]


async def open_and_wait(pilot, reader: ArticleView, article_id: int) -> None:
    main_screen(pilot.app).open_article(article_id)
    await wait_for(pilot, lambda: reader.article is not None and reader.article.id == article_id)
    await wait_for(pilot, lambda: not reader.body.wrapping)


async def test_back_on_an_article_it_is_scrolled_where_it_was(
    make_app: Callable[..., BlogtuiApp], store: Store, feed_ids: dict[str, int]
) -> None:
    first = add_long(store, feed_ids["plain"], "a", 2e9)
    second = add_long(store, feed_ids["plain"], "b", 2e9 - 1)
    async with running(make_app()) as pilot:
        reader = main_screen(pilot.app).reader
        await open_and_wait(pilot, reader, first)
        reader.scroll_to(y=57, animate=False, immediate=True)
        await pilot.pause()
        assert reader.scroll_y == 57
        await open_and_wait(pilot, reader, second)
        assert reader.scroll_y == 0  # a new article starts at its top
        reader.scroll_to(y=9, animate=False, immediate=True)
        await pilot.pause()
        await open_and_wait(pilot, reader, first)
        await wait_for(pilot, lambda: reader.scroll_y == 57)
        await open_and_wait(pilot, reader, second)
        await wait_for(pilot, lambda: reader.scroll_y == 9)


def test_the_positions_kept_are_bounded() -> None:
    memory = ScrollMemory(size=POSITIONS)
    for n in range(POSITIONS + 5):
        memory.leave(-n - 1, 1.0)  # articles read before, oldest first
    assert len(memory) == POSITIONS
    assert -1 not in memory and -(POSITIONS + 5) in memory  # the oldest went first
    memory.leave(7, 0.0)  # left at its top, never scrolled: no place taken
    assert 7 not in memory and memory.recall(-(POSITIONS + 5)) == 1.0
