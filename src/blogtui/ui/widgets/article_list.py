"""The articles pane: a RowList of ArticleSummary rows, drawn one line each."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text

from blogtui.core.models import ArticleSummary
from blogtui.ui.display import display, glyph
from blogtui.ui.widgets.article_view import format_date
from blogtui.ui.widgets.row_list import RowList

AUTHOR_WIDTH = 16
"""Cells given to the author column."""
DATE_FORMAT = "%Y-%m-%d"
"""How a row shows its date."""


def comments_cell(row: ArticleSummary) -> str:
    """ "12" comments, "12+3" with three new since the last visit, "" when unknown."""
    if row.comment_count is None and not row.new_comments:
        return ""
    cell = str(row.comment_count or 0)
    return f"{cell}+{row.new_comments}" if row.new_comments else cell


def render_article_row(
    row: ArticleSummary, width: int, selected: bool, *, draft: bool = False
) -> Text:
    """One row: unread marker, title, author, date, comments (and a draft marker)."""
    unread = glyph("●", "*") if not row.read else " "
    draft_mark = glyph("✎", "D") if draft else " "
    tail = ""
    if width >= 80:
        tail += f" {display(row.author, limit=AUTHOR_WIDTH):<{AUTHOR_WIDTH}}"
    if width >= 40:
        tail += f" {format_date(row.published, DATE_FORMAT):<10}"
    if width >= 50:
        tail += f" {comments_cell(row):>6}"
    title_width = max(1, width - 3 - len(tail))
    line = Text(end="", no_wrap=True)
    line.append(unread, style="bold" if not row.read else "")
    line.append(draft_mark)
    line.append(" ")
    title = Text(
        display(row.title or "(untitled)", limit=400), style="bold" if not row.read else ""
    )
    title.truncate(title_width, overflow="ellipsis", pad=True)
    line.append_text(title)
    line.append(tail, style="dim")
    return line


class ArticleList(RowList[ArticleSummary]):
    """Articles, newest first; only the visible rows are loaded and drawn."""

    def __init__(
        self,
        row_loader: Callable[[list[int]], list[ArticleSummary]],
        ids: Sequence[int] = (),
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(row_loader, self._render_row, ids, empty_text="No articles.", id=id)
        self.draft_ids: set[int] = set()
        """Articles with a reply draft (marked ✎)."""

    def _render_row(self, row: ArticleSummary, width: int, selected: bool) -> Text:
        return render_article_row(row, width, selected, draft=row.id in self.draft_ids)
