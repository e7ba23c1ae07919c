"""Reading: opening articles, read state, next/previous unread, links to the browser.

Opening an article also loads its comment thread (thread.py). A mixin of MainScreen, kept
apart so each file stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from blogtui.core.text.html import RenderedText, html_to_text
from blogtui.ui import messages
from blogtui.ui.browser import RefusedLink, checked_url, open_in_browser
from blogtui.ui.display import display
from blogtui.ui.widgets.row_list import RowList

if TYPE_CHECKING:
    from blogtui.ui.screens.main import MainScreen

    _Base = MainScreen
else:
    # A Screen, so Textual's metaclass registers the @on handlers defined here.
    from textual.screen import Screen

    _Base = Screen


class Reading(_Base):
    """Article opening, read state and links."""

    # -- opening ----------------------------------------------------------------------------

    @on(RowList.Selected, "#articles")
    def _article_selected(self, event: RowList.Selected) -> None:
        self.open_article(event.row_id)

    def open_article(self, article_id: int) -> None:
        """Show "Loading…" and render the article in a worker; opening marks it read.

        Opening the article already shown keeps it on screen (and its scroll position) until
        the fresh rendering replaces it.
        """
        shown = self.reader.article
        if shown is None or shown.id != article_id:
            row = self.article_list.get_row(article_id)
            self.reader.show_loading(row.title if row is not None else "")
        self._load_article(article_id)
        if self.narrow:
            self.focus_pane("reader")

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def _load_article(self, article_id: int) -> None:
        store = self.blogtui.store
        article = store.get_article(article_id)
        if article is None:
            self.post_message(messages.WorkFailed("Article gone", "That article no longer exists."))
            return
        if not article.read:
            store.set_read([article_id], True)
            self.post_message(messages.ReadStateChanged([article_id], True, store.list_feeds()))
        rendered = html_to_text(article.content, article.link)
        shown = RenderedText(display(rendered.text, multiline=True), rendered.links)
        self.post_message(messages.ArticleLoaded(article, shown))

    @on(messages.ArticleLoaded)
    def _article_loaded(self, message: messages.ArticleLoaded) -> None:
        shown = self.reader.article
        same = shown is not None and shown.id == message.article.id
        self.reader.show_article(message.article, message.rendered, keep_position=same)
        self.load_thread(message.article)

    # -- read state -------------------------------------------------------------------------

    @on(messages.ReadStateChanged)
    def _read_state_changed(self, message: messages.ReadStateChanged) -> None:
        self.feed_list.show_feeds(message.feeds)
        self.article_list.refresh_rows(message.article_ids)

    def action_toggle_read(self) -> None:
        """Mark the article under the cursor read, or unread again."""
        row = self.article_list.cursor_row
        if row is not None:
            self._set_read([row.id], not row.read)

    @work(thread=True, exit_on_error=False, group="read-state")
    def _set_read(self, article_ids: list[int], read: bool) -> None:
        store = self.blogtui.store
        store.set_read(article_ids, read)
        self.post_message(messages.ReadStateChanged(article_ids, read, store.list_feeds()))

    # -- next / previous unread -------------------------------------------------------------

    def action_next_unread(self, step: int) -> None:
        """Open the next (1) or previous (-1) unread article, moving on to other feeds."""
        feeds = [
            f.id for f in self.feed_list.feeds if f.unread or f.id in (self.scope.feed_ids or ())
        ]
        ids: list[int] | None = []
        if not self.search_text and not self.title_filter:
            # While only the list's first page shows, the worker reads the whole list.
            ids = None if self._list_partial else list(self.article_list.ids)
        self._find_unread(
            step, ids, self.article_list.cursor, self.scope.feed_ids, feeds, self.unread_only
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="next-unread")
    def _find_unread(
        self,
        step: int,
        ids: list[int] | None,
        cursor: int,
        scope: tuple[int, ...] | None,
        feed_order: list[int],
        unread_only: bool = False,
    ) -> None:
        """Look after (or before) the cursor in this list (None: the scope's whole list, read
        here), then through the other feeds."""
        store = self.blogtui.store
        if ids is None:
            ids = store.article_ids(None if scope is None else list(scope), unread_only=unread_only)
        unread = set(store.article_ids(None if scope is None else list(scope), unread_only=True))
        positions = range(cursor + 1, len(ids)) if step > 0 else range(cursor - 1, -1, -1)
        for index in positions:
            if ids[index] in unread:
                self.post_message(messages.UnreadFound(ids[index], -1))
                return
        if scope is not None and len(scope) == 1 and scope[0] in feed_order:
            start = feed_order.index(scope[0])
            others = feed_order[start + 1 :] if step > 0 else feed_order[:start][::-1]
            for feed_id in others:
                found = store.article_ids([feed_id], unread_only=True)
                if found:
                    self.post_message(messages.UnreadFound(found[0 if step > 0 else -1], feed_id))
                    return
        self.post_message(messages.WorkFailed("No more unread", "No unread articles left there."))

    @on(messages.UnreadFound)
    def _unread_found(self, message: messages.UnreadFound) -> None:
        if message.feed_id >= 0 and self.feed_list.select_key(f"feed:{message.feed_id}"):
            entry = self.feed_list.current
            if entry is not None:
                self.scope = entry
            self.list_articles(keep_cursor_on=message.article_id)
        else:
            self.article_list.set_rows(self.article_list.ids, keep_cursor_on=message.article_id)
        self.open_article(message.article_id)

    # -- links ------------------------------------------------------------------------------

    def action_open_link(self) -> None:
        """Offer to open the open article's own link in the browser."""
        article = self.reader.article
        if article is None or not article.link:
            self.notify("No article with a link is open.", severity="warning", markup=False)
            return
        self.confirm_browser(article.link)

    def action_follow_link(self) -> None:
        """Ask for a link number of the open article, then offer to open it."""
        from blogtui.ui.screens.dialogs import PromptScreen

        links = self.reader.links
        if not links:
            self.notify("The open article has no numbered links.", severity="warning", markup=False)
            return

        def follow(answer: object) -> None:
            if not isinstance(answer, str) or not answer:
                return
            digits = answer.strip().strip("[]")
            number = int(digits) if digits.isascii() and digits.isdigit() else 0
            if not 1 <= number <= len(links):
                self.notify(f"There is no link [{display(answer, limit=20)}].", markup=False)
                return
            self.confirm_browser(links[number - 1])

        prompt = PromptScreen(f"Follow link number (1-{len(links)})", placeholder="1")
        self.app.push_screen(prompt, follow)

    def confirm_browser(self, url: str) -> None:
        """Show the full URL and open it only when confirmed; refuse anything not allowed."""
        from blogtui.ui.screens.dialogs import ConfirmScreen

        try:
            safe = checked_url(url)
        except RefusedLink as refusal:
            self.notify(str(refusal), title="Link refused", severity="error", markup=False)
            return

        def answered(yes: object) -> None:
            if yes is True:
                self._open_browser(safe)

        dialog = ConfirmScreen("Open in the browser?", safe, yes="Open")
        self.app.push_screen(dialog, answered)

    @work(thread=True, exit_on_error=False, group="browser")
    def _open_browser(self, url: str) -> None:
        if not open_in_browser(url):
            self.post_message(messages.WorkFailed("No browser", "No web browser could be started."))
