"""The refresh row under the panes: it runs refreshes and shows their progress.

`start` fetches feeds in a thread worker (never two refreshes at once); the bar shows while one
runs and tells the screen `Finished` with the summary. After a refresh (and a little after
start-up) it adds what refreshes stored to the search index, a short transaction at a time.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, get_current_worker

from blogtui.core.models import Feed
from blogtui.ui import messages
from blogtui.ui.display import display

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from blogtui.core.feeds.refresh import FeedOutcome, RefreshSummary
    from blogtui.ui.context import AppContext

INDEX_DELAY = 2.0
"""Seconds after start before articles that refreshes left unindexed are indexed for search."""
INDEX_PAUSE = 0.02
"""Seconds between two search-indexing transactions, so other writers get their turn."""


def refresh_summary(summary: RefreshSummary) -> str:
    """One line telling how a refresh went, in the outcome words of `blogtui refresh`
    (core/feeds/outcome.py); when a feed needs the user (failed, gone), where to look."""
    text = summary.describe()
    if summary.exit_status:
        text += "; i on a marked feed shows why"
    return text


def refresh_severity(summary: RefreshSummary) -> SeverityLevel:
    """A warning when a feed failed or is gone (what makes `blogtui refresh` exit 1)."""
    return "warning" if summary.exit_status else "information"


class RefreshBar(Horizontal):
    """ "Refreshing <feed>" and a progress bar, shown (class `-running`) while a refresh runs."""

    progress = getters.query_one("#progress", ProgressBar)
    label = getters.query_one("#progress-label", Static)

    @dataclass
    class Finished(Message):
        """A refresh ended: its summary and the feeds with their new counts."""

        summary: RefreshSummary
        feeds: list[Feed]

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.context = context

    def compose(self) -> ComposeResult:
        yield Static(Text("Refreshing"), id="progress-label")
        yield ProgressBar(id="progress", show_eta=False)

    def on_mount(self) -> None:
        self.set_timer(INDEX_DELAY, self.index_for_search)

    @property
    def running(self) -> bool:
        """Whether a refresh runs now."""
        return any(w.group == "refresh" and not w.is_finished for w in self.workers)

    def start(self, feeds: list[Feed]) -> None:
        """Start a background refresh of `feeds` unless one is running."""
        if not feeds and not self.context.store.account_states():  # accounts: their sync
            self.notify("No feeds to refresh.", markup=False)
            return
        if self.running:
            self.notify("A refresh is already running.", markup=False)
            return
        self.progress.update(total=len(feeds), progress=0)
        self.add_class("-running")
        self._refresh(feeds)

    @work(thread=True, exit_on_error=False, group="refresh")
    def _refresh(self, feeds: list[Feed]) -> None:
        """refresh_feeds on its own event loop, in a thread: the UI loop never waits on it."""
        from blogtui.core.feeds.refresh import refresh_feeds
        from blogtui.core.sync.run import sync_if_any

        context = self.context

        def progressed(outcome: FeedOutcome) -> None:
            self.post_message(messages.RefreshProgress(outcome))

        async def run() -> RefreshSummary:
            async with context.make_client() as client:
                summary = await refresh_feeds(
                    context.store,
                    feeds,
                    context.config,
                    client=client,
                    on_progress=progressed,
                )
                for report in await sync_if_any(context.store, context.places.secrets_dir, client):
                    severity = "error" if report.error else "information"
                    self.app.call_from_thread(
                        self.notify, report.summary(), severity=severity, markup=False
                    )
                return summary

        summary = asyncio.run(run())
        self.post_message(messages.RefreshFinished(summary, context.store.list_feeds()))

    @on(messages.RefreshProgress)
    def _refresh_progress(self, message: messages.RefreshProgress) -> None:
        self.progress.advance(1)
        self.label.update(Text(f"Refreshing {display(message.outcome.url, limit=60)}"))

    @on(messages.RefreshFinished)
    def _refresh_finished(self, message: messages.RefreshFinished) -> None:
        message.stop()
        self.remove_class("-running")
        self.post_message(self.Finished(message.summary, message.feeds))
        self.index_for_search()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "refresh" and event.worker.is_finished:
            self.remove_class("-running")
        if (failed := messages.worker_failed(event, self.context.places.database)) is not None:
            self.post_message(failed)

    @work(thread=True, exit_on_error=False, group="index", exclusive=True)
    def index_for_search(self) -> None:
        """Add what refreshes stored to the search index, a short transaction at a time
        (a search catches up by itself when it comes first)."""
        worker = get_current_worker()
        while not worker.is_cancelled and self.context.store.index_pending():
            time.sleep(INDEX_PAUSE)
