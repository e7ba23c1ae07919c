"""The articles pane: a RowList of ArticleSummary rows, drawn one line each.

A row's columns are laid out by the space there is: the title keeps about half the row, then
come the date, the comments ("12+3": three new since the last visit), the feed and the author.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import work

from blogtui.core.models import ArticleSummary
from blogtui.ui.display import display, format_date, glyph
from blogtui.ui.widgets.row_list import RowList

if TYPE_CHECKING:
    from blogtui.core.models import Feed

AUTHOR_WIDTH = 16
"""Cells given to the author column."""
DATE_FORMAT = "%Y-%m-%d"
"""How a row shows its date."""
DATE_WIDTH = 10
COMMENTS_WIDTH = 6
"""Cells of the comments column ("1234+56")."""
FEED_WIDTH = (12, 24)
"""Fewest and most cells of the feed column."""
TITLE_MIN = 24
"""The title keeps at least this many cells, and about half of a wide row."""


def comments_cell(row: ArticleSummary) -> str:
    """ "12" comments, "12+3" with three new since the last visit, "" when unknown."""
    if row.comment_count is None and not row.new_comments:
        return ""
    cell = str(row.comment_count or 0)
    return f"{cell}+{row.new_comments}" if row.new_comments else cell


class Columns(NamedTuple):
    """Which columns a row of some width shows (0: not shown), besides the title."""

    date: bool
    comments: bool
    feed: int
    author: int


def columns(width: int) -> Columns:
    """The columns that fit a `width`-cell row, in order of need: date, comments, feed, author
    (each with a space before it)."""
    spare = width - 3 - max(TITLE_MIN, width * 45 // 100)
    date = spare >= DATE_WIDTH + 1
    spare -= (DATE_WIDTH + 1) * date
    comments = spare >= COMMENTS_WIDTH + 1
    spare -= (COMMENTS_WIDTH + 1) * comments
    feed = min(FEED_WIDTH[1], max(FEED_WIDTH[0], width // 5), spare - 1)
    feed = feed if feed >= FEED_WIDTH[0] else 0
    spare -= feed + 1 if feed else 0
    author = AUTHOR_WIDTH if spare >= AUTHOR_WIDTH + 1 else 0
    return Columns(date, comments, feed, author)


def render_article_row(
    row: ArticleSummary,
    width: int,
    selected: bool,
    *,
    draft: bool = False,
    feed_title: str = "",
) -> Text:
    """One row: unread marker, draft marker, star marker, title, then what fits of feed, author,
    date and comments."""
    shown = columns(width)
    unread = glyph("●", "*") if not row.read else " "
    draft_mark = glyph("✎", "D") if draft else " "
    tail = Text(end="", no_wrap=True, style="dim")
    if shown.feed:
        feed = Text(display(feed_title, limit=200))
        feed.truncate(shown.feed, overflow="ellipsis", pad=True)
        tail.append(" ")
        tail.append_text(feed)
    if shown.author:
        tail.append(f" {display(row.author, limit=AUTHOR_WIDTH):<{AUTHOR_WIDTH}}")
    if shown.date:
        tail.append(f" {format_date(row.published, DATE_FORMAT):<{DATE_WIDTH}}")
    if shown.comments:
        tail.append(f" {comments_cell(row):>{COMMENTS_WIDTH}}")
    title_width = max(1, width - 3 - tail.cell_len)
    line = Text(end="", no_wrap=True)
    line.append(unread, style="bold" if not row.read else "")
    line.append(draft_mark)
    line.append(glyph("★", "!"), style="bold yellow") if row.starred else line.append(" ")
    title = Text(
        display(row.title or "(untitled)", limit=400), style="bold" if not row.read else ""
    )
    title.truncate(title_width, overflow="ellipsis", pad=True)
    line.append_text(title)
    line.append_text(tail)
    return line


class ArticleList(RowList[ArticleSummary]):
    """Articles, newest first; only the visible rows are loaded and drawn. `F` stars the
    article under the cursor, or unstars it (through `star`, e.g. Store.set_starred)."""

    def __init__(
        self,
        row_loader: Callable[[list[int]], list[ArticleSummary]],
        ids: Sequence[int] = (),
        *,
        star: Callable[[list[int], bool], None] | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(row_loader, self._render_row, ids, empty_text="No articles.", id=id)
        self.star = star
        """Writes the starred state of articles (None: starring is off)."""
        self.draft_ids: set[int] = set()
        """Articles with a reply draft (marked ✎)."""
        self._feeds: list[Feed] | None = None
        self._feed_titles: dict[int, str] = {}

    def use_feeds(self, feeds: list[Feed]) -> None:
        """Name rows' feeds after `feeds` (repaints when the list is a new one)."""
        if feeds is not self._feeds:
            self._feeds = feeds
            titles = {feed.id: feed.display_title for feed in feeds}
            if titles != self._feed_titles:
                self._feed_titles = titles
                self.refresh_rows()

    def _render_row(self, row: ArticleSummary, width: int, selected: bool) -> Text:
        return render_article_row(
            row,
            width,
            selected,
            draft=row.id in self.draft_ids,
            feed_title=self._feed_titles.get(row.feed_id, ""),
        )

    def action_toggle_star(self) -> None:
        """Star the article under the cursor, or unstar it."""
        row = self.cursor_row
        if row is not None and self.star is not None:
            self._write_star(self.star, row.id, not row.starred)

    @work(thread=True, exit_on_error=False, group="star-state")
    def _write_star(
        self, star: Callable[[list[int], bool], None], article_id: int, on: bool
    ) -> None:
        star([article_id], on)
        self.app.call_from_thread(self.refresh_rows, [article_id])
