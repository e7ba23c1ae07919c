"""The feed dialogs: add a feed (discovery), and a feed's details (`i`).

Adding: each Enter starts a discovery attempt; only the latest attempt may answer, and only
while the dialog is on screen, once. A superseded attempt stops (its thread goes back to the
pool at once: Textual's thread workers share asyncio's default executor, six threads on a
2-core machine, and every worker of the app waits once they are all taken).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import httpx
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static
from textual.worker import get_current_worker

from blogtui.core.errors import BlogtuiError
from blogtui.core.feeds.logins import redact
from blogtui.core.feeds.outcome import feed_state
from blogtui.core.models import Feed
from blogtui.ui.display import display, display_text
from blogtui.ui.screens.dialogs import LinePrompt, NoAnswerDialog
from blogtui.ui.widgets.article_view import format_date

if TYPE_CHECKING:
    from blogtui.core.feeds.discover import Discovered

STOP_CHECK = 0.05
"""Seconds between two looks, during a discovery, at whether a newer attempt replaced it."""
REMOVE_HINT = "remove it with d (or `blogtui remove`)"


class AddFeedScreen(LinePrompt["Discovered"]):
    """Asks for a URL and finds its feed in a worker; dismisses with a Discovered or None."""

    def __init__(self, client_factory: Callable[[], httpx.AsyncClient]) -> None:
        super().__init__("Add a feed", placeholder="https://example.com/ or a feed URL")
        self.client_factory = client_factory
        self.attempt = 0
        """The latest discovery attempt; only its answer counts."""
        self.closed = False
        """Dismissed (found, or closed by the user): no answer counts any more."""

    def submit(self, value: str) -> None:
        """Start discovery for the URL entered; the dialog stays open until it ends."""
        if value and not self.closed:
            self.attempt += 1
            self._status(f"Looking for a feed at {redact(value)}…")
            self._discover(value, self.attempt)

    def action_close(self) -> None:
        """Close without an answer; a discovery still running is stopped and ignored."""
        self.closed = True
        self.workers.cancel_node(self)
        super().action_close()

    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#prompt-error", Static)
        status.set_class(error, "-error")
        status.update(display_text(message, multiline=True, limit=1000))

    @work(thread=True, exclusive=True, exit_on_error=False, group="discover")
    def _discover(self, url: str, attempt: int) -> None:
        """Discovery in a thread with its own loop, so parsing never stalls the UI; it stops as
        soon as a newer attempt (or closing) cancels this worker."""
        from blogtui.core.feeds.discover import discover_feed

        worker = get_current_worker()

        async def run() -> Discovered | None:
            async with self.client_factory() as client:
                task = asyncio.ensure_future(discover_feed(client, url))
                while not task.done():
                    await asyncio.wait({task}, timeout=STOP_CHECK)
                    if worker.is_cancelled and not task.done():
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError, Exception):
                            await task  # ended before its client closes
                        return None
                return task.result()

        answer: Discovered | str | None
        try:
            answer = asyncio.run(run())
        except BlogtuiError as error:
            answer = error.message
        except Exception as error:  # noqa: BLE001 - any failure is shown, the dialog stays
            answer = f"{type(error).__name__}: {error}"
        if answer is not None and not worker.is_cancelled:
            try:
                self.app.call_from_thread(self._answered, attempt, answer)
            except RuntimeError:  # the app has ended meanwhile
                pass

    def _answered(self, attempt: int, answer: Discovered | str) -> None:
        """Show a failure, or close with the feed found: only for the latest attempt, while
        this dialog is the screen on top, once."""
        if attempt != self.attempt or self.closed or self.app.screen is not self:
            return
        if isinstance(answer, str):
            self._status(answer, True)
            return
        self.closed = True
        self.dismiss(answer)


def feed_details(feed: Feed, *, login: bool = False) -> Text:
    """The fetch state of `feed`, one "name: value" per line, all sanitised."""
    word, detail = feed_state(feed)
    last = "never" if word is None else (f"{word}: {detail}" if detail else str(word))
    next_try = ""
    if feed.gone:
        next_try = f"never (gone); {REMOVE_HINT}"
    elif feed.next_fetch is not None:
        next_try = format_date(feed.next_fetch)
    rows = [
        ("Title", feed.display_title),
        ("URL", feed.url),
        ("Site", feed.site_url),
        ("Folder", feed.folder),
        ("Articles", f"{feed.total} ({feed.unread} unread)"),
        ("Last refresh", last),
        ("Last status", "" if feed.last_status is None else str(feed.last_status)),
        ("Last checked", format_date(feed.last_checked) or "never"),
        ("Next try", next_try or "on the next refresh"),
        ("Encoding", feed.encoding),
        ("Login", "kept in the credential store" if login else ""),
        ("ETag", feed.etag),
        ("Last-Modified", feed.last_modified),
    ]
    text = Text(end="")
    for name, value in rows:
        if value:
            text.append(f"{name}: ", style="bold")
            text.append(display(value, limit=2000) + "\n")
    return text


class FeedDetailsScreen(NoAnswerDialog[None]):
    """A feed's URL, last refresh (word and detail), next try, encoding, login and validators."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i,enter", "close", "Close", show=False)
    ]

    def __init__(self, feed: Feed, *, login: bool = False) -> None:
        super().__init__()
        self.feed = feed
        self.login = login

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Feed details"), classes="dialog-title")
            yield Static(feed_details(self.feed, login=self.login), id="feed-details")
