"""The comment thread as the reader shows it: `r` refreshes it, `S` chooses its source, `E`
looks up discussions, `i` tells about it; a status line sits above it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message

from blogtui.core.text.sanitize import clean
from blogtui.ui import messages
from blogtui.ui.keys import THREAD_BINDINGS
from blogtui.ui.widgets.comment_layout import no_comments_found, offers_no_comments, thread_heading
from blogtui.ui.widgets.comment_thread import CommentThread


def thread_status(
    count: int,
    *,
    refreshing: bool = False,
    failed: bool = False,
    offered: bool = True,
    provider: str = "",
    source: str = "",
    account: bool = False,
    others: str = "",
    note: str = "",
) -> str:
    """The line above the thread: its heading (`thread_heading`: where from, how many, what a
    reply does), and whether a refresh runs or failed; `offered` False: the blog offers no
    comments at all; `others` points at the article's further sources; `note` is a line about
    the source from the read just done ("GitHub: 58 of 60 requests left this hour")."""
    text = thread_heading(count, provider, offered=offered, source=source, account=account)
    if note:
        text += f" · {clean(note, limit=120)}"
    if refreshing:
        text += " · refreshing…"
    elif failed:
        text += " · refresh failed"
    return f"{text} · {others}" if others else text


def others_note(key: str, count: int) -> str:
    """How the status line points at `count` further sources ("S: 2 more sources")."""
    if not count:
        return ""
    return f"{key}: {count} more source{'s' if count > 1 else ''}"


def loaded_status(message: messages.ThreadLoaded, source_key: str = "S") -> str:
    """The status line for a thread just shown (stored, or after a refresh); `source_key`
    chooses among the article's further sources."""
    count, error = len(message.comments), message.state.error
    offered = not offers_no_comments(message.state, count)
    failed = bool(error) and not no_comments_found(error) and offered
    return thread_status(count, refreshing=not message.refreshed, failed=failed, offered=offered,
                         provider=message.state.provider, source=message.source,
                         account=message.account, note=message.note,
                         others=others_note(source_key, message.sources))  # fmt: skip


class ReaderThread(CommentThread):
    """The comment thread under the article; `r` asks the reader to refresh it, `S`, `E` and
    `i` ask for the source dialogs (ui/widgets/source_desk.py)."""

    BINDINGS: ClassVar[list[BindingType]] = list(THREAD_BINDINGS)

    class RefreshRequested(Message):
        """The user asked for a fresh copy of the thread (key r)."""

    class SourceRequested(Message):
        """The user asked to choose the source ("choose"), to look up discussions
        ("discussions") or for the thread's details ("details")."""

        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    def action_refresh_thread(self) -> None:
        """Ask the reader to fetch the thread again."""
        self.post_message(self.RefreshRequested())

    def action_choose_source(self) -> None:
        """Ask for the list of the article's comment sources."""
        self.post_message(self.SourceRequested("choose"))

    def action_discussions(self) -> None:
        """Ask for the article's discussions elsewhere (Hacker News, Lobsters)."""
        self.post_message(self.SourceRequested("discussions"))

    def action_thread_details(self) -> None:
        """Ask what comment systems were found and which one is shown."""
        self.post_message(self.SourceRequested("details"))
