"""What the feeds pane shows on each line: the entry it stands for, a mark for the feed's last
refresh (core/feeds/outcome.feed_state), the title and the unread count.

Labels are built as Text ("mark title count"); `fit_label` lays one out in the width the line
has: the title ellipsised, the count always shown, right-aligned.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from blogtui.core.feeds.outcome import Outcome, feed_state
from blogtui.core.models import Feed
from blogtui.ui.display import display_text, glyph, terminal_encoding

ERROR_MARKER = "!"
"""Shown before a feed whose last refresh failed; `i` tells why."""


STARRED_KEY = "starred"
"""The key of the "Starred" entry: the starred articles of every feed."""
STARRED_TITLE = "Starred"


@dataclass(frozen=True)
class FeedEntry:
    """What one tree node stands for: all feeds, the starred articles, a folder, or one feed."""

    key: str
    """Stable identity across rebuilds: "all", "starred", "folder:<path>" or "feed:<id>"."""
    feed_ids: tuple[int, ...] | None
    """The feeds it covers; None for all (and for "starred": the starred ones of all)."""
    feed: Feed | None = None

    @property
    def starred(self) -> bool:
        """Whether it stands for the starred articles only."""
        return self.key == STARRED_KEY


def feed_mark(feed: Feed) -> tuple[str, str]:
    """The mark (and its style) of a feed's last refresh: failed "!", gone "✗", waiting "…",
    repaired "~"; ("", "") when it went well or never ran."""
    word, _ = feed_state(feed)
    if word is Outcome.FAILED:
        return ERROR_MARKER, "bold red"
    if word is Outcome.GONE:
        return glyph("✗", "x"), "bold red"
    if word is Outcome.WAITING:
        return glyph("…", "~"), "yellow"
    if word is Outcome.REPAIRED:
        return "~", "yellow"
    return "", ""


@functools.lru_cache(maxsize=4096)
def _title(title: str, encoding: str) -> Text:
    """A feed title as labels show it (sanitised, clipped), for the terminal's `encoding`.
    Counts change far more often than titles: marking 1,000 feeds read relabels them all with
    the titles they had. Never changed in place (labels copy it)."""
    return display_text(title, limit=80)


def feed_label(feed: Feed) -> Text:
    """A feed's label: refresh mark, sanitised title, unread count. Never markup."""
    label = Text(end="")
    mark, style = feed_mark(feed)
    if mark:
        label.append(f"{mark} ", style=style)
    label.append_text(_title(feed.display_title, terminal_encoding()))
    if feed.unread:
        label.append(f" {feed.unread}", style="bold")
    return label


def group_label(name: str, unread: int) -> Text:
    """A folder's (or "All articles") label with its unread total."""
    label = display_text(name, "bold", limit=80)
    if unread:
        label.append(f" {unread}", style="bold")
    return label


def fit_label(label: Text, count: int, width: int) -> Text:
    """`label` (ending in " <count>" when count > 0) in `width` cells: the part before the
    count ellipsised, the count right-aligned and always whole."""
    if width <= 0:
        return label
    suffix = f" {count}" if count else ""
    head = label[: len(label) - len(suffix)] if suffix else label.copy()
    tail = label[len(label) - len(suffix) :] if suffix else Text("")
    room = width - cell_len(suffix)
    if room < 2:
        return tail if suffix else head
    if head.cell_len > room:
        head.truncate(room - 1)
        head.rstrip()
        head.append("…")
    head.pad_right(room - head.cell_len)
    head.append_text(tail)
    return head
