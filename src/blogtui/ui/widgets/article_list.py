"""The articles pane: a RowList of ArticleSummary rows, drawn one line each.

A row's columns are laid out by the space there is: the title keeps about half the row, then
come the date, the comments ("12+3": three new since the last visit), the feed and the author.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import on
from textual.message import Message
from textual.signal import Signal

from blogtui.core.models import ArticleSummary
from blogtui.ui import messages
from blogtui.ui.display import display, format_date, glyph
from blogtui.ui.widgets.read_marks import (
    PendingMarks,
    SerialWriter,
    StarredShown,
    starred_count,
)
from blogtui.ui.widgets.row_list import RowList

if TYPE_CHECKING:
    from blogtui.core.models import Feed
    from blogtui.core.store import Store

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
    """Articles, newest first; only the visible rows are loaded and drawn.

    It also marks them (through `store`; None: marking is off): `m` read or unread, `F` starred
    or not, an article opened read (`mark_opened`), every article of some feeds read (`A`) and
    that undone (`U`). A mark shows at once:
    rows are drawn through the pending changes (read_marks.PendingMarks); one writer thread
    writes them in the order the keys came, starting after the frame that shows them. So a key
    acts on the row under the cursor as the screen shows it, however fast keys come.
    `messages.ReadStateChanged` follows each read change written (with the feeds' counts);
    `starred_shown` is published on each star change and each write (the "Starred" count)."""

    @dataclass
    class _Written(Message):
        """A mark is in the store (or failed): forget it, repaint, tell the screen."""

        number: int | None
        article_ids: list[int] | None
        """The rows to read again (None: all)."""
        read: bool | None = None
        """For a read change: the value written (None: not a read change)."""
        feeds: list[Feed] | None = None
        note: str = ""
        after: Callable[[], None] | None = None
        starred: int | None = None
        """After a star change: how many articles the store has starred now."""

    def __init__(
        self,
        row_loader: Callable[[list[int]], list[ArticleSummary]],
        ids: Sequence[int] = (),
        *,
        store: Store | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(self._load_rows, self._render_row, ids, empty_text="No articles.", id=id)
        self.store = store
        """Where marks are written (None: marking is off)."""
        self.draft_ids: set[int] = set()
        """Articles with a reply draft (marked ✎)."""
        self.marks = PendingMarks()
        """Marks shown but not yet written."""
        self._store_rows = row_loader
        self._writer = SerialWriter(self._start_writer)
        self.starred_shown: Signal[StarredShown] = Signal(self, "starred-shown")
        """The star changes not yet written, and the store's count after a star write."""
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

    def _load_rows(self, ids: list[int]) -> list[ArticleSummary]:
        return self.marks.apply_all(self._store_rows(ids))

    def _render_row(self, row: ArticleSummary, width: int, selected: bool) -> Text:
        return render_article_row(
            row,
            width,
            selected,
            draft=row.id in self.draft_ids,
            feed_title=self._feed_titles.get(row.feed_id, ""),
        )

    # -- marking -----------------------------------------------------------------------------

    def toggle_read(self) -> None:
        """Mark the article under the cursor read, or unread again."""
        row = self.cursor_row
        if row is not None:
            self._mark([row.id], "read", not row.read)

    def action_select(self) -> None:
        """Open the row under the cursor (the screen hears `Selected`), marked read now, when
        the key comes: a key typed next acts on the row as opened."""
        if (row_id := self.cursor_id) is not None:
            self.mark_opened(row_id)
        super().action_select()

    def mark_opened(self, article_id: int) -> ArticleSummary | None:
        """Opening an article marks it read: like `m`, through the pending marks and the one
        writer, so a key typed right after the opening acts on the row as opened (and is
        written after it). A row shown read already (or gone) is left as it is. Returns the
        row as it was before (None: gone)."""
        row = self.get_row(article_id)
        if row is not None and not row.read:
            self._mark([article_id], "read", True)
        return row

    def mark_read(self, article_ids: Sequence[int]) -> None:
        """Mark `article_ids` read as one change: the rows at once, the store in one write,
        after every mark made before it (a mark made later wins)."""
        if article_ids:
            self._mark(list(article_ids), "read", True)

    def action_toggle_star(self) -> None:
        """Star the article under the cursor, or unstar it."""
        row = self.cursor_row
        if row is not None:
            self._mark([row.id], "starred", not row.starred)

    def _mark(self, ids: list[int], field: str, value: bool) -> None:
        store = self.store
        if store is None:
            return
        if field == "starred":
            shown = [row for row in map(self.get_row, ids) if row is not None]
            number = self.marks.star(shown, value)
            self.refresh_rows(ids)
            self.starred_shown.publish(StarredShown(self.marks.starred_delta))
            self._writer.submit(
                lambda: self._written(
                    number, ids, lambda: store.set_starred(ids, value), starred=True
                )
            )
        else:
            number = self.marks.mark(field, ids, value)
            self.refresh_rows(ids)
            self._writer.submit(
                lambda: self._written(number, ids, lambda: store.set_read(ids, value), read=value)
            )

    def mark_all_read(
        self, feed_ids: Sequence[int] | None, after: Callable[[], None] | None = None
    ) -> bool:
        """Mark every article of `feed_ids` (None: all feeds) read: the rows at once, the store
        after; then `after` runs. `undo_mark_all_read` undoes it. False: marking is off."""
        store = self.store
        if store is None:
            return False
        scope = None if feed_ids is None else list(feed_ids)
        number = self.marks.mark_feeds_read(scope)
        self.refresh_rows()
        marked: list[int] = []

        def note() -> str:
            count = len(marked)
            if not count:
                return ""
            return f"Marked {count} article{'s' if count != 1 else ''} read; U undoes it."

        self._writer.submit(
            lambda: self._written(
                number,
                marked,
                lambda: marked.extend(store.mark_all_read(scope)),
                read=True,
                note=note,
                after=after,
            )
        )
        return True

    def undo_mark_all_read(self, after: Callable[[], None] | None = None) -> None:
        """Mark the articles the last mark-all-read marked unread again (after every mark
        made before is written); then `after` runs."""
        store = self.store
        if store is None:
            return
        restored: list[int] = []

        def note() -> str:
            count = len(restored)
            if not count:
                return "Nothing to undo."
            return f"{count} article{'s' if count != 1 else ''} unread again."

        self._writer.submit(
            lambda: self._written(
                None,
                restored,
                lambda: restored.extend(store.undo_mark_all_read()),
                read=False,
                note=note,
                after=after,
            )
        )

    def _written(
        self,
        number: int | None,
        article_ids: list[int],
        change: Callable[[], object],
        *,
        read: bool | None = None,
        note: Callable[[], str] | None = None,
        after: Callable[[], None] | None = None,
        starred: bool = False,
    ) -> None:
        """(On the writer's thread.) Make one change (filling `article_ids` if it finds them),
        then have the list forget it: repaint, tell the screen (a star change: the count)."""
        assert self.store is not None
        try:
            change()
            feeds = self.store.list_feeds() if read is not None else None
            count = starred_count(self.store) if starred else None
        except BaseException:
            self.post_message(self._Written(number, None))  # the rows as the store has them
            raise
        text = note() if note is not None else ""
        self.post_message(self._Written(number, article_ids, read, feeds, text, after, count))

    def on_unmount(self) -> None:
        """Leaving (the app quits): write the marks whose writer has not started yet (a write
        that fails now has no screen left to tell: the store keeps its state, no traceback)."""
        with contextlib.suppress(Exception):
            self._writer.flush()

    def _start_writer(self, drain: Callable[[], None]) -> None:
        """Start writing once the marks are painted (the frame does not wait on the write)."""
        self.call_after_refresh(
            self.run_worker, drain, thread=True, group="marks", exit_on_error=False
        )

    @on(_Written)
    def _forget_written(self, message: _Written) -> None:
        message.stop()
        if message.number is not None:
            before = self.marks.starred_delta
            self.marks.written(message.number)
            delta = self.marks.starred_delta
            if message.starred is not None or delta != before:  # a star written (or failed)
                self.starred_shown.publish(StarredShown(delta, message.starred))
        self.refresh_rows(message.article_ids)
        if message.feeds is not None and message.read is not None:
            ids = list(message.article_ids or ())
            self.post_message(messages.ReadStateChanged(ids, message.read, message.feeds))
        if message.note:
            self.notify(message.note, markup=False)
        if message.after is not None:
            message.after()
