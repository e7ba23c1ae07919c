"""Replies to you: an app-lifetime service that announces new replies to your comments once.

After a refresh (and after an open thread was refreshed) it looks for unseen replies, reloading
the watched threads from their blogs first when asked; each reply is announced once a session.
Its worker only posts `Checked` (to the app, which hands it to `checked`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from blogtui.core.models import Comment
from blogtui.core.text.sentence import end_sentence
from blogtui.ui.display import display

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App

    from blogtui.core.store import Store


def replies_text(fresh: list[Comment]) -> str:
    """The toast about new replies: how many and from whom."""
    names = sorted({display(c.author, limit=40) or "Anonymous" for c in fresh})
    count = len(fresh)
    who = ", ".join(names[:3]) + (" and others" if len(names) > 3 else "")
    said = end_sentence(f"{count} new repl{'y' if count == 1 else 'ies'} to you from {who}")
    return f"{said} Press W."


class RepliesWatch:
    """Looks for replies to your comments and tells of each new one once."""

    @dataclass
    class Checked(Message):
        """The unseen replies to the user's comments."""

        replies: list[Comment]

    def __init__(self, app: App[None], store: Store, refresh_watched: Callable[[], int]) -> None:
        self.app = app
        self.store = store
        self.refresh_watched = refresh_watched
        """Reloads the watched threads from their blogs (in a worker); returns how many failed."""
        self.told: frozenset[int] = frozenset()
        """Replies already announced in this session."""

    def check(self, fetch: bool = False) -> None:
        """Look for unseen replies to your comments (`fetch`: reload their threads first)."""
        self.app.run_worker(
            partial(self._check, fetch), thread=True, exit_on_error=False, group="watch"
        )

    def _check(self, fetch: bool) -> None:
        if fetch:
            self.refresh_watched()
        self.app.post_message(self.Checked(self.store.replies_to_me()))

    def checked(self, message: Checked) -> None:
        """Announce the replies not announced yet."""
        fresh = [c for c in message.replies if c.id not in self.told]
        self.told = self.told | {c.id for c in message.replies}
        if fresh:
            self.app.notify(replies_text(fresh), title="Replies to you", markup=False)
