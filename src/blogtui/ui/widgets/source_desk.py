"""Choosing among an article's comment sources: `S` (the chooser), `E` (discussions elsewhere)
and `i` (what was detected and why), for the reader.

A widget without looks that the reader composes. It reads the store (and, for `E` and `i`,
the network) in thread workers and shows the dialogs of ui/screens/sources.py; the source
picked reaches the reader as `SourceChosen`, which loads it into the same thread view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker

from blogtui.ui import messages

if TYPE_CHECKING:
    from blogtui.core.models import Article
    from blogtui.ui.context import AppContext
    from blogtui.ui.screens.sources import SourceLine
    from blogtui.ui.widgets.source_text import OwnThread

LOOKUP_SECONDS = 15.0
"""How long the discussion sites may take to answer `E`."""


class SourceDesk(Widget):
    """Starts the source dialogs; shows nothing itself."""

    DEFAULT_CSS = "SourceDesk { display: none; }"

    @dataclass
    class SourceChosen(Message):
        """Show source `name` ("" the blog's own thread) of the article in the thread view."""

        article_id: int
        name: str

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.context = context
        self.discussions_key = "E"
        """The key that looks up discussions, as the chooser names it."""

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event)) is not None:
            self.post_message(failed)

    def _pick(self, article_id: int, title: str, lines: list[SourceLine], note: str = "") -> None:
        """Show a chooser; the answer becomes `SourceChosen` (or a discussions lookup)."""
        from blogtui.ui.screens.sources import DISCUSSIONS, SourcesScreen

        def chosen(name: str | None) -> None:
            if name == DISCUSSIONS:
                self.look_up(article_id)
            elif name is not None:
                self.post_message(self.SourceChosen(article_id, name))

        self.app.push_screen(SourcesScreen(title, lines, note), chosen)

    def request(self, what: str, article: Article, current: str, account: bool) -> None:
        """Act on a ReaderThread.SourceRequested `what` for `article`, whose source `current`
        is shown (`account`: its replies go out with a stored key)."""
        if what == "choose":
            self.choose(article.id, current)
        elif what == "discussions":
            self.look_up(article.id)
        else:
            self.details(article, current, account)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sources")
    def choose(self, article_id: int, current: str) -> None:
        """List the article's sources (`current` is the one shown) to pick one."""
        from blogtui.ui.widgets.source_text import chooser_lines

        store = self.context.store
        lines = chooser_lines(self._own(article_id), store.sources_of(article_id), current,
                              self.discussions_key)  # fmt: skip
        self.app.call_from_thread(self._pick, article_id, "Comment sources", lines)

    def _own(self, article_id: int) -> OwnThread:
        from blogtui.ui.widgets.source_text import OwnThread

        store = self.context.store
        state = store.thread_state(article_id)
        return OwnThread(state.provider, len(store.comments_for(article_id)), state.error)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sources")
    def look_up(self, article_id: int) -> None:
        """Ask every discussion site about the article, then offer what they found."""
        from blogtui.core.comments.discussions import discussion_sites
        from blogtui.core.comments.sources import look_up_discussions_sync
        from blogtui.ui.widgets.source_text import discussed_on, discussion_lines, not_discussed

        article = self.context.store.get_article(article_id)
        if article is None:
            return
        self.app.call_from_thread(self.notify, "Looking for discussions…", markup=False)
        found = look_up_discussions_sync(self.context.store, article, deadline=LOOKUP_SECONDS,
                                         client_factory=self.context.make_client)  # fmt: skip
        summary = discussed_on(found)
        if not summary:
            sites = [site.label or site.name for site in discussion_sites()]
            text = not_discussed(found, sites)
            self.app.call_from_thread(self.notify, text, title="Discussions", markup=False)
            return
        lines = discussion_lines(found)
        note = "Opened here read-only; a reply opens the discussion's page in the browser."
        self.app.call_from_thread(self._pick, article_id, summary, lines, note)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sources")
    def details(self, article: Article, current: str, account: bool) -> None:
        """Say what is shown, what a reply does, what the article's page shows and which
        sources the article has (`account`: replies go out with a stored key)."""
        from blogtui.core.comments.registry import PROVIDERS
        from blogtui.core.comments.sources import page_systems_of
        from blogtui.ui.screens.sources import DetailsScreen
        from blogtui.ui.widgets.source_text import details_text, reply_words

        store = self.context.store
        own = self._own(article.id)
        name = current or own.provider
        provider = PROVIDERS.get(name)
        mode, kind = (provider.reply_mode, provider.kind) if provider else ("", "blog")
        reply = reply_words(current, mode, account, kind)
        systems, page_error = page_systems_of(article, client_factory=self.context.make_client)
        text = details_text(own, store.sources_of(article.id), current, reply, systems, page_error)
        self.app.call_from_thread(self.app.push_screen, DetailsScreen("Comment thread", text))
