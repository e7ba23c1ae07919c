"""The three-pane main screen: feeds | articles | reader, with the refresh row under them.

The screen composes the widgets that own the behaviour (the feed list its feeds, the articles
pane its list, the reader reading and comment threads, the refresh bar refreshes, the reply
desk replies) and routes what one of them says to another. The app's outbox tells it of sent
replies. Below 100 columns only the active pane shows and the same keys (tab/shift-tab, h/l,
q) move between panes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, BindingType
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Tree
from textual.worker import Worker

from blogtui.ui import messages
from blogtui.ui.display import display
from blogtui.ui.keys import ARTICLES_BINDINGS, MAIN_BINDINGS
from blogtui.ui.screens.pane_footer import pane_bindings
from blogtui.ui.screens.pane_layout import WIDE_FROM, PaneRow
from blogtui.ui.styles import screen_stylesheets
from blogtui.ui.widgets.article_list import ArticleList
from blogtui.ui.widgets.article_view import ArticleView
from blogtui.ui.widgets.articles_pane import ArticlesPane
from blogtui.ui.widgets.comment_thread import CommentThread
from blogtui.ui.widgets.feed_list import FeedEntry, FeedList
from blogtui.ui.widgets.refresh_bar import RefreshBar, refresh_severity, refresh_summary
from blogtui.ui.widgets.reply_desk import ReplyDesk
from blogtui.ui.widgets.row_list import RowList

if TYPE_CHECKING:
    from blogtui.core.models import Comment
    from blogtui.ui.context import AppContext
    from blogtui.ui.first_content import FirstContent
    from blogtui.ui.services.outbox import OutboxChange

PANE_IDS = ("feeds", "articles", "reader")
"""The panes in tab order."""
PANE_CONTAINERS = {"feeds": "feeds", "articles": "articles-pane", "reader": "reader"}
"""Each pane's outermost widget id (the one narrow layouts show or hide)."""


class MainScreen(Screen[None]):
    """Feeds, the article list and the reader; the list's keys work from every pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *MAIN_BINDINGS,
        *(replace(binding, show=False) for binding in ARTICLES_BINDINGS),
    ]
    CSS_PATH = screen_stylesheets()
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]

    feed_list = getters.query_one("#feeds", FeedList)
    articles = getters.query_one("#articles-pane", ArticlesPane)
    article_list = getters.query_one("#articles", ArticleList)
    reader = getters.query_one("#reader", ArticleView)
    refresh_bar = getters.query_one("#progress-row", RefreshBar)
    reply_desk = getters.query_one(ReplyDesk)
    panes = getters.query_one("#panes", PaneRow)

    def __init__(self, context: AppContext, first: FirstContent | None = None) -> None:
        super().__init__()
        self.context = context
        self._first = first  # what the app read (and drew) right after the first frame
        self.active_pane = "feeds"
        """The pane with focus; in narrow layouts the only one shown."""

    def compose(self) -> ComposeResult:
        context = self.context
        with PaneRow(context, id="panes"):
            yield FeedList(context, id="feeds").add_class("pane", "-active")
            yield ArticlesPane(context, id="articles-pane").add_class("pane")
            yield ArticleView(context, id="reader").add_class("pane")
        yield RefreshBar(context, id="progress-row")
        yield ReplyDesk(context)
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; the help lists it

    def on_mount(self) -> None:
        self.feed_list.focus()
        if (first := self._first) is None:
            self.feed_list.load()
        else:  # shown at once, as the start panes show them; the list's own read follows
            self.feed_list.show_feeds(first.feeds)
            self.articles.post_message(messages.ArticlesListed(first.ids, None, True, first.total))
        self.articles.list_articles()
        self.context.outbox.changed.subscribe(self, self._outbox_changed)
        self.article_list.starred_shown.subscribe(self.feed_list, self.feed_list.follow_starred)

    @property
    def scope(self) -> FeedEntry:
        """What the article list shows: all feeds, a folder or one feed."""
        return self.articles.scope

    # -- panes ------------------------------------------------------------------------------

    @staticmethod
    def pane_of(widget: Widget | None) -> str | None:
        """The pane `widget` is in, if any."""
        containers = {container: pane for pane, container in PANE_CONTAINERS.items()}
        ids = [node.id for node in widget.ancestors_with_self] if widget is not None else []
        return next((containers[i] for i in ids if i in containers), None)

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        pane = self.pane_of(event.widget)
        if pane is not None and pane != self.active_pane:
            self.active_pane = pane
            for pane_id, container in PANE_CONTAINERS.items():
                self.query_one(f"#{container}").set_class(pane_id == pane, "-active")

    def focus_pane(self, pane: str) -> None:
        """Focus (and in narrow layouts show) `pane`."""
        target = {"feeds": self.feed_list, "articles": self.article_list, "reader": self.reader}
        target[pane].focus()

    def action_focus_pane(self, step: int) -> None:
        """Move to the next (1) or previous (-1) pane, wrapping around."""
        if self.reader.step_into_thread(step, self.focused):  # the thread is a stop of its own
            return
        index = PANE_IDS.index(self.active_pane)
        self.focus_pane(PANE_IDS[(index + step) % len(PANE_IDS)])

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer names the keys of the focused pane (every key works everywhere)."""
        in_thread = isinstance(self.focused, CommentThread)
        return pane_bindings(super().active_bindings, "thread" if in_thread else self.active_pane)

    def action_resize_pane(self, pane: str, step: int) -> None:
        """Make the feeds pane or the list wider (1) or narrower (-1); remembered."""
        self.panes.resize(pane, step)

    @property
    def narrow(self) -> bool:
        """True when only one pane shows at a time."""
        return self.has_class("-narrow")

    def action_back_or_quit(self) -> None:
        """Clear a search or filter, else go back a pane (narrow), else quit."""
        if self.articles.narrowed:
            self.articles.clear_search()
        elif self.narrow and self.active_pane != "feeds":
            self.action_focus_pane(-1)
        else:
            self.app.exit()

    # -- feeds ------------------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#feeds")
    def _feed_highlighted(self, event: Tree.NodeHighlighted[FeedEntry]) -> None:
        entry = event.node.data
        self.article_list.use_feeds(self.feed_list.feeds)
        if entry is not None and entry.key != self.scope.key:
            self.articles.show_scope(entry)

    @on(Tree.NodeSelected, "#feeds")
    def _feed_selected(self, event: Tree.NodeSelected[FeedEntry]) -> None:
        if event.node.data is not None and not event.node.allow_expand:
            self.focus_pane("articles")

    @on(FeedList.Rewritten)
    def _feeds_rewritten(self) -> None:
        self.articles.relist()

    @on(FeedList.Subscribed)
    def _subscribed(self, message: FeedList.Subscribed) -> None:
        self.refresh_bar.start([message.feed])

    def action_add_feed(self) -> None:
        """Ask for a URL, find its feed, subscribe and fetch it."""
        self.feed_list.add_feed()

    def action_remove_feed(self) -> None:
        """Unsubscribe from the feed under the cursor, after confirming."""
        self.feed_list.remove_feed()

    def action_rename_feed(self) -> None:
        """Give the feed under the cursor a title of your own (empty restores its own)."""
        self.feed_list.rename_feed()

    def action_feed_details(self) -> None:
        """Show the fetch state of the feed under the cursor, its last error included."""
        self.feed_list.show_details()

    def action_mark_feed_read(self) -> None:
        """Mark every article of the selected feed (or folder, or all) read."""
        self.articles.mark_all_read(self.scope.feed_ids, self.feed_list)

    def action_refresh_all(self) -> None:
        """Fetch every feed in the background."""
        self.refresh_bar.start(list(self.feed_list.feeds))

    def action_refresh_feed(self) -> None:
        """Fetch the selected feed (or the feeds of the selected folder)."""
        ids = self.scope.feed_ids
        self.refresh_bar.start([f for f in self.feed_list.feeds if ids is None or f.id in ids])

    @on(RefreshBar.Finished)
    def _refresh_finished(self, message: RefreshBar.Finished) -> None:
        self.feed_list.show_feeds(message.feeds)
        self.articles.relist()
        severity, text = refresh_severity(message.summary), refresh_summary(message.summary)
        self.notify(text, title="Refresh done", severity=severity, markup=False)
        self.context.replies_watch.check(fetch=True)

    # -- the article list -------------------------------------------------------------------

    def action_unread_only(self) -> None:
        """Toggle showing unread articles only."""
        self.articles.toggle_unread_only()

    def action_filter(self) -> None:
        """Show the title filter and focus it."""
        self.articles.show_filter()

    def action_sort(self) -> None:
        """Go on to the list's next order (newest first, by title, by feed, unread first)."""
        self.articles.action_sort()

    def action_undo_mark_read(self) -> None:
        """Mark the articles the last mark-all-read marked unread again."""
        self.articles.action_undo_mark_read()

    def action_leave_search(self) -> None:
        """Escape outside the list: end a search or title filter (the focus stays)."""
        if self.articles.narrowed:
            self.articles.clear_search()

    def action_search(self) -> None:
        """Ask for words and list the articles of every feed that contain them."""
        self.articles.ask_search()

    def action_next_unread(self, step: int) -> None:
        """Open the next (1) or previous (-1) unread article, moving on to other feeds."""
        scope = self.scope.feed_ids or ()
        self.articles.find_unread(
            step, [f.id for f in self.feed_list.feeds if f.unread or f.id in scope]
        )

    @on(ArticlesPane.UnreadFound)
    def _unread_found(self, message: ArticlesPane.UnreadFound) -> None:
        if message.feed_id >= 0 and self.feed_list.select_key(f"feed:{message.feed_id}"):
            if (entry := self.feed_list.current) is not None:
                self.articles.scope = entry
            self.articles.list_articles(keep_cursor_on=message.article_id)
        self.open_article(message.article_id)  # in the list shown, the pane put the cursor on it

    # -- reading ----------------------------------------------------------------------------

    @on(RowList.Selected, "#articles")
    def _article_selected(self, event: RowList.Selected) -> None:
        self.open_article(event.row_id, marked=True)  # by the list, when the key came

    def open_article(
        self, article_id: int, *, select: str | None = None, marked: bool = False
    ) -> None:
        """Open the article (`select`: a comment for the cursor), marked read unless `marked`."""
        articles = self.article_list  # marks in the order of the keys (ArticleList.mark_opened)
        row = articles.get_row(article_id) if marked else articles.mark_opened(article_id)
        self.reader.open(article_id, row.title if row is not None else "", select=select)
        if self.narrow:
            self.focus_pane("reader")

    @on(messages.ReadStateChanged)
    def _read_state_changed(self, message: messages.ReadStateChanged) -> None:
        self.feed_list.show_feeds(message.feeds)
        self.article_list.refresh_rows(message.article_ids)

    @on(ArticleView.RowChanged)
    def _row_changed(self, message: ArticleView.RowChanged) -> None:
        self.article_list.refresh_rows([message.article_id])
        if message.thread_refreshed:
            self.context.replies_watch.check()

    def action_toggle_read(self) -> None:
        """Mark the article under the cursor read, or unread again."""
        self.article_list.toggle_read()

    def action_toggle_star(self) -> None:
        """Star the article under the cursor (the open one), or unstar it: mutt's `F` flag."""
        self.article_list.action_toggle_star()

    def action_open_link(self) -> None:
        """Open the open article's own link in the browser (asking first unless configured)."""
        article = self.reader.article
        if article is None or not article.link:
            self.notify("No article with a link is open.", severity="warning", markup=False)
            return
        from blogtui.ui.screens import browser_offer  # (not needed for the first content)

        browser_offer.offer_article(self, article.link, ask=self.context.config.confirm_open)

    def action_follow_link(self) -> None:
        """Ask for a link number of the open article, then offer to open it."""
        from blogtui.ui.screens import browser_offer

        browser_offer.follow_link(self, self.reader.links)

    def action_refresh_thread(self) -> None:
        """Fetch the open article's thread again, keeping the cursor where it is."""
        if not self.reader.refresh_thread():
            self.notify("No article is open.", severity="warning", markup=False)

    def action_thread_only(self) -> None:
        """Let the thread fill the reader pane, or put the article back above it."""
        self.reader.toggle_thread_only(self.focused)

    def action_focus_thread(self) -> None:
        """Move the focus into the open article's comment thread."""
        if not self.reader.focus_thread():
            self.notify("Open an article first.", severity="warning", markup=False)

    # -- replying ---------------------------------------------------------------------------

    def action_reply(self) -> None:
        """Reply to the post open in the reader, else to the article under the cursor."""
        article = self.reader.article
        if self.active_pane == "reader" and article is not None:
            self.reply_desk.reply_to(article.id, source=self.reader.source)
        elif self.article_list.cursor_id is not None:
            self.reply_desk.reply_to(self.article_list.cursor_id)
        else:
            self.notify("Pick an article to reply to first.", severity="warning", markup=False)

    @on(CommentThread.ReplyRequested)
    def _comment_reply(self, event: CommentThread.ReplyRequested) -> None:
        event.stop()
        self.reply_desk.reply_to(event.comment.article_id, event.comment, self.reader.source)

    def action_drafts(self) -> None:
        """List every draft."""
        self.reply_desk.show_drafts()

    @on(ReplyDesk.OpenArticle)
    def _open_from_drafts(self, message: ReplyDesk.OpenArticle) -> None:
        self.open_article(message.article_id)
        self.focus_pane("reader")

    @on(ReplyDesk.DraftsChanged)
    def _drafts_changed(self) -> None:
        self.articles.mark_drafts()

    def _outbox_changed(self, change: OutboxChange) -> None:
        """A posted reply shows in its thread; one blogtui cannot post offers the browser once."""
        if change.kind == "sending":
            return
        self.articles.mark_drafts()
        offered = False
        for report in change.reports:
            state = report.result.state
            if state.posted and report.article_id is not None:
                self.reader.show_posted(report.article_id, report.result.remote_id)
                self.article_list.refresh_rows([report.article_id])
            elif state.needs_browser and not offered and report.article_url:
                from blogtui.ui.screens import browser_offer, outbox_text

                reason = outbox_text.toast(report)[0]
                offered = browser_offer.offer_comments(self, report.article_url, reason)

    def action_replies(self) -> None:
        """List replies to your comments; enter opens one in its thread."""
        from blogtui.ui.screens.replies_screen import RepliesScreen

        def chosen(comment: Comment | None) -> None:
            if comment is not None:
                self.open_article(comment.article_id, select=comment.key)
                self.focus_pane("reader")

        self.app.push_screen(RepliesScreen(self.context), chosen)

    def action_store_password(self) -> None:
        """Store an Application Password for the blog of the open (or highlighted) article."""
        from blogtui.ui.screens.credentials import CredentialsScreen

        article, row = self.reader.article, self.article_list.cursor_row
        site = article.link if article is not None else ""
        if not site and row is not None:
            site = row.link
        self.app.push_screen(CredentialsScreen(self.context.places.secrets_dir, site))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event, self.context.places.database)) is not None:
            self._work_failed(failed)

    @on(messages.WorkFailed)
    def _work_failed(self, message: messages.WorkFailed) -> None:
        title, text = display(message.title, limit=80), display(message.message, limit=500)
        self.notify(text, title=title, severity="error", markup=False)
