"""Managing feeds from the main screen: add, remove, rename, details, mark read, refresh.

A mixin of MainScreen, kept apart so each file stays readable.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker

from blogtui.core.models import Feed
from blogtui.ui import messages
from blogtui.ui.display import display

if TYPE_CHECKING:
    from blogtui.ui.screens.main import MainScreen

    _Base = MainScreen
else:
    # A Screen, so Textual's metaclass registers the @on handlers defined here.
    from textual.screen import Screen

    _Base = Screen

INDEX_PAUSE = 0.02
"""Seconds between two search-indexing transactions, so other writers get their turn."""


def refresh_summary(summary: Any) -> str:
    """One line telling how a refresh went."""
    parts = [f"{summary.new_articles} new article{'s' if summary.new_articles != 1 else ''}"]
    parts.append(f"{summary.ok} feed{'s' if summary.ok != 1 else ''} updated")
    if summary.not_modified:
        parts.append(f"{summary.not_modified} unchanged")
    if summary.failed:
        parts.append(f"{summary.failed} failed (i shows why)")
    return ", ".join(parts)


class FeedActions(_Base):
    """Feed management and refreshing."""

    def _feed_or_warn(self) -> Feed | None:
        feed = self.feed_list.current_feed
        if feed is None:
            self.notify("Put the cursor on a feed first.", severity="warning", markup=False)
        return feed

    # -- add --------------------------------------------------------------------------------

    def action_add_feed(self) -> None:
        """Ask for a URL, find its feed, subscribe and fetch it."""
        from blogtui.ui.screens.dialogs import AddFeedScreen

        def added(found: object) -> None:
            if found is not None:
                self._subscribe(found)

        self.app.push_screen(AddFeedScreen(self.blogtui.make_client), added)

    @work(thread=True, exit_on_error=False, group="feeds-write")
    def _subscribe(self, found: Any) -> None:
        feed, created = self.blogtui.store.add_feed(found.feed_url, found.title, found.site_url)
        self.post_message(messages.FeedAdded(feed, created))

    @on(messages.FeedAdded)
    def _feed_added(self, message: messages.FeedAdded) -> None:
        title = display(message.feed.display_title, limit=100)
        if not message.created:
            self.notify(f"Already subscribed to {title}.", markup=False)
        else:
            self.notify(f"Subscribed to {title}.", markup=False)
            self.start_refresh([message.feed])
        self.feed_list.show_feeds([*self.feed_list.feeds, message.feed])
        self.feed_list.select_key(f"feed:{message.feed.id}")
        self.load_feeds()

    # -- remove, rename, details, mark read -------------------------------------------------

    def action_remove_feed(self) -> None:
        """Unsubscribe from the feed under the cursor, after confirming."""
        from blogtui.ui.screens.dialogs import ConfirmScreen

        feed = self._feed_or_warn()
        if feed is None:
            return
        question = f"Remove {feed.display_title} and its {feed.total} articles?\n{feed.url}"

        def answered(yes: object) -> None:
            if yes is True:
                self._feeds_write(self.blogtui.store.remove_feed, feed.id)

        self.app.push_screen(ConfirmScreen("Remove feed", question, yes="Remove"), answered)

    def action_rename_feed(self) -> None:
        """Give the feed under the cursor a title of your own (empty restores its own)."""
        from blogtui.ui.screens.dialogs import PromptScreen

        feed = self._feed_or_warn()
        if feed is None:
            return

        def renamed(title: object) -> None:
            if isinstance(title, str):
                self._feeds_write(self.blogtui.store.rename_feed, feed.id, title)

        prompt = PromptScreen("Rename feed", display(feed.display_title), "its own title")
        self.app.push_screen(prompt, renamed)

    def action_feed_details(self) -> None:
        """Show the fetch state of the feed under the cursor, its last error included."""
        from blogtui.ui.screens.dialogs import FeedDetailsScreen

        feed = self._feed_or_warn()
        if feed is not None:
            self.app.push_screen(FeedDetailsScreen(feed))

    def action_mark_feed_read(self) -> None:
        """Mark every article of the selected feed (or folder, or all) read."""
        scope = self.scope.feed_ids
        feed_ids = [f.id for f in self.feed_list.feeds] if scope is None else list(scope)
        for feed_id in feed_ids:
            self._feeds_write(self.blogtui.store.mark_feed_read, feed_id)

    @work(thread=True, exit_on_error=False, group="feeds-write")
    def _feeds_write(self, change: Any, *args: Any) -> None:
        """Run one store change, then reload feeds and the list."""
        change(*args)
        self.post_message(messages.FeedsLoaded(self.blogtui.store.list_feeds(), relist=True))

    # -- refresh ----------------------------------------------------------------------------

    def action_refresh_all(self) -> None:
        """Fetch every feed in the background."""
        self.start_refresh(list(self.feed_list.feeds))

    def action_refresh_feed(self) -> None:
        """Fetch the selected feed (or the feeds of the selected folder)."""
        ids = self.scope.feed_ids
        self.start_refresh([f for f in self.feed_list.feeds if ids is None or f.id in ids])

    def start_refresh(self, feeds: list[Feed]) -> None:
        """Start a background refresh of `feeds` unless one is running."""
        if not feeds:
            self.notify("No feeds to refresh.", markup=False)
            return
        if any(w.group == "refresh" and not w.is_finished for w in self.workers):
            self.notify("A refresh is already running.", markup=False)
            return
        bar = self.query_one("#progress")
        bar.update(total=len(feeds), progress=0)  # type: ignore[attr-defined]
        self.query_one("#progress-row").add_class("-running")
        self._refresh(feeds)

    @work(thread=True, exit_on_error=False, group="refresh")
    def _refresh(self, feeds: list[Feed]) -> None:
        """refresh_feeds on its own event loop, in a thread: the UI loop never waits on it."""
        from blogtui.core.feeds.refresh import refresh_feeds

        app = self.blogtui

        async def run() -> Any:
            client = app.make_client()
            async with client:
                return await refresh_feeds(
                    app.store,
                    feeds,
                    app.config,
                    client=client,
                    on_progress=lambda outcome: self.post_message(
                        messages.RefreshProgress(outcome)
                    ),
                )

        summary = asyncio.run(run())
        self.post_message(messages.RefreshFinished(summary, app.store.list_feeds()))

    @on(messages.RefreshProgress)
    def _refresh_progress(self, message: messages.RefreshProgress) -> None:
        self.query_one("#progress").advance(1)  # type: ignore[attr-defined]
        label = display(getattr(message.outcome, "url", ""), limit=60)
        self.query_one("#progress-label").update(Text(f"Refreshing {label}"))  # type: ignore[attr-defined]

    @on(messages.RefreshFinished)
    def _refresh_finished(self, message: messages.RefreshFinished) -> None:
        self.query_one("#progress-row").remove_class("-running")
        self.feed_list.show_feeds(message.feeds)
        self.list_articles(keep_cursor_on=self.article_list.cursor_id)
        severity = "warning" if message.summary.failed else "information"
        text = refresh_summary(message.summary)
        self.notify(text, title="Refresh done", severity=severity, markup=False)
        self.index_for_search()

    @work(thread=True, exit_on_error=False, group="index", exclusive=True)
    def index_for_search(self) -> None:
        """Add what refreshes stored to the search index, a short transaction at a time
        (a search catches up by itself when it comes first)."""
        worker = get_current_worker()
        while not worker.is_cancelled and self.blogtui.store.index_pending():
            time.sleep(INDEX_PAUSE)
