"""The comment thread under the open article: loading, refreshing, seen marks, keys.

Opening an article shows its stored thread at once, then a thread worker refreshes it from
the blog (`load_thread_sync`) and the result replaces it in place (cursor and scroll kept).
A failed refresh keeps the stored thread; the widget shows why as a notice. A mixin of
MainScreen, kept apart so each file stays readable.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.worker import get_current_worker

from blogtui.core.models import Article
from blogtui.ui import messages
from blogtui.ui.widgets.article_view import ReaderThread
from blogtui.ui.widgets.comment_layout import no_comments_found
from blogtui.ui.widgets.comment_thread import CommentThread

if TYPE_CHECKING:
    from blogtui.ui.screens.main import MainScreen

    _Base = MainScreen
else:
    # A Screen, so Textual's metaclass registers the @on handlers defined here.
    from textual.screen import Screen

    _Base = Screen


def load_thread_sync(*args: Any, **kwargs: Any) -> Any:
    """ui.comment_loading.load_thread_sync, imported on first use (it pulls in httpx and the
    comment providers); a module attribute so tests can replace it."""
    from blogtui.ui.comment_loading import load_thread_sync as load

    return load(*args, **kwargs)


def thread_status(count: int, *, refreshing: bool = False, failed: bool = False) -> str:
    """The line above the thread: how many comments, and whether a refresh runs or failed."""
    text = f"Comments ({count})"
    if refreshing:
        text += " · refreshing…"
    elif failed:
        text += " · refresh failed"
    return text


class Threads(_Base):
    """The comment thread of the open article."""

    # -- loading ----------------------------------------------------------------------------

    def load_thread(self, article: Article) -> None:
        """Show `article`'s stored thread, then refresh it in the background."""
        self.reader.set_thread_status(thread_status(0, refreshing=True))
        self._fetch_thread(article, opening=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="thread")
    def _fetch_thread(self, article: Article, opening: bool) -> None:
        """Post the stored thread (when opening), then fetch, store and post the fresh one.

        The visit is recorded after the state is read, so comments stored since the last
        visit show as new; on a first visit only after the fetch, so nothing counts as new.
        """
        store = self.blogtui.store
        first_visit = False
        if opening:
            before = store.thread_state(article.id)
            comments = store.comments_for(article.id)
            self.post_message(messages.ThreadLoaded(article.id, comments, before, False))
            first_visit = before.last_visit is None
            if not first_visit:
                store.visit_thread(article.id)
        try:
            deadline = self.blogtui.config.fetch_timeout
            factory = self.blogtui.make_client
            result = load_thread_sync(store, article, deadline=deadline, client_factory=factory)
            comments = result.comments
            state = store.thread_state(article.id)
        except Exception as error:  # noqa: BLE001 - any failure: keep the stored thread
            comments = store.comments_for(article.id)
            state = replace(store.thread_state(article.id), error=f"{error}" or repr(error))
        finally:
            if first_visit:
                store.visit_thread(article.id)
        if not get_current_worker().is_cancelled:
            self.post_message(messages.ThreadLoaded(article.id, comments, state, True))

    @on(messages.ThreadLoaded)
    def _thread_loaded(self, message: messages.ThreadLoaded) -> None:
        article = self.reader.article
        if article is None or article.id != message.article_id:
            return  # a late answer for an article no longer open
        self.reader.show_thread(
            message.comments,
            message.state,
            post_author=article.author,
            keep_position=message.refreshed,
        )
        count = len(message.comments)
        failed = bool(message.state.error) and not no_comments_found(message.state.error)
        self.reader.set_thread_status(
            thread_status(count, refreshing=not message.refreshed, failed=failed)
        )
        if message.refreshed:
            self.article_list.refresh_rows([message.article_id])

    @on(ReaderThread.RefreshRequested)
    def _refresh_requested(self, event: ReaderThread.RefreshRequested) -> None:
        event.stop()
        self.action_refresh_thread()

    def action_refresh_thread(self) -> None:
        """Fetch the open article's thread again, keeping the cursor where it is."""
        article = self.reader.article
        if article is None:
            self.notify("No article is open.", severity="warning", markup=False)
            return
        count = len(self.reader.thread.thread_layout.entries)
        self.reader.set_thread_status(thread_status(count, refreshing=True))
        self._fetch_thread(article, opening=False)

    # -- seen marks -------------------------------------------------------------------------

    @on(CommentThread.SeenComments)
    def _comments_shown(self, event: CommentThread.SeenComments) -> None:
        event.stop()
        article = self.reader.article
        if article is not None and event.ids:
            self._mark_seen(article.id, list(event.ids))

    @work(thread=True, exit_on_error=False, group="seen")
    def _mark_seen(self, article_id: int, comment_ids: list[int]) -> None:
        self.blogtui.store.mark_seen(comment_ids)
        self.post_message(messages.CommentsSeen(article_id))

    @on(messages.CommentsSeen)
    def _comments_seen(self, message: messages.CommentsSeen) -> None:
        self.article_list.refresh_rows([message.article_id])

    # -- keys -------------------------------------------------------------------------------

    def action_thread_only(self) -> None:
        """Let the thread fill the reader pane, or put the article back above it."""
        only = not self.reader.thread_only
        self.reader.set_thread_only(only)
        if only:
            self.reader.thread.focus()
        elif self.focused is self.reader.thread:
            self.reader.scroll_to_widget(self.reader.comments_slot, top=True, animate=False)

    def action_focus_thread(self) -> None:
        """Move the focus into the open article's comment thread."""
        if self.reader.article is None:
            self.notify("Open an article first.", severity="warning", markup=False)
            return
        self.reader.thread.focus()

    def step_into_thread(self, step: int) -> bool:
        """tab/l from the article enter its thread, shift+tab/h leave it; True if it moved."""
        focused = self.focused
        if step > 0 and focused is self.reader and self.reader.article is not None:
            self.reader.thread.focus()
            return True
        if step < 0 and focused is self.reader.thread and not self.reader.thread_only:
            self.reader.focus()
            return True
        return False
