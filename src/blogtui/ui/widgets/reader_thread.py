"""The comment thread as the reader shows it: `r` refreshes it, a status line sits above it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message

from blogtui.ui.keys import THREAD_BINDINGS
from blogtui.ui.widgets.comment_layout import thread_heading
from blogtui.ui.widgets.comment_thread import CommentThread


def thread_status(
    count: int,
    *,
    refreshing: bool = False,
    failed: bool = False,
    offered: bool = True,
    provider: str = "",
) -> str:
    """The line above the thread: its heading (`thread_heading`: where from, how many, what a
    reply does), and whether a refresh runs or failed; `offered` False: the blog offers no
    comments at all."""
    text = thread_heading(count, provider, offered=offered)
    if refreshing:
        text += " · refreshing…"
    elif failed:
        text += " · refresh failed"
    return text


class ReaderThread(CommentThread):
    """The comment thread under the article; `r` asks the screen to refresh it."""

    BINDINGS: ClassVar[list[BindingType]] = list(THREAD_BINDINGS)

    class RefreshRequested(Message):
        """The user asked for a fresh copy of the thread (key r)."""

    def action_refresh_thread(self) -> None:
        """Ask the reader to fetch the thread again."""
        self.post_message(self.RefreshRequested())
