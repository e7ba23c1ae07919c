"""Pane widths follow the terminal and can be changed (keys, border drag), remembered in the
config; the article list lays its columns out by the space there is; the footer names the
focused pane's keys and fits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.app import main_screen, press, running, wait_for
from textual.app import App
from textual.strip import Strip

from blogtui.core.config import Config, load_config
from blogtui.core.models import EntryData
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.pane_layout import Shares

DATE = "2023-11-14"
"""The seeded articles' date (conftest.BASE_TIME), as a row shows it."""
LONG_TITLE = "A feed whose title goes on and on, far longer than any pane is wide at all"


def screen_lines(app: App[None], left: int = 0, right: int | None = None) -> list[str]:
    """The terminal's lines as the user sees them now (cells `left` to `right`)."""
    update = app.screen._compositor.render_update(full=True)
    lines = [Strip.join(line) for line in update.strips]  # type: ignore[attr-defined]
    return [line.crop(left, right or line.cell_length).text for line in lines]


def row_line(app: App[None], title: str) -> str:
    """The article list's line showing the article `title`, as the screen shows it."""
    region = main_screen(app).article_list.region
    lines = [line for line in screen_lines(app, region.x, region.right) if title in line]
    assert lines, f"{title!r} not on screen"
    return lines[0]


def test_shares_follow_the_terminal_and_keep_minimums() -> None:
    shares = Shares()
    feeds_120, list_120 = shares.widths(120)
    feeds_200, list_200 = shares.widths(200)
    assert feeds_200 > feeds_120 >= 27 and list_200 > list_120 >= 50
    assert 200 - feeds_200 - list_200 >= 60  # the reader grows too
    feeds, articles = Shares(60, 80).clamped().widths(100)
    assert 100 - feeds - articles >= 30 and feeds >= 16 and articles >= 30
    assert Shares().moved("feeds", 4).feeds == shares.feeds + 4
    assert Shares(5, 10).moved("articles", -50) == Shares(5, 10)


@pytest.mark.parametrize("size", [(120, 36), (200, 50)])
async def test_dates_and_comment_counts_show_beside_whole_titles(
    make_app: Callable[..., BlogtuiApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with running(app, size=size):
        line = row_line(app, "Grüße aus dem „Süden“")
        assert DATE in line
        assert line.rstrip().endswith(" 3"), line  # its comment count, at the end
        assert main_screen(app).article_list.size.width >= 45  # was 34 at 120 columns


async def test_the_feed_column_shows_at_200_and_counts_stay_with_a_long_feed_title(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    feed, _ = store.add_feed("https://long.example/feed/", LONG_TITLE)
    entry = EntryData(key="l1", title="Short post", author="Bo", link="https://long.example/1",
                      published=1_700_000_400.0, content="<p>x</p>", comment_count=12)  # fmt: skip
    store.upsert_articles(feed.id, [entry])
    app = make_app()
    async with running(app, size=(200, 50)):
        line = row_line(app, "Short post")
        assert "A feed whose" in line and "…" in line  # the feed, cut to its column
        assert DATE in line and line.rstrip().endswith(" 12"), line


async def test_the_feeds_pane_follows_the_terminal_and_keys_change_it_remembered(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    app = make_app(config=Config())
    async with running(app, size=(200, 50)) as pilot:
        screen = main_screen(app)
        before = screen.feed_list.size.width
        assert before > 28  # was fixed at 28 columns whatever the terminal
        await press(pilot, "right_square_bracket", "right_square_bracket")
        assert screen.feed_list.size.width > before
        list_before = screen.articles.size.width
        await press(pilot, "left_curly_bracket")
        assert screen.articles.size.width < list_before
        await wait_for(pilot, home.config_file.exists)
        saved = load_config(home.config_file)
        assert saved.feeds_width == Shares().feeds + 4
        assert saved.list_width == Shares().articles - 2
    app = make_app(config=load_config(home.config_file))
    async with running(app, size=(200, 50)):
        assert main_screen(app).feed_list.size.width > before  # remembered


async def test_dragging_the_feeds_border_resizes_the_pane(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    app = make_app(config=Config())
    async with running(app, size=(200, 50)) as pilot:
        screen = main_screen(app)
        border = screen.feed_list.region.right - 1
        await pilot.mouse_down(offset=(border, 10))
        await pilot.hover(offset=(border + 20, 10))
        await pilot.mouse_up(offset=(border + 20, 10))
        await pilot.pause()
        assert screen.feed_list.region.right - 1 == pytest.approx(border + 20, abs=2)


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
async def test_the_footer_names_the_focused_panes_keys_and_fits(
    make_app: Callable[..., BlogtuiApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with running(app, size=size) as pilot:
        footer = screen_lines(app)[-1]
        assert "Add feed" in footer and footer.rstrip().endswith("? Help"), footer  # whole
        await press(pilot, "tab")
        footer = screen_lines(app)[-1]
        assert "Filter" in footer and "Add feed" not in footer, footer
        assert footer.rstrip().endswith("? Help"), footer
        await press(pilot, "enter") if size[0] < 100 else await press(pilot, "enter", "l")
        footer = screen_lines(app)[-1]
        assert "Reply" in footer and footer.rstrip().endswith("? Help"), footer


async def test_the_footer_fits_at_80_columns_in_the_comment_thread(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    app = make_app()
    async with running(app, size=(80, 24)) as pilot:
        await press(pilot, "tab", "enter", "t")
        footer = screen_lines(app)[-1]
        assert footer.rstrip().endswith("? Help"), footer


async def test_a_width_changed_just_before_quitting_is_remembered(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    app = make_app(config=Config())
    async with running(app, size=(200, 50)) as pilot:
        await pilot.press("right_curly_bracket")
        await pilot.press("q")  # before the write was due
    assert load_config(home.config_file).list_width == Shares().articles + 2
