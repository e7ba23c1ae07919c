"""The first content, drawn in the start panes before the main screen is ready.

Right after the first frame the app opens the store and reads what the main screen will show
first: the feeds with their unread counts and the newest article rows. It draws them in the
start panes (one frame, ~10 ms), then imports and composes the main screen, which starts from
the same rows instead of reading them again, so nothing goes blank in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from blogtui.ui.display import display

if TYPE_CHECKING:
    from textual.widgets import Static

    from blogtui.core.models import ArticleSummary, Feed
    from blogtui.core.store import Store


@dataclass(frozen=True)
class FirstContent:
    """What the main screen shows first: the feeds (with counts) and the newest rows."""

    feeds: list[Feed]
    ids: list[int]
    """The newest article ids of "All articles" (one screenful)."""
    rows: list[ArticleSummary]
    total: int
    """How many articles "All articles" holds."""


def read_first(store: Store, rows: int, order: str = "date") -> FirstContent:
    """The feeds and the first `rows` articles of all feeds in `order` (the list's sort), as
    the main screen lists them."""
    feeds = store.list_feeds()
    ids = store.article_ids(None, limit=rows, order=order) if feeds else []
    summaries = store.article_summaries(ids)
    total = store.article_count(None) if feeds else 0
    return FirstContent(feeds, ids, summaries, total)


def _counted(label: str, count: int, width: int) -> Text:
    """`label` cut to fit with `count` right-aligned at the end of a `width`-cell line."""
    number = str(count) if count else ""
    line = Text(display(label, limit=200), end="")
    line.truncate(max(1, width - len(number) - 1), overflow="ellipsis", pad=True)
    line.append(f" {number:>{len(number)}}" if number else " ")
    return line


def feeds_text(feeds: list[Feed], width: int, height: int) -> Text:
    """The feeds pane's first lines: "All articles", feeds without a folder, then folders."""
    lines = [_counted("All articles", sum(feed.unread for feed in feeds), width)]
    loose = [feed for feed in feeds if not feed.folder]
    lines += [_counted(feed.display_title, feed.unread, width) for feed in loose]
    folders: dict[str, list[Feed]] = {}
    for feed in feeds:
        if feed.folder:
            folders.setdefault(feed.folder, []).append(feed)
    for folder, members in folders.items():
        if len(lines) >= height:
            break
        lines.append(_counted(f"▼ {folder}", sum(f.unread for f in members), width))
        for number, feed in enumerate(members[: height - len(lines)], 1):
            guide = "└ " if number == len(members) else "├ "
            lines.append(_counted(guide + feed.display_title, feed.unread, width))
    return Text("\n", end="").join(lines[:height])


def rows_text(first: FirstContent, width: int, height: int) -> Text:
    """The article list's first lines: its status line, then the newest rows."""
    from blogtui.ui.widgets.article_list import render_article_row

    titles = {feed.id: feed.display_title for feed in first.feeds}
    by_id = {row.id: row for row in first.rows}
    lines = [Text(f" All articles · {first.total}", end="")]  # as the list's status line
    for article_id in first.ids[: max(0, height - 1)]:
        row = by_id.get(article_id)
        if row is not None:
            title = titles.get(row.feed_id, "")
            lines.append(render_article_row(row, width, False, feed_title=title))
    return Text("\n", end="").join(lines)


def show_first(panes: list[Static], store: Store, order: str) -> FirstContent | None:
    """Draw the feeds and the newest rows in the start panes (feeds, articles, reader); what
    was read, for the main screen to start from (None: it reads them itself)."""
    import sqlite3

    from blogtui.core.errors import BlogtuiError

    feeds_pane, list_pane = panes[:2]
    size = list_pane.content_region.size
    try:
        first = read_first(store, max(1, size.height - 1), order)
    except (sqlite3.Error, BlogtuiError):
        return None  # the main screen reads again, and says what is wrong
    if not first.feeds:
        return None  # the main screen offers the welcome
    region = feeds_pane.content_region
    feeds_pane.update(feeds_text(first.feeds, region.width, region.height))
    list_pane.update(rows_text(first, size.width, size.height))
    return first
