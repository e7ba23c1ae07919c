"""Where each comment block of a thread goes: folds, wrapping, line positions.

Layout is progressive: blocks get exact heights (their text extracted and wrapped) from the top
down, on demand for the lines being drawn or the comment being moved to, and in small chunks
in the background; blocks further down carry an estimate until then. Blocks above the ones
shown are always exact, so refining never moves what is on screen.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from itertools import accumulate

from blogtui.core.models import Comment
from blogtui.ui.widgets.comment_layout import (
    MAX_INDENT,
    MAX_LINES,
    MIN_TEXT_WIDTH,
    Entry,
    build_entries,
    comment_texts,
    wrap,
)

CHUNK = 64
"""Blocks made exact per step."""
SHORT_LINES = 16
"""Lines of a comment's text shown until the user asks for all of it (`expanded`)."""


def text_width(entry: Entry, width: int) -> int:
    """Columns left for a comment's text behind its guides."""
    return max(MIN_TEXT_WIDTH, width - 2 * min(entry.depth, MAX_INDENT) - 2)


class ThreadLayout:
    """Which comments show (folds) and on which line each block starts, at one width."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.folded: set[int] = set()
        """Entries whose replies are hidden."""
        self.expanded: set[int] = set()
        """Entries whose whole text shows (others stop after SHORT_LINES lines)."""
        self.visible: list[int] = []
        """Shown entries, ascending."""
        self.starts: list[int] = []
        """First line of each shown entry's block (exact up to `exact`, estimated after)."""
        self.exact = 0
        """How many shown blocks (from the top) have exact heights."""
        self.notice_lines: list[str] = []
        self.width = -1
        self._heights: list[int] = []
        self._texts: dict[int, tuple[str, str]] = {}

    @property
    def total(self) -> int:
        """Lines of the whole thread (partly estimated until `done`)."""
        if not self.visible:
            return len(self.notice_lines) + (0 if self.entries else 1)
        return self.starts[-1] + self._heights[-1]

    @property
    def done(self) -> bool:
        """Whether every shown block has its exact height."""
        return self.exact >= len(self.visible)

    def load(
        self,
        comments: Sequence[Comment],
        folded_keys: set[str],
        expanded_keys: Collection[str] = (),
    ) -> None:
        """Take a new thread; reuse the text (and wrapping) of comments whose HTML is unchanged.
        The comments with `folded_keys` are folded, those with `expanded_keys` shown whole."""
        old = {entry.comment.id: entry for entry in self.entries}
        texts, self._texts = self._texts, {}
        self.entries = build_entries(comments)
        for entry in self.entries:
            comment = entry.comment
            cached = texts.get(comment.id)
            if cached is not None and cached[0] == comment.content:
                self._texts[comment.id] = cached
                previous = old.get(comment.id)
                entry.wrapped = previous.wrapped if previous is not None else None
        self.folded = {i for i, e in enumerate(self.entries) if e.comment.key in folded_keys}
        self.expanded = {i for i, e in enumerate(self.entries) if e.comment.key in expanded_keys}
        self.width = -1

    def wrapped(self, index: int) -> tuple[list[str], int]:
        """The whole wrapped text of entry `index` (up to MAX_LINES) and how many lines that
        left out (cached per width)."""
        entry = self.entries[index]
        columns = text_width(entry, self.width)
        if entry.wrapped is None or entry.wrapped[0] != columns:
            comment = entry.comment
            cached = self._texts.get(comment.id)
            if cached is None:
                self._extract([comment])
                cached = self._texts[comment.id]
            entry.wrapped = (columns, *wrap(cached[1], columns))
        return entry.wrapped[1], entry.wrapped[2]

    def lines(self, index: int) -> tuple[list[str], int]:
        """The lines of entry `index` shown, and how many more it has."""
        lines, more = self.wrapped(index)
        return _shown(lines, more, index in self.expanded)

    def can_expand(self, index: int) -> bool:
        """Whether entry `index` is cut short and the show-more key would show more."""
        return index not in self.expanded and len(self.wrapped(index)[0]) > SHORT_LINES

    def height(self, index: int) -> int:
        """Lines of entry `index`'s block: header, text, "more" note, spacer."""
        lines, more = self.lines(index)
        return len(lines) + (3 if more else 2)

    def _estimate(self, index: int) -> int:
        entry = self.entries[index]
        columns = text_width(entry, self.width)
        if entry.wrapped is not None and entry.wrapped[0] == columns:
            lines, more = _shown(entry.wrapped[1], entry.wrapped[2], index in self.expanded)
            return len(lines) + (3 if more else 2)
        limit = MAX_LINES if index in self.expanded else SHORT_LINES + 1
        return 2 + min(limit, max(1, len(entry.comment.content) // max(1, columns - 8)))

    def _extract(self, comments: list[Comment]) -> None:
        """Turn the HTML of those `comments` not yet cached into text, in batches."""
        todo = [comment for comment in comments if comment.id not in self._texts]
        for comment, text in zip(todo, comment_texts([c.content for c in todo]), strict=True):
            self._texts[comment.id] = (comment.content, text)

    def relayout(self, width: int, notes: list[str]) -> None:
        """Lay out at `width` with estimates; `refine` makes blocks exact."""
        self.width = width
        self.notice_lines = [line for note in notes for line in wrap(note, width, 20)[0]]
        if self.notice_lines:
            self.notice_lines.append("")
        visible: list[int] = []
        entries, folded, index = self.entries, self.folded, 0
        while index < len(entries):
            visible.append(index)
            index = entries[index].end if index in folded else index + 1
        self.visible = visible
        self._heights = [self._estimate(index) for index in visible]
        self.exact = 0
        self._restart(0)

    def _restart(self, pos: int) -> None:
        """Recompute block starts from position `pos` on (those before it are exact)."""
        if not self._heights:
            self.starts = []
            return
        first = self.starts[pos] if pos > 0 else len(self.notice_lines)
        self.starts[pos:] = accumulate(self._heights[pos:-1], initial=first)

    def refine(self, count: int = CHUNK) -> bool:
        """Make the next `count` blocks exact; returns whether any total changed."""
        start, stop = self.exact, min(self.exact + count, len(self.visible))
        if start >= stop:
            return False
        visible = self.visible
        self._extract([self.entries[visible[pos]].comment for pos in range(start, stop)])
        changed = False
        for pos in range(start, stop):
            height = self.height(visible[pos])
            changed = changed or height != self._heights[pos]
            self._heights[pos] = height
        self.exact = stop
        if changed:
            self._restart(start)
        return changed

    def ensure_pos(self, pos: int) -> None:
        """Make blocks exact down to shown position `pos` (inclusive)."""
        while self.exact <= min(pos, len(self.visible) - 1):
            self.refine(max(CHUNK, pos + 1 - self.exact))

    def ensure_line(self, line: int) -> None:
        """Make every block starting at or above `line` exact."""
        while not self.done and self.starts[self.exact] <= line:
            self.refine()

    def position(self, index: int) -> int:
        """Position of entry `index` among the shown ones, -1 if hidden."""
        pos = bisect_left(self.visible, index)
        return pos if pos < len(self.visible) and self.visible[pos] == index else -1

    def line_of(self, index: int) -> int:
        """First line of entry `index`'s block (0 when hidden), made exact first."""
        pos = self.position(index) if index >= 0 else -1
        if pos < 0:
            return 0
        self.ensure_pos(pos)
        return self.starts[pos]

    def block_height(self, index: int) -> int:
        """Lines of entry `index`'s block as laid out."""
        pos = self.position(index)
        if pos < 0:
            return 0
        self.ensure_pos(pos)
        return self._heights[pos]

    def locate(self, line: int) -> tuple[int, int]:
        """(entry index, line within its block) at `line`, or (-1, 0) off the comments."""
        self.ensure_line(line)
        if line >= self.total or not self.visible or line < self.starts[0]:
            return -1, 0
        pos = bisect_right(self.starts, line) - 1
        return self.visible[pos], line - self.starts[pos]

    def nearest_visible(self, index: int) -> int:
        """`index`, or its nearest ancestor shown when a fold hides it."""
        while index >= 0 and self.position(index) < 0:
            index = self.entries[index].parent
        return max(index, 0)


def _shown(lines: list[str], more: int, expanded: bool) -> tuple[list[str], int]:
    """What shows of wrapped `lines` (`more` left out already): all when `expanded`, else at
    most SHORT_LINES."""
    if expanded or len(lines) <= SHORT_LINES:
        return lines, more
    return lines[:SHORT_LINES], more + len(lines) - SHORT_LINES
